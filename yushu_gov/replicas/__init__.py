"""Reading the reports from a PostgreSQL streaming replica: the database router, the `reads_from_replica()` span
views and tasks ask for, and the middleware that keeps a user who has just written on the primary (`routing.py`).

Imports no other wing: the views and tasks of the wings above and of the apps import it."""
