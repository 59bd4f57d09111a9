"""Lists: reading many rows a page at a time. Paging without a full count (`pagination`), sortable columns
(`sorting`), numbers from the query string (`params`), search-as-you-type fields and their scoped suggestions
(`lookups`), filters (`filters`) and the database's aggregates (`aggregates`).

Imports only the `input` wing; no app.
"""
