"""The tracking code's secret (等保): at least 40 bits in Crockford base32, read back from whatever a resident
types (any case, full-width, spaces, O for 0, I or L for 1), and locked after a few wrong tries on one request
whatever the address; codes given before keep working."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from officers.resident_requests import services
from officers.resident_requests.models import ResidentRequest
from officers.resident_requests.tracking import CROCKFORD, SECRET_BITS, parse_code
from yushu_gov.models import AuditEntry

pytestmark = pytest.mark.django_db

TRACK = reverse("requests_public:track")


def test_the_secret_has_at_least_40_bits_of_crockford_base32(resident_request):
    assert SECRET_BITS >= 40
    assert len(resident_request.secret) == 8 and set(resident_request.secret) <= set(CROCKFORD)
    assert not set("ILOU") & set(CROCKFORD)
    code = resident_request.tracking_code
    assert code == f"{resident_request.number}-{resident_request.secret[:4]}-{resident_request.secret[4:]}"


def test_what_a_resident_types_is_read_back():
    assert parse_code("YS-2026-000123-0K1F-M2XD") == (2026, 123, "0K1FM2XD")
    assert parse_code("ys-2026-000123-ok1f-m2xd") == (2026, 123, "0K1FM2XD")  # o read as 0
    assert parse_code("YS-2026-000123-0KIF-M2XD") == (2026, 123, "0K1FM2XD")  # I read as 1
    assert parse_code("YS-2026-000123-0KLF-M2XD") == (2026, 123, "0K1FM2XD")  # L read as 1
    assert parse_code("ＹＳ－２０２６－０００１２３－０ｋ１ｆ－ｍ２ｘｄ") == (2026, 123, "0K1FM2XD")  # full-width
    assert parse_code(" ys 2026 000123 0k1f m2xd ") == (2026, 123, "0K1FM2XD")
    assert parse_code("YS–2026—000123－0K1FM2XD") == (2026, 123, "0K1FM2XD")  # other dashes
    assert parse_code("YS-2026-000123-UK1F-M2XD") is None  # U is not Crockford
    assert parse_code("YS-2026-000123-K7QF") == (2026, 123, "K7QF")  # a code given before still reads
    assert parse_code("<script>") is None and parse_code("") is None


def test_a_code_given_before_keeps_working(resident_request):
    ResidentRequest.objects.filter(pk=resident_request.pk).update(secret="K7QU")
    response = Client().post(TRACK, {"code": f"{resident_request.number}-k7qu"})
    assert response.status_code == 302


def test_a_code_locks_after_a_few_wrong_tries_whatever_the_address(resident_request):
    wrong = f"{resident_request.number}-{'ZZZZZZZZ' if resident_request.secret != 'ZZZZZZZZ' else 'YYYYYYYY'}"
    for n in range(services.CODE_FAILURES):
        response = Client().post(TRACK, {"code": wrong}, REMOTE_ADDR=f"192.0.2.{n + 1}")
        assert "查询码不正确" in response.content.decode()
    right = Client().post(TRACK, {"code": resident_request.tracking_code}, REMOTE_ADDR="198.51.100.1")
    assert right.status_code == 200 and "已暂时锁定" in right.content.decode()
    entry = AuditEntry.objects.for_object(resident_request).get(action="resident_requests.request.code_locked")
    assert entry.actor is None
    with time_machine.travel(timezone.now() + services.CODE_LOCK + timedelta(minutes=1), tick=False):
        assert Client().post(TRACK, {"code": resident_request.tracking_code}).status_code == 302


def test_the_right_code_resets_the_count(resident_request):
    wrong = f"{resident_request.number}-{'ZZZZZZZZ' if resident_request.secret != 'ZZZZZZZZ' else 'YYYYYYYY'}"
    for _ in range(services.CODE_FAILURES - 1):
        Client().post(TRACK, {"code": wrong})
    assert Client().post(TRACK, {"code": resident_request.tracking_code}).status_code == 302
    Client().post(TRACK, {"code": wrong})
    assert Client().post(TRACK, {"code": resident_request.tracking_code}).status_code == 302
