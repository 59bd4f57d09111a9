"""On PostgreSQL, a trigger makes the audit log append-only in the database itself: an UPDATE or DELETE
of an audit entry raises, whoever sends it. (TRUNCATE, which only the test runner's flush uses, is a
statement-level operation that row triggers do not see.) SQLite relies on the model and queryset guards."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION yushu_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit entries are append-only (%% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER yushu_audit_append_only
    BEFORE UPDATE OR DELETE ON yushu_gov_auditentry
    FOR EACH ROW EXECUTE FUNCTION yushu_audit_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS yushu_audit_append_only ON yushu_gov_auditentry;
DROP FUNCTION IF EXISTS yushu_audit_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("yushu_gov", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
