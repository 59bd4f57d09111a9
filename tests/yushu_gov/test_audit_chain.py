"""The audit log is tamper-evident: each entry carries an HMAC over its content and the previous entry's hash;
`manage.py verify_audit` finds the first entry altered, deleted or inserted behind the application's back.
On PostgreSQL the runtime role of docs/postgresql-roles.sql may only INSERT and SELECT on it."""

import io
import os
import subprocess
import sys
import threading
import uuid

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import close_old_connections, connection
from django.urls import reverse

from yushu_gov.audit import chain as audit_chain
from yushu_gov.audit.log import audit_export, audit_log
from yushu_gov.models import AuditEntry

from ..conftest import close_download


def verify() -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("verify_audit", stdout=out)
    except CommandError:
        return 1, out.getvalue()
    return 0, out.getvalue()


def tamper(sql: str, params=()) -> None:
    """An UPDATE or DELETE sent behind the application's back (on PostgreSQL by the table's owner, who can
    lift the append-only trigger: exactly what the runtime role of docs/postgresql-roles.sql cannot do)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no deferred check pending: ALTER TABLE may run
            cursor.execute("ALTER TABLE yushu_gov_auditentry DISABLE TRIGGER yushu_audit_append_only")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE yushu_gov_auditentry ENABLE TRIGGER yushu_audit_append_only")


@pytest.fixture
def entries(city_admin):
    return [
        audit_log(actor=city_admin, action=f"test.step{n}", changes={"n": [None, n], "note": [None, "说明"]})
        for n in range(5)
    ]


def test_each_entry_is_linked_to_the_one_before(entries):
    assert entries[0].prev_hash == audit_chain.GENESIS
    for before, after in zip(entries, entries[1:], strict=False):
        assert after.prev_hash == before.entry_hash
        assert len(after.entry_hash) == 64
    code, output = verify()
    assert code == 0 and "Audit chain intact: 5 entries" in output


def test_an_altered_entry_is_found(entries):
    tamper("UPDATE yushu_gov_auditentry SET actor_name = 'someone' WHERE id = %s", [entries[2].pk])
    code, output = verify()
    assert code == 1
    assert f"BROKEN at entry #{entries[2].pk}" in output and "altered" in output
    assert "2 entries before it are intact" in output


def test_an_altered_change_or_time_is_found(entries):
    tamper("UPDATE yushu_gov_auditentry SET changes = %s WHERE id = %s", ['{"n": [null, 99]}', entries[1].pk])
    assert f"BROKEN at entry #{entries[1].pk}" in verify()[1]


def test_a_deleted_entry_is_found(entries):
    tamper("DELETE FROM yushu_gov_auditentry WHERE id = %s", [entries[3].pk])
    code, output = verify()
    assert code == 1 and f"BROKEN at entry #{entries[4].pk}" in output and "deleted" in output


def test_an_entry_forged_without_the_key_is_found(entries):
    forged = AuditEntry(action="test.forged", actor_name="x")
    forged.prev_hash = entries[-1].entry_hash
    forged.entry_hash = "f" * 64
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO yushu_gov_auditentry (at, actor_name, action, object_id, object_repr, changes, prev_hash, "
            "entry_hash) VALUES (CURRENT_TIMESTAMP, 'x', 'test.forged', '', '', '{}', %s, %s)",
            [forged.prev_hash, forged.entry_hash],
        )
    code, output = verify()
    assert code == 1 and "test.forged" in output


def test_entries_are_appended_one_by_one(city_admin):
    with pytest.raises(PermissionError):
        AuditEntry.objects.bulk_create([AuditEntry(action="x")])


def test_numbers_in_an_exports_filter_are_masked(city_admin):
    entry = audit_export(actor=city_admin, what="work.export", filters={"q": "632701199001011233"}, rows=0)
    assert entry.changes["filters"][1] == {"q": "632701********1233"}


@pytest.mark.django_db(transaction=True)
def test_appends_from_many_threads_keep_one_chain(reference):
    barrier = threading.Barrier(6)

    def write(n):
        try:
            barrier.wait(timeout=10)
            for i in range(5):
                audit_log(actor=None, action=f"test.thread{n}.{i}")
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert AuditEntry.objects.filter(action__startswith="test.thread").count() == 30
    code, output = verify()
    assert code == 0, output


@pytest.mark.parametrize(
    "url_name, kwargs, what, status",
    [
        # the background exports answer with their job's page (302); the template is written at once (200)
        ("work:export", {}, "export.work.export", 302),
        ("talks:ledger", {}, "export.talks.ledger", 302),
        ("assessments:export", {"year": 2023}, "export.assessments.export", 302),
        ("requests:export", {}, "export.requests.export", 302),
        ("audit_log_export", {}, "export.audit", 302),
        ("communities:police_call_template", {}, "export.communities.police_call_template", 200),
    ],
)
def test_every_export_is_audited_with_its_filter_and_row_count(
    url_name, kwargs, what, status, client_for, jiegu_work_record
):
    user = "auditor" if what == "export.audit" else "city_admin"
    response = client_for(user).get(reverse(url_name, kwargs=kwargs), {"q": ""})
    close_download(response)
    assert response.status_code == status
    entry = AuditEntry.objects.get(action=what)
    assert entry.actor.username in ("t_admin", "t_auditor") and isinstance(entry.changes["rows"][1], int)


def test_the_work_export_records_how_many_rows_left(client_for, jiegu_work_record):
    client_for("city_admin").get(reverse("work:export"), {"kind": "dispute"})
    entry = AuditEntry.objects.get(action="export.work.export")
    assert entry.changes == {"filters": [None, {"kind": "dispute"}], "rows": [None, 1]}


@pytest.mark.parametrize(
    "url_name, fixture, what",
    [
        ("officers:appointment_letter_pdf", "serving", "export.officers.appointment_letter"),
        ("talks:sheet", "jiegu_talk", "export.talks.sheet"),
        ("assessments:sheet", "jiegu_assessment", "export.assessments.sheet"),
        ("assessments:report_file", "jiegu_assessment", "export.assessments.report_file"),
        ("reports:briefing_pdf", None, "export.reports.briefing_pdf"),
    ],
)
def test_every_download_is_audited(url_name, fixture, what, client_for, jiegu_officer, request):
    kwargs = {}
    if fixture == "serving":
        kwargs = {"pk": jiegu_officer.appointments.get().pk}
    elif fixture:
        kwargs = {"pk": request.getfixturevalue(fixture).pk}
    if url_name == "assessments:report_file":
        kwargs["body"] = "street"
    response = client_for("bureau").get(reverse(url_name, kwargs=kwargs))
    close_download(response)
    assert response.status_code == 200
    assert AuditEntry.objects.filter(action=what, actor__username="t_bureau").count() == 1


def test_every_view_of_an_officers_full_record_is_audited(client_for, jiegu_officer):
    client_for("station_leader").get(reverse("officers:detail", args=[jiegu_officer.pk]))
    client_for("city_admin").get(reverse("admin:officers_officer_change", args=[jiegu_officer.pk]))
    viewers = AuditEntry.objects.filter(action="officers.officer.viewed", object_id=str(jiegu_officer.pk))
    assert sorted(viewers.values_list("actor_name", flat=True)) == ["t_admin", "t_station"]
    # The views are the auditor's to read, not a line of the officer's change history.
    html = client_for("bureau").get(reverse("officers:detail", args=[jiegu_officer.pk])).content.decode()
    assert "officers.officer.viewed" not in html


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's roles and privileges")
@pytest.mark.django_db(transaction=True)
def test_the_runtime_role_may_only_insert_and_select_on_the_audit_log(reference):
    import psycopg

    database = settings.DATABASES["default"]
    suffix = uuid.uuid4().hex[:8]
    owner, app = f"yushu_t_owner_{suffix}", f"yushu_t_app_{suffix}"
    script = os.path.join(settings.BASE_DIR, "docs", "postgresql-roles.sh")
    env = {
        **os.environ, "OWNER": owner, "APP": app, "OWNER_PASSWORD": "o-" + suffix, "APP_PASSWORD": "a-" + suffix,
        "PSQL": f"psql -h {database['HOST'] or '127.0.0.1'} -p {database['PORT'] or 5432} -U {database['USER']}",
    }  # fmt: skip
    audit_log(actor=None, action="test.before_roles")
    try:
        result = subprocess.run([script, database["NAME"]], env=env, capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        with psycopg.connect(
            host=database["HOST"] or "127.0.0.1", port=database["PORT"] or 5432, dbname=database["NAME"], user=app,
            password="a-" + suffix, autocommit=True,
        ) as app_connection:  # fmt: skip
            cursor = app_connection.cursor()
            cursor.execute("SELECT count(*) FROM yushu_gov_auditentry")
            cursor.execute("UPDATE communities_street SET sort_order = sort_order")  # the data: yes
            for sql in (
                "UPDATE yushu_gov_auditentry SET action = 'x'",
                "DELETE FROM yushu_gov_auditentry",
                "TRUNCATE yushu_gov_auditentry",
                "ALTER TABLE yushu_gov_auditentry DISABLE TRIGGER yushu_audit_append_only",
                "DROP TABLE yushu_gov_auditentry",
            ):
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    cursor.execute(sql)
        host, port = database["HOST"] or "127.0.0.1", database["PORT"] or 5432
        url = f"postgres://{app}:a-{suffix}@{host}:{port}/{database['NAME']}"
        result = subprocess.run(
            [sys.executable, "manage.py", "verify_audit"],
            cwd=settings.BASE_DIR, env={**os.environ, "DATABASE_URL": url}, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert f"{app} may only INSERT and SELECT" in result.stdout, result.stdout + result.stderr
        assert "intact" in result.stdout
    finally:
        with connection.cursor() as cursor:
            for sql in ('REASSIGN OWNED BY "{o}" TO CURRENT_USER', 'DROP OWNED BY "{a}"', 'DROP OWNED BY "{o}"'):
                cursor.execute(sql.format(o=owner, a=app))
            cursor.execute(f'DROP ROLE IF EXISTS "{app}", "{owner}"')
