"""The resident's name and phone encrypted at rest (SM4-GCM) like the officers' numbers, found by the keyed
hash of the phone (`requests_with_phone`), masked in the audit log and absent from the export; the data
migration encrypts the rows already there, and going back decrypts them."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from officers.resident_requests.models import ResidentRequest
from officers.resident_requests.selectors import requests_with_phone
from tests.migrating import latest, migrate_to
from yushu_gov.models import AuditEntry

from .helpers import submit


def _raw(pk):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT resident_name, resident_phone, resident_phone_hash FROM resident_requests_residentrequest "
            "WHERE id = %s",
            [pk],
        )
        return cursor.fetchone()


@pytest.mark.django_db
def test_the_name_and_phone_are_stored_encrypted_and_found_by_their_hash(jiegu_officer, jiegu_clerk, xihang_clerk):
    item = submit(resident_name="卓玛", resident_phone="13912345678", contact_consent=True)
    name, phone, phone_hash = _raw(item.pk)
    assert name.startswith("sm4gcm:") and phone.startswith("sm4gcm:") and len(phone_hash) == 64
    assert "卓玛" not in name and "13912345678" not in phone
    fresh = ResidentRequest.objects.get(pk=item.pk)
    assert (fresh.resident_name, fresh.resident_phone) == ("卓玛", "13912345678")
    other = submit(resident_phone="13800001111", contact_consent=True)
    assert list(requests_with_phone("13912345678")) == [fresh]
    assert list(requests_with_phone("139 1234 5678", user=jiegu_clerk)) == [fresh]
    assert list(requests_with_phone("13912345678", user=xihang_clerk)) == []  # outside the user's scope
    assert list(requests_with_phone("13800001111")) == [other]
    entry = AuditEntry.objects.for_object(item).get(action="resident_requests.request.submitted")
    assert entry.changes["resident_phone"] == [None, "139****5678"] and "卓玛" not in str(entry.changes)


@pytest.mark.django_db
def test_a_phone_without_consent_is_still_refused_by_the_database(jiegu_officer):
    item = submit()
    item.resident_phone, item.contact_consent = "13912345678", False
    with pytest.raises(Exception, match="phone_needs_consent|CHECK|check"):
        ResidentRequest.objects.filter(pk=item.pk).update(
            resident_phone_hash=item.resident_phone_hash, contact_consent=False
        )


# The places as they are now (a street needs its area), the requests before their encryption.
BEFORE = [("resident_requests", "0003_request_code_lock"), ("communities", "0008_area_required")]


@pytest.mark.django_db(transaction=True)
def test_the_migration_encrypts_the_rows_already_there_and_back():
    old = migrate_to(BEFORE)
    try:
        Street = old.get_model("communities", "Street")
        Community = old.get_model("communities", "Community")
        Request = old.get_model("resident_requests", "ResidentRequest")
        area = old.get_model("communities", "Area").objects.create(code="a", name="市", kind="city", depth=0)
        area.path = f"{area.pk}."  # a materialised path, as communities.services writes it
        area.save(update_fields=["path"])
        street = Street.objects.create(code="s", name="街道", area=area)
        community = Community.objects.create(code="c", name="社区", street=street)
        now = timezone.now()
        common = {
            "community": community,
            "category": "other",
            "description": "路灯",
            "submitted_at": now,
            "respond_by": now + timedelta(hours=1),
            "resolve_by": now + timedelta(days=1),
            "secret": "K7QF",
        }
        kept = Request.objects.create(year=2026, serial=1, resident_name="扎西", resident_phone="13912345678",
                                      contact_consent=True, **common)  # fmt: skip
        empty = Request.objects.create(year=2026, serial=2, **common)
        migrate_to(latest())
        name, phone, phone_hash = _raw(kept.pk)
        assert name.startswith("sm4gcm:") and phone.startswith("sm4gcm:") and phone_hash
        assert _raw(empty.pk) == ("", "", "")
        current = ResidentRequest.objects.get(pk=kept.pk)
        assert (current.resident_name, current.resident_phone) == ("扎西", "13912345678")
        assert list(requests_with_phone("13912345678")) == [current]
        migrate_to(BEFORE)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT resident_name, resident_phone FROM resident_requests_residentrequest WHERE id = %s", [kept.pk]
            )
            assert cursor.fetchone() == ("扎西", "13912345678")
    finally:
        migrate_to(latest())
