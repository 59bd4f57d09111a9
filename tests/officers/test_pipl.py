"""PIPL: the public directory shows an officer only once his consent is recorded (who and when), carries a
privacy notice, and records of personal data are erased or deleted when their retention period is over,
each with an audit entry."""

import io
from datetime import date, timedelta

import pytest
import time_machine
from axes.models import AccessAttempt, AccessLog
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from communities.models import Community
from officers.models import Officer
from yushu_gov.models import AuditEntry

from ..factories import AppointmentFactory, OfficerFactory
from .test_directory import PNG

DIRECTORY = [reverse("directory:index"), reverse("directory:community", args=["minzhulu"])]


def test_the_directory_shows_an_officer_only_with_his_consent(client, client_for, jiegu_officer):
    for url in DIRECTORY:
        assert jiegu_officer.name not in client.get(url).content.decode()
    admin = client_for("city_admin")
    consent = reverse("officers:consent", args=[jiegu_officer.pk])
    assert "书面同意" in admin.get(consent).content.decode()
    assert admin.post(consent, {"decision": "give", "note": "同意书 2026-07 号"}).status_code == 302
    officer = Officer.objects.get(pk=jiegu_officer.pk)
    assert officer.directory_consent_by.username == "t_admin" and officer.directory_consent_at is not None
    for url in DIRECTORY:
        assert jiegu_officer.name in client.get(url).content.decode()
    detail = admin.get(reverse("officers:detail", args=[jiegu_officer.pk])).content.decode()
    assert "本人同意公开" in detail and "t_admin" in detail
    entry = AuditEntry.objects.get(action="officers.officer.consent_recorded")
    assert entry.actor.username == "t_admin" and entry.changes["note"] == [None, "同意书 2026-07 号"]
    admin.post(consent, {"decision": "withdraw"})
    for url in DIRECTORY:
        assert jiegu_officer.name not in client.get(url).content.decode()
    assert AuditEntry.objects.filter(action="officers.officer.consent_withdrawn").count() == 1


def test_the_city_and_the_officers_street_record_consent_and_no_one_else(client_for, jiegu_officer):
    url = reverse("officers:consent", args=[jiegu_officer.pk])
    for role in ("bureau", "security_admin", "station_leader"):
        assert client_for(role).post(url, {"decision": "give"}).status_code == 403
    assert client_for("xihang_clerk").post(url, {"decision": "give"}).status_code == 404  # not his street
    assert Officer.objects.get(pk=jiegu_officer.pk).directory_consent_at is None
    assert client_for("jiegu_clerk").post(url, {"decision": "give"}).status_code == 302  # asked at 登记到任 too
    assert Officer.objects.get(pk=jiegu_officer.pk).directory_consent_at is not None


def test_every_directory_page_carries_the_privacy_notice(client, reference):
    for url in [*DIRECTORY, reverse("directory:card", args=["minzhulu"])]:
        html = client.get(url).content.decode()
        assert "个人信息保护说明" in html and "取得民警本人同意" in html


@pytest.fixture
def history(reference, settings, tmp_path):
    """An officer who left his seat five years ago, one who left last year, one serving, one only registered
    (long ago), each with numbers and a photo."""
    settings.MEDIA_ROOT = tmp_path
    settings.OFFICER_DATA_RETENTION_YEARS = 3
    now = timezone.now()
    officers = {}
    with time_machine.travel(now - timedelta(days=5 * 365), tick=False):
        officers["left_long_ago"] = OfficerFactory(photo=SimpleUploadedFile("a.png", PNG, content_type="image/png"))
        AppointmentFactory(
            officer=officers["left_long_ago"],
            status="ended",
            started_on=date(2019, 1, 1),
            ended_on=date(2021, 3, 1),
            community=Community.objects.get(code="minzhulu"),
        )
        officers["registered_only"] = OfficerFactory()
    with time_machine.travel(now - timedelta(days=300), tick=False):
        officers["left_last_year"] = OfficerFactory()
        AppointmentFactory(officer=officers["left_last_year"], status="ended", ended_on=date(2025, 12, 1),
                           community=Community.objects.get(code="hongweilu"))  # fmt: skip
    with time_machine.travel(now - timedelta(days=6 * 365), tick=False):
        officers["serving"] = OfficerFactory()
        AppointmentFactory(officer=officers["serving"], community=Community.objects.get(code="xinjianlu"))
    return officers


def test_retention_erases_an_officers_numbers_and_photo_years_after_he_left(
    history, django_capture_on_commit_callbacks
):
    import os

    photo = history["left_long_ago"].photo.path
    out = io.StringIO()
    call_command("apply_retention", "--dry-run", stdout=out)
    assert "officers.personal_data: 2 due" in out.getvalue()
    assert not AuditEntry.objects.filter(action="officers.officer.personal_data_erased").exists()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("apply_retention", stdout=out)
    erased = {o.pk for o in Officer.objects.filter(personal_data_erased_at__isnull=False)}
    assert erased == {history["left_long_ago"].pk, history["registered_only"].pk}
    officer = Officer.objects.get(pk=history["left_long_ago"].pk)
    assert (officer.id_number, officer.mobile, officer.photo.name) == ("", "", "")
    assert officer.name == history["left_long_ago"].name  # the register entry stays for the records
    assert not os.path.exists(photo)
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, id_number_hash FROM officers_officer WHERE id = %s", [officer.pk])
        assert cursor.fetchone() == ("", "")
    entries = AuditEntry.objects.filter(action="officers.officer.personal_data_erased")
    assert sorted(int(e.object_id) for e in entries) == sorted(erased)  # one entry per erasure
    for kept in ("left_last_year", "serving"):
        assert Officer.objects.get(pk=history[kept].pk).id_number == history[kept].id_number
    call_command("apply_retention", stdout=out)  # again: nothing more
    assert entries.count() == 2


def test_retention_deletes_old_login_records_one_audit_entry_each(reference, settings):
    settings.LOGIN_RECORD_RETENTION_DAYS = 180
    old = timezone.now() - timedelta(days=200)
    for username in ("a", "b"):
        AccessAttempt.objects.create(username=username, ip_address="10.0.0.1", user_agent="x", failures_since_start=1,
                                     get_data="", post_data="", http_accept="", path_info="/login/")  # fmt: skip
        AccessLog.objects.create(username=username, ip_address="10.0.0.1", user_agent="x", http_accept="",
                                 path_info="/login/")  # fmt: skip
    AccessAttempt.objects.update(attempt_time=old)
    AccessLog.objects.filter(username="a").update(attempt_time=old)
    out = io.StringIO()
    call_command("apply_retention", stdout=out)
    assert "yushu_gov.login_records: 3 removed" in out.getvalue()
    assert not AccessAttempt.objects.exists() and list(AccessLog.objects.values_list("username", flat=True)) == ["b"]
    assert AuditEntry.objects.filter(action="retention.login_record.deleted").count() == 3
