"""Counter tables: the kernel's wing for tables that count an app's records per key (say, a place, a person
and a month), kept by the app's write services in their transaction and recounted from the records on
demand (`manage.py rebuild_summaries`).

The code here knows no record and no domain word: each app owns its table and tells this wing, once, which
model it is, which fields form its key, which fields it counts and how to recount them from its records
(`monthly.register`, in the app's AppConfig.ready()). It imports no app, only django and yushu_gov's lowest
helpers.
"""
