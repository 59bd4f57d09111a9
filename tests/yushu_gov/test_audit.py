"""The audit log: append-only, written with each change in the same transaction, personal data masked,
logins recorded, readable by the auditor with filters."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from officers import services
from yushu_gov.audit.log import audit_log
from yushu_gov.models import AuditEntry

from ..factories import OfficerFactory, valid_id_number


@pytest.fixture
def entry(city_admin):
    return audit_log(actor=city_admin, action="test.thing.done", changes={"name": [None, "x"]})


def test_entries_cannot_be_changed(entry):
    entry.action = "test.thing.undone"
    with pytest.raises(PermissionError):
        entry.save()
    assert AuditEntry.objects.get(pk=entry.pk).action == "test.thing.done"


def test_entries_cannot_be_deleted_one_by_one_or_in_bulk(entry):
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="x")
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")
def test_database_refuses_raw_update_and_delete_on_postgresql(entry):
    for sql in ["UPDATE yushu_gov_auditentry SET action = 'x'", "DELETE FROM yushu_gov_auditentry"]:
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cur,
        ):
            cur.execute(sql)
    assert AuditEntry.objects.get(pk=entry.pk).action == "test.thing.done"


def _officer_data(station, **overrides):
    data = {
        "name": "卓玛",
        "gender": "female",
        "ethnicity": "tibetan",
        "police_number": "631234",
        "id_number": valid_id_number(42),
        "mobile": "13909761234",
        "work_phone": "0976-8821110",
        "station": station,
        "rank": "",
        "post": "社区民警",
        "party_status": "full",
        "party_member_since": "2012-07-01",
        "bilingual": True,
    }
    data.update(overrides)
    return data


def test_officer_create_writes_a_masked_entry(city_admin, reference):
    data = _officer_data(reference["jiegu_station"])
    officer = services.officer_create(by=city_admin, data=data)
    entry = AuditEntry.objects.for_object(officer).get()
    assert entry.action == "officers.officer.created"
    assert entry.actor == city_admin
    assert entry.changes["id_number"] == [None, officer.masked_id_number]
    assert entry.changes["mobile"] == [None, "139****1234"]
    assert data["id_number"] not in str(entry.changes)
    assert data["mobile"] not in str(entry.changes)


def test_officer_update_logs_only_changed_fields(city_admin, reference):
    officer = OfficerFactory(station=reference["jiegu_station"], post="社区民警")
    services.officer_update(officer=officer, by=city_admin, data={"post": "副所长", "name": officer.name})
    entry = AuditEntry.objects.for_object(officer).get()
    assert entry.action == "officers.officer.changed"
    assert entry.changes == {"post": ["社区民警", "副所长"]}


def test_a_failed_change_leaves_no_entry_behind(city_admin, reference):
    officer = OfficerFactory(station=reference["jiegu_station"])
    before = AuditEntry.objects.count()
    with pytest.raises(Exception):  # noqa: B017 (full_clean raises ValidationError)
        services.officer_update(officer=officer, by=city_admin, data={"mobile": "123"})
    assert AuditEntry.objects.count() == before


def test_logins_failed_logins_and_logouts_are_logged(client, jiegu_clerk):
    client.post(reverse("login"), {"username": "t_jiegu", "password": "wrong"})
    failed = AuditEntry.objects.get(action="auth.login_failed")
    assert failed.changes == {"username": [None, "t_jiegu"]}
    assert "wrong" not in str(failed.changes)
    client.post(reverse("login"), {"username": "t_jiegu", "password": "Yushu@2023"})
    assert AuditEntry.objects.filter(action="auth.login", actor=jiegu_clerk).count() == 1
    client.post(reverse("logout"))
    assert AuditEntry.objects.filter(action="auth.logout", actor=jiegu_clerk).count() == 1


def test_auditor_filters_the_log_by_user_action_and_date(client_for, city_admin, jiegu_clerk):
    audit_log(actor=city_admin, action="officers.officer.created", changes={})
    audit_log(actor=jiegu_clerk, action="officers.appointment.nominated", changes={})
    client = client_for("auditor")
    page = client.get(reverse("audit_log"), {"actor": "t_jiegu"}).context["page"]
    assert [e.action for e in page] == ["officers.appointment.nominated"]
    page = client.get(reverse("audit_log"), {"action": "officers.officer"}).context["page"]
    assert [e.actor_name for e in page] == ["t_admin"]
    page = client.get(reverse("audit_log"), {"date_from": "2000-01-01", "date_to": "2000-12-31"}).context["page"]
    assert list(page) == []


def test_detail_page_shows_the_objects_history(client_for, city_admin, jiegu_officer):
    services.officer_update(officer=jiegu_officer, by=city_admin, data={"post": "教导员"})
    response = client_for("bureau").get(reverse("officers:detail", args=[jiegu_officer.pk]))
    html = response.content.decode()
    assert "修改民警信息" in html and "officers.officer.changed" not in html  # the action's name, not its code
    assert "教导员" in html
    assert '<span class="field-name">职务</span>' in html  # the field's Chinese label, not "post"


def test_numbers_typed_into_any_text_are_masked_in_the_audit_log(city_admin):
    entry = audit_log(
        actor=city_admin,
        action="test.note",
        changes={"note": [None, "群众电话 139 1234 5678，身份证632701199001011233"]},
    )
    assert entry.changes["note"][1] == "群众电话 139****5678，身份证632701********1233"


def test_a_talks_text_never_stores_a_residents_numbers(client_for, jiegu_officer, jiegu_clerk):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from officers.talks import services as talk_services
    from officers.talks.models import MonthlyTalk

    talk = talk_services.talk_record(
        by=jiegu_clerk,
        street_id=jiegu_officer.appointments.get().community.street_id,
        data={
            "officer": jiegu_officer,
            "held_at": datetime(2023, 5, 4, 10, tzinfo=ZoneInfo("Asia/Shanghai")),
            "place": "社区",
            "talker_name": "书记",
            "talker_role": "secretary",
            "topic_safety": True,
            "content": "困难户（电话+86 139-1234-5678，身份证 632701199001011233）需帮扶",
            "officer_views": "",
            "follow_up": "",
        },
    )
    stored = MonthlyTalk.objects.get(pk=talk.pk).content
    assert "139****5678" in stored and "632701********1233" in stored
    assert "1234-5678" not in stored and "199001011233" not in stored
    entry = AuditEntry.objects.for_object(talk).get()
    assert "199001011233" not in str(entry.changes) and "1234-5678" not in str(entry.changes)


def test_behind_the_proxy_the_audit_log_records_the_clients_address(rf, settings):
    from yushu_gov.security.clients import client_ip

    request = rf.get("/", HTTP_X_FORWARDED_FOR="1.2.3.4, 10.0.0.7", REMOTE_ADDR="127.0.0.1")
    settings.BEHIND_PROXY = False
    assert client_ip(request) == "127.0.0.1"
    settings.BEHIND_PROXY = True
    assert client_ip(request) == "10.0.0.7"  # the address the proxy itself appended


def test_history_shows_labels_not_stored_values(client_for, city_admin, jiegu_officer):
    services.officer_update(
        officer=jiegu_officer, by=city_admin, data={"party_status": "probationary", "bilingual": True}
    )
    html = client_for("city_admin").get(reverse("officers:detail", args=[jiegu_officer.pk])).content.decode()
    assert "中共正式党员 → 中共预备党员" in html
    assert "否 → 是" in html
    assert "probationary" not in html


def test_an_export_is_recorded_with_its_filter_and_row_count(city_admin):
    from yushu_gov.audit.log import audit_export

    entry = audit_export(actor=city_admin, what="work.export", filters={"kind": "dispute", "street": ""}, rows=12)
    assert entry.action == "export.work.export"
    assert entry.changes == {"filters": [None, {"kind": "dispute"}], "rows": [None, 12]}
