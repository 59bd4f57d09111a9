"""A median in the database, so that a page's medians cost one grouped query instead of one row per record
(at province scale a page reads hundreds of thousands of records): PostgreSQL's percentile_cont(0.5), and on
SQLite (which has no median) an aggregate function written in Python, registered on each new connection. Both give
the mean of the two middle values for an even count, as statistics.median does; NULLs are left out."""

import statistics

from django.db.backends.signals import connection_created
from django.db.models import Aggregate, F, FloatField, Func
from django.dispatch import receiver


class Median(Aggregate):
    function = "YUSHU_MEDIAN"  # SQLite: the Python aggregate below
    name = "Median"
    output_field = FloatField()
    allow_distinct = False

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template="percentile_cont(0.5) WITHIN GROUP (ORDER BY %(expressions)s)",
            **extra_context,
        )


class Seconds(Func):
    """The seconds between two date-times (later − earlier), as a float; NULL when either is NULL."""

    output_field = FloatField()

    def __init__(self, later: str, earlier: str):
        super().__init__(F(later), F(earlier))

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template="EXTRACT(EPOCH FROM (%(expressions)s))::double precision",
            arg_joiner=" - ",
            **extra_context,
        )

    def as_sqlite(self, compiler, connection, **extra_context):
        # Django's own SQLite function for datetime differences answers microseconds.
        return self.as_sql(
            compiler,
            connection,
            template="(django_timestamp_diff(%(expressions)s) / 1000000.0)",
            arg_joiner=", ",
            **extra_context,
        )


class _SQLiteMedian:
    def __init__(self):
        self.values = []

    def step(self, value):
        if value is not None:
            self.values.append(value)

    def finalize(self):
        return statistics.median(self.values) if self.values else None


@receiver(connection_created)
def _register_sqlite_median(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_aggregate("YUSHU_MEDIAN", 1, _SQLiteMedian)
