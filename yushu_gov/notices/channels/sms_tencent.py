"""Tencent Cloud SMS (API 2021-01-11, SendSms), signed with TC3-HMAC-SHA256 as Tencent Cloud documents it:
the canonical request (method, URI, query, the content-type and host headers, their names, the payload's
SHA-256), the string to sign ("TC3-HMAC-SHA256", the timestamp, "<date>/sms/tc3_request", the canonical
request's SHA-256), and the key derived from "TC3" + SecretKey through the date, the service and
"tc3_request". The notice's key goes as SessionContext."""

import hashlib
import hmac
import json
from datetime import UTC, datetime
from urllib.parse import urlsplit

from django.conf import settings

from .base import PermanentFailure, TemporaryFailure, post, template_code

SERVICE = "sms"
VERSION = "2021-01-11"
CONTENT_TYPE = "application/json; charset=utf-8"
TEMPORARY_CODES = {"RequestLimitExceeded", "InternalError", "LimitExceeded.PhoneNumberThirtySecondLimit"}


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _hmac(key: bytes, message: str) -> bytes:
    return hmac.new(key, message.encode(), hashlib.sha256).digest()


def canonical_request(*, host: str, payload: bytes, method: str = "POST", content_type: str = CONTENT_TYPE) -> str:
    headers = f"content-type:{content_type}\nhost:{host}\n"
    return f"{method}\n/\n\n{headers}\ncontent-type;host\n{_sha256(payload)}"


def date_of(timestamp: int) -> str:
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d")


def string_to_sign(*, timestamp: int, service: str, canonical: str) -> str:
    scope = f"{date_of(timestamp)}/{service}/tc3_request"
    return f"TC3-HMAC-SHA256\n{timestamp}\n{scope}\n{_sha256(canonical.encode())}"


def signature(*, secret_key: str, timestamp: int, service: str, canonical: str) -> str:
    key = _hmac(("TC3" + secret_key).encode(), date_of(timestamp))
    key = _hmac(key, service)
    key = _hmac(key, "tc3_request")
    return hmac.new(key, string_to_sign(timestamp=timestamp, service=service, canonical=canonical).encode(),
                    hashlib.sha256).hexdigest()  # fmt: skip


def authorization(*, secret_id: str, secret_key: str, timestamp: int, service: str, canonical: str) -> str:
    scope = f"{date_of(timestamp)}/{service}/tc3_request"
    sig = signature(secret_key=secret_key, timestamp=timestamp, service=service, canonical=canonical)
    return f"TC3-HMAC-SHA256 Credential={secret_id}/{scope}, SignedHeaders=content-type;host, Signature={sig}"


# Tencent Cloud fills a template's {1}, {2}, … by position, so each kind's parameters go in a fixed order (the
# README's order). A notice's params are a JSON object, whose key order PostgreSQL's jsonb does not keep.
PARAM_ORDER = {
    "request.submitted": ("code",),
    "request.accepted": ("number", "respond_by", "resolve_by"),
    "request.transferred": ("number", "to", "resolve_by"),
    "request.resolved": ("number",),
    "request.supervised": ("number",),
    "request.phone_code": ("code",),
}


def template_params(notice) -> list[str]:
    """The template's parameters in their positions; a kind not listed takes its names in sorted order."""
    order = PARAM_ORDER.get(notice.kind) or sorted(notice.params)
    return [str(notice.params[name]) for name in order if name in notice.params]


def signed_request(notice, *, timestamp: int | None = None) -> tuple[bytes, dict]:
    timestamp = timestamp or int(datetime.now(UTC).timestamp())
    payload = json.dumps(
        {
            "PhoneNumberSet": [f"+86{notice.address}"],
            "SmsSdkAppId": settings.TENCENT_SMS_SDK_APP_ID,
            "SignName": settings.TENCENT_SMS_SIGN_NAME,
            "TemplateId": template_code(notice.kind),
            "TemplateParamSet": template_params(notice),
            "SessionContext": notice.key,
        },
        ensure_ascii=False,
    ).encode()
    host = urlsplit(settings.TENCENT_SMS_ENDPOINT).netloc
    canonical = canonical_request(host=host, payload=payload)
    headers = {
        "Authorization": authorization(
            secret_id=settings.TENCENT_SMS_SECRET_ID,
            secret_key=settings.TENCENT_SMS_SECRET_KEY,
            timestamp=timestamp,
            service=SERVICE,
            canonical=canonical,
        ),  # fmt: skip
        "Content-Type": CONTENT_TYPE,
        "Host": host,
        "X-TC-Action": "SendSms",
        "X-TC-Timestamp": str(timestamp),
        "X-TC-Version": VERSION,
        "X-TC-Region": settings.TENCENT_SMS_REGION,
    }
    return payload, headers


def send(notice) -> str:
    if not (settings.TENCENT_SMS_SECRET_ID and settings.TENCENT_SMS_SECRET_KEY and settings.TENCENT_SMS_SDK_APP_ID):
        raise PermanentFailure("TENCENT_SMS_SECRET_ID / TENCENT_SMS_SECRET_KEY / TENCENT_SMS_SDK_APP_ID not set")
    payload, headers = signed_request(notice)
    answer = post(settings.TENCENT_SMS_ENDPOINT, data=payload, headers=headers).get("Response", {})
    if "Error" in answer:
        code = str(answer["Error"].get("Code", ""))
        reason = f"{code}: {answer['Error'].get('Message', '')}"[:200]
        raise (TemporaryFailure if code in TEMPORARY_CODES else PermanentFailure)(reason)
    statuses = answer.get("SendStatusSet") or [{}]
    code = str(statuses[0].get("Code", ""))
    if code != "Ok":
        reason = f"{code}: {statuses[0].get('Message', '')}"[:200]
        raise (TemporaryFailure if code in TEMPORARY_CODES else PermanentFailure)(reason)
    return f"tencent:{statuses[0].get('SerialNo', '')}"[:100]
