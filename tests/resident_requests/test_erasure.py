"""The resident's name, phone and photo are erased N days after the request closes (N configurable, 180 by
default), by a command run daily, with an audit entry for each request; requests still open, or closed
more recently, keep them; the rate-limit records that no longer count go too."""

import io
from datetime import timedelta

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.utils import timezone

from officers.resident_requests import services
from officers.resident_requests.models import ResidentRequest, ThrottleHit
from yushu_gov.models import AuditEntry

from .helpers import submit

pytestmark = pytest.mark.django_db


def _close(item, officer, *, rate: bool = True):
    services.request_accept(resident_request=item, by=officer)
    services.request_resolve(resident_request=item, by=officer, reply="已解决")
    if rate:
        services.request_rate(resident_request=item, rating="satisfied")
    return ResidentRequest.objects.get(pk=item.pk)


def _erase(**options) -> str:
    out = io.StringIO()
    call_command("erase_request_personal_data", stdout=out, **options)
    return out.getvalue()


def test_personal_data_is_erased_180_days_after_closing(
    resident_request, officer, jiegu_officer, django_capture_on_commit_callbacks
):
    closed = _close(resident_request, officer)
    photo_name, storage = closed.photo.name, closed.photo.storage
    still_open = submit(resident_name="李四", resident_phone="13800002222", contact_consent=True)
    assert storage.exists(photo_name)
    with time_machine.travel(closed.closed_at + timedelta(days=179), tick=False):
        assert "Erased the personal data of 0 requests" in _erase()
    assert ResidentRequest.objects.get(pk=closed.pk).resident_phone == "13912345678"
    with time_machine.travel(closed.closed_at + timedelta(days=181), tick=False):
        with django_capture_on_commit_callbacks(execute=True):  # the file is deleted once the row is saved
            output = _erase()
    assert "Erased the personal data of 1 requests (kept 180 days after closing)" in output
    erased = ResidentRequest.objects.get(pk=closed.pk)
    assert (erased.resident_name, erased.resident_phone, erased.photo.name) == ("", "", "")
    assert erased.personal_data_erased_at is not None
    assert not storage.exists(photo_name)  # the file is gone, not only the reference
    assert (erased.description, erased.reply, erased.rating) == (
        closed.description,
        "已解决",
        "satisfied",
    )  # the case stays
    entry = AuditEntry.objects.get(action="resident_requests.request.personal_data_erased")
    assert entry.object_id == str(closed.pk) and entry.actor is None
    assert entry.changes["resident_phone"] == ["139****5678", ""] and entry.changes["resident_name"] == ["****", ""]
    assert entry.changes["retention_days"] == [None, 180] and "13912345678" not in str(entry.changes)
    kept = ResidentRequest.objects.get(pk=still_open.pk)
    assert kept.resident_phone == "13800002222"  # still open: kept
    with time_machine.travel(closed.closed_at + timedelta(days=200), tick=False):
        assert "Erased the personal data of 0 requests" in _erase()  # once only
    assert AuditEntry.objects.filter(action="resident_requests.request.personal_data_erased").count() == 1


def test_a_resolved_request_never_rated_counts_from_its_reply(resident_request, officer):
    resolved = _close(resident_request, officer, rate=False)
    with time_machine.travel(resolved.resolved_at + timedelta(days=181), tick=False):
        _erase()
    assert ResidentRequest.objects.get(pk=resolved.pk).resident_phone == ""


def test_the_retention_period_is_configurable(resident_request, officer, settings):
    closed = _close(resident_request, officer)
    settings.RESIDENT_REQUEST_RETENTION_DAYS = 30
    with time_machine.travel(closed.closed_at + timedelta(days=31), tick=False):
        assert "kept 30 days" in _erase()
    assert ResidentRequest.objects.get(pk=closed.pk).resident_phone == ""


def test_the_days_can_be_given_to_the_command(resident_request, officer):
    closed = _close(resident_request, officer)
    with time_machine.travel(closed.closed_at + timedelta(days=8), tick=False):
        _erase(days=7)
    assert ResidentRequest.objects.get(pk=closed.pk).resident_phone == ""
    with pytest.raises(CommandError):
        _erase(days=0)


def test_a_reopened_request_keeps_its_data_until_it_closes_again(resident_request, officer, jiegu_clerk):
    services.request_accept(resident_request=resident_request, by=officer)
    services.request_resolve(resident_request=resident_request, by=officer, reply="已解决")
    services.request_rate(resident_request=resident_request, rating="unsatisfied")  # 督办: open again
    with time_machine.travel(timezone.now() + timedelta(days=400), tick=False):
        _erase()
    assert ResidentRequest.objects.get(pk=resident_request.pk).resident_phone == "13912345678"


def test_rate_limit_records_older_than_a_day_are_deleted(reference):
    services.throttle_hit("submit_address", "192.0.2.1")
    with time_machine.travel(timezone.now() + timedelta(hours=25), tick=False):
        services.throttle_hit("submit_address", "192.0.2.1")
        assert "Deleted 1 rate-limit records" in _erase()
    assert ThrottleHit.objects.count() == 1
