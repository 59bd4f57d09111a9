"""The database refuses to change a filed assessment result, whoever sends the UPDATE (DOMAIN.md §4.5).

A CHECK constraint cannot see the old row, so this is a trigger on both databases:
- an UPDATE of a filed assessment is refused unless it reopens it (status filed → combined) without
  touching any input or result column;
- an INSERT or UPDATE of a duty report of a filed assessment is refused;
- an UPDATE of a year's scheme is refused once any result of that year is filed.
DELETE is not blocked: the test runner's flush on SQLite uses DELETE (the application never deletes
assessments: there is no delete view, and the admin site refuses deletion).
The error uses SQLSTATE 23000 on PostgreSQL (and SQLite's constraint error), so Django raises IntegrityError.
"""

from django.db import migrations

# Columns a reopening must leave as they are.
LOCKED_COLUMNS = [
    "officer_id",
    "year",
    "community_id",
    "performance_score",
    "business_score",
    "quarter1",
    "quarter2",
    "quarter3",
    "quarter4",
    "weighted_score",
    "grade",
    "commendation_eligible",
]


def _changed(op: str) -> str:
    return " OR ".join(f"NEW.{c} {op} OLD.{c}" for c in LOCKED_COLUMNS)


POSTGRES_CREATE = f"""
CREATE OR REPLACE FUNCTION yushu_assessment_filed_locked() RETURNS trigger AS $$
BEGIN
    IF OLD.status = 'filed' AND (NEW.status <> 'combined' OR {_changed("IS DISTINCT FROM")}) THEN
        RAISE EXCEPTION 'assessment result is filed and locked' USING ERRCODE = '23000';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER yushu_assessment_filed_locked
    BEFORE UPDATE ON assessments_annualassessment
    FOR EACH ROW EXECUTE FUNCTION yushu_assessment_filed_locked();

CREATE OR REPLACE FUNCTION yushu_report_filed_locked() RETURNS trigger AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM assessments_annualassessment a WHERE a.id = NEW.assessment_id AND a.status = 'filed') THEN
        RAISE EXCEPTION 'assessment result is filed and locked (duty report)' USING ERRCODE = '23000';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER yushu_report_filed_locked
    BEFORE INSERT OR UPDATE ON assessments_dutyreport
    FOR EACH ROW EXECUTE FUNCTION yushu_report_filed_locked();

CREATE OR REPLACE FUNCTION yushu_scheme_filed_locked() RETURNS trigger AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM assessments_annualassessment a WHERE a.year = OLD.year AND a.status = 'filed') THEN
        RAISE EXCEPTION 'assessment scheme of a year with filed results is locked' USING ERRCODE = '23000';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER yushu_scheme_filed_locked
    BEFORE UPDATE ON assessments_assessmentscheme
    FOR EACH ROW EXECUTE FUNCTION yushu_scheme_filed_locked();
"""
POSTGRES_DROP = """
DROP TRIGGER IF EXISTS yushu_assessment_filed_locked ON assessments_annualassessment;
DROP FUNCTION IF EXISTS yushu_assessment_filed_locked();
DROP TRIGGER IF EXISTS yushu_report_filed_locked ON assessments_dutyreport;
DROP FUNCTION IF EXISTS yushu_report_filed_locked();
DROP TRIGGER IF EXISTS yushu_scheme_filed_locked ON assessments_assessmentscheme;
DROP FUNCTION IF EXISTS yushu_scheme_filed_locked();
"""

_REPORT_LOCKED = (
    "EXISTS (SELECT 1 FROM assessments_annualassessment a WHERE a.id = NEW.assessment_id AND a.status = 'filed')"
)
SQLITE_CREATE = [
    f"""CREATE TRIGGER yushu_assessment_filed_locked BEFORE UPDATE ON assessments_annualassessment
    FOR EACH ROW WHEN OLD.status = 'filed' AND (NEW.status <> 'combined' OR {_changed("IS NOT")})
    BEGIN SELECT RAISE(ABORT, 'assessment result is filed and locked'); END;""",
    f"""CREATE TRIGGER yushu_report_filed_locked_insert BEFORE INSERT ON assessments_dutyreport
    FOR EACH ROW WHEN {_REPORT_LOCKED}
    BEGIN SELECT RAISE(ABORT, 'assessment result is filed and locked (duty report)'); END;""",
    f"""CREATE TRIGGER yushu_report_filed_locked_update BEFORE UPDATE ON assessments_dutyreport
    FOR EACH ROW WHEN {_REPORT_LOCKED}
    BEGIN SELECT RAISE(ABORT, 'assessment result is filed and locked (duty report)'); END;""",
    """CREATE TRIGGER yushu_scheme_filed_locked BEFORE UPDATE ON assessments_assessmentscheme
    FOR EACH ROW WHEN EXISTS (SELECT 1 FROM assessments_annualassessment a WHERE a.year = OLD.year AND a.status = 'filed')
    BEGIN SELECT RAISE(ABORT, 'assessment scheme of a year with filed results is locked'); END;""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS yushu_assessment_filed_locked;",
    "DROP TRIGGER IF EXISTS yushu_report_filed_locked_insert;",
    "DROP TRIGGER IF EXISTS yushu_report_filed_locked_update;",
    "DROP TRIGGER IF EXISTS yushu_scheme_filed_locked;",
]


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_CREATE)
    elif vendor == "sqlite":
        for statement in SQLITE_CREATE:
            schema_editor.execute(statement)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_DROP)
    elif vendor == "sqlite":
        for statement in SQLITE_DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_assessment_scheme_reports")]

    operations = [migrations.RunPython(forwards, backwards)]
