"""Residents find their requests again without the tracking code: on the tracking page the resident types
the phone number given with the requests and receives a six-digit SMS code (valid CODE_MINUTES, rate-limited
per phone and per address, MAX_ATTEMPTS tries); the code opens the list of that phone's requests for
GRANT_MINUTES in the resident's session. No account is created, and neither the phone nor the code is stored:
keyed hashes (PhoneCode). A phone without requests gets no SMS, and the page says the same either way, so
the form tells nobody whether a number filed a request.

Phones and codes typed with a Chinese input method are normalised (full-width digits, spaces, dashes, a
+86 prefix) rather than refused."""

import secrets
import unicodedata
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from yushu_gov.notices.outbox import notify_phone

from .models import PhoneCode
from .selectors import requests_with_phone
from .services import throttle_check, throttle_hit

CODE_MINUTES = 5
GRANT_MINUTES = 30


def normalize_digits(value: str) -> str:
    """Full-width and other Unicode digits folded (NFKC), everything that is not a digit dropped."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", value or "") if ch.isascii() and ch.isdigit())


def normalize_phone(value: str) -> str:
    """A mainland mobile number as 11 digits, or ValidationError: "＋86 139－1234 5678" -> "13912345678"."""
    digits = normalize_digits(value)
    if len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]
    if len(digits) != 11 or not digits.startswith("1"):
        raise ValidationError(_("请输入提交诉求时填写的11位手机号码。"), code="phone")
    return digits


def _phone_key(phone: str) -> str:
    return salted_hmac("resident_requests.phone_code.phone", phone).hexdigest()


def _code_hash(phone: str, code: str) -> str:
    return salted_hmac("resident_requests.phone_code.code", f"{phone}:{code}").hexdigest()


@transaction.atomic
def phone_code_send(*, phone: str, address: str | None, now=None) -> bool:
    """Sends a code to `phone` (normalised) when requests were given with it; returns whether one was sent.
    ValidationError when the phone or the address has asked too often."""
    now = now or timezone.now()
    throttle_check("code_address", address, now=now)
    throttle_check("code_phone", phone, now=now)
    throttle_hit("code_address", address, now=now)
    throttle_hit("code_phone", phone, now=now)
    if not requests_with_phone(phone).exists():
        return False
    code = f"{secrets.randbelow(10**6):06d}"
    key = _phone_key(phone)
    row = PhoneCode.objects.create(
        phone_key=key, code_hash=_code_hash(phone, code), created_at=now,
        expires_at=now + timedelta(minutes=CODE_MINUTES),
    )  # fmt: skip
    notify_phone(
        phone=phone, event=f"resident_requests.phone_code.{row.pk}",
        kind="request.phone_code", title=_("诉求查询验证码"), params={"code": code}, urgent=True,
        body=_("您的诉求查询验证码为 %(code)s，%(minutes)s分钟内有效。如非本人操作，请忽略。")
        % {"code": code, "minutes": CODE_MINUTES},
    )  # fmt: skip
    return True


@transaction.atomic
def phone_code_verify(*, phone: str, code: str, address: str | None, now=None) -> list[int] | None:
    """The pks of the phone's requests when `code` is the phone's latest valid code (used up by it), else
    None. ValidationError when the address has tried too often."""
    now = now or timezone.now()
    throttle_check("code_verify_address", address, now=now)
    throttle_hit("code_verify_address", address, now=now)
    row = (
        PhoneCode.objects.select_for_update()
        .filter(phone_key=_phone_key(phone), used_at__isnull=True, expires_at__gt=now)
        .order_by("-created_at", "-pk")
        .first()
    )
    if row is None or row.attempts >= PhoneCode.MAX_ATTEMPTS:
        return None
    if not constant_time_compare(row.code_hash, _code_hash(phone, normalize_digits(code))):
        row.attempts += 1
        row.save(update_fields=["attempts"])
        return None
    row.used_at = now
    row.save(update_fields=["used_at"])
    return list(requests_with_phone(phone).order_by("-submitted_at").values_list("pk", flat=True)[:50])


def phone_codes_purge(*, now=None) -> int:
    """Deletes the codes past their validity (run with the daily erasure)."""
    deleted, _per_model = PhoneCode.objects.filter(expires_at__lt=(now or timezone.now()) - timedelta(days=1)).delete()
    return deleted
