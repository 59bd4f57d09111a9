"""Point 4 of the outbox's issue: a resident finds the requests given with a phone number again without the
tracking code, through a six-digit SMS code (the development channel keeps the SMS)."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from officers.resident_requests.models import PhoneCode
from officers.resident_requests.recovery import normalize_phone
from tests.resident_requests.helpers import submit
from yushu_gov.models import DevMessage

pytestmark = pytest.mark.django_db
PHONE = "13912345678"


def _code() -> str:
    message = DevMessage.objects.filter(text__contains="验证码").latest("pk")
    return re.search(r"\d{6}", message.text)[0]


def _fullwidth(text: str) -> str:
    return "".join(chr(ord(ch) + 0xFEE0) if ch.isdigit() else ch for ch in text)


def test_normalising_what_a_chinese_input_method_types():
    assert normalize_phone("＋８６ １３９－１２３４　５６７８") == PHONE
    assert normalize_phone("139—1234—5678") == PHONE
    with pytest.raises(Exception, match="11位"):
        normalize_phone("12345")


def test_the_phone_code_opens_the_phones_requests_for_thirty_minutes(client, officer):
    mine = [submit(resident_phone=PHONE, contact_consent=True) for _ in range(2)]
    other = submit(resident_phone="13700000000", contact_consent=True)
    page = client.post(reverse("requests_public:phone"), {"phone": _fullwidth("139 1234-5678")})
    assert page.status_code == 302 and page["Location"] == reverse("requests_public:phone_code")
    message = DevMessage.objects.filter(text__contains="验证码").get()
    assert message.to == "139****5678"
    assert "139****5678" in client.get(page["Location"]).content.decode()

    typed = _fullwidth(_code()[:3]) + " " + _code()[3:]  # full-width digits and a space
    done = client.post(reverse("requests_public:phone_code"), {"code": typed})
    assert done["Location"] == reverse("requests_public:mine")
    listing = client.get(reverse("requests_public:mine")).content.decode()
    assert all(item.number in listing for item in mine) and other.number not in listing
    assert PHONE not in listing

    opened = client.post(reverse("requests_public:mine"), {"request": mine[0].pk})
    assert opened["Location"] == reverse("requests_public:track")
    assert mine[0].number in client.get(opened["Location"]).content.decode()
    assert client.post(reverse("requests_public:mine"), {"request": other.pk}).status_code == 200  # not hers

    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        assert client.get(reverse("requests_public:mine"))["Location"] == reverse("requests_public:phone")


def test_a_code_is_valid_five_minutes_and_five_tries(client, officer):
    submit(resident_phone=PHONE, contact_consent=True)
    client.post(reverse("requests_public:phone"), {"phone": PHONE})
    code = _code()
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(PhoneCode.MAX_ATTEMPTS):
        page = client.post(reverse("requests_public:phone_code"), {"code": wrong})
        assert page.status_code == 200 and "验证码不正确" in page.content.decode()
    assert client.post(reverse("requests_public:phone_code"), {"code": code}).status_code == 200  # used up

    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        client.post(reverse("requests_public:phone"), {"phone": PHONE})
        fresh = _code()
    with time_machine.travel(timezone.now() + timedelta(minutes=8)):
        assert client.post(reverse("requests_public:phone_code"), {"code": fresh}).status_code == 200  # expired


def test_codes_are_rate_limited_per_phone_and_per_address(client, officer):
    submit(resident_phone=PHONE, contact_consent=True)
    assert client.post(reverse("requests_public:phone"), {"phone": PHONE}).status_code == 302
    again = client.post(reverse("requests_public:phone"), {"phone": PHONE})  # within the minute
    assert again.status_code == 200 and "频繁" in again.content.decode()
    assert DevMessage.objects.count() == 2  # the submission's code and one recovery code

    for n in range(9):  # other numbers from the same address, up to its hourly limit of 10
        client.post(reverse("requests_public:phone"), {"phone": f"1370000000{n}"})
    refused = client.post(reverse("requests_public:phone"), {"phone": "13600000000"})
    assert "频繁" in refused.content.decode()


def test_a_phone_without_requests_gets_no_sms_and_the_same_page(client):
    page = client.post(reverse("requests_public:phone"), {"phone": PHONE})
    assert page.status_code == 302 and not DevMessage.objects.exists()
