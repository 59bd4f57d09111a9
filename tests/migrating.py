"""Moving the test database through its migrations, for the tests that migrate a populated database."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate_to(targets):
    """Migrates to `targets` ([(app, migration)]) and returns the historical apps of that state."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest():
    """Every app's newest migration."""
    return MigrationExecutor(connection).loader.graph.leaf_nodes()
