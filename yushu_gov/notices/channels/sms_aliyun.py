"""Alibaba Cloud SMS (dysmsapi 2017-05-25, SendSms), signed with the RPC signature (signature version 1.0,
HMAC-SHA1) as Alibaba Cloud documents it: the parameters sorted, each name and value percent-encoded (RFC 3986,
space as %20, * as %2A, ~ kept), joined into "POST&%2F&<encoded canonical query>", signed with
"<AccessKeySecret>&". The notice's key goes as OutId, so a delivery receipt names the notice."""

import base64
import hashlib
import hmac
import json
import uuid
from datetime import UTC, datetime
from urllib.parse import quote, urlencode

from django.conf import settings

from .base import PermanentFailure, TemporaryFailure, post, template_code

# Codes that a later attempt may get past (flow control); everything else is the request's own fault.
TEMPORARY_CODES = {"Throttling.User", "isp.RAM_PERMISSION_DENY", "isv.BUSINESS_LIMIT_CONTROL", "isp.SYSTEM_ERROR"}


def percent_encode(value: str) -> str:
    return quote(str(value), safe="~")


def string_to_sign(params: dict, method: str = "POST") -> str:
    canonical = "&".join(f"{percent_encode(k)}={percent_encode(v)}" for k, v in sorted(params.items()))
    return f"{method}&{percent_encode('/')}&{percent_encode(canonical)}"


def sign(params: dict, secret: str, method: str = "POST") -> str:
    digest = hmac.new(f"{secret}&".encode(), string_to_sign(params, method).encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def signed_params(notice, *, now: datetime | None = None, nonce: str | None = None) -> dict:
    now = now or datetime.now(UTC)
    params = {
        "AccessKeyId": settings.ALIYUN_SMS_ACCESS_KEY_ID,
        "Action": "SendSms",
        "Format": "JSON",
        "RegionId": "cn-hangzhou",
        "SignatureMethod": "HMAC-SHA1",
        "SignatureNonce": nonce or uuid.uuid4().hex,
        "SignatureVersion": "1.0",
        "Timestamp": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "Version": "2017-05-25",
        "PhoneNumbers": notice.address,
        "SignName": settings.ALIYUN_SMS_SIGN_NAME,
        "TemplateCode": template_code(notice.kind),
        "TemplateParam": json.dumps(notice.params, ensure_ascii=False, separators=(",", ":")),
        "OutId": notice.key,
    }
    params["Signature"] = sign(params, settings.ALIYUN_SMS_ACCESS_KEY_SECRET)
    return params


def send(notice) -> str:
    if not (settings.ALIYUN_SMS_ACCESS_KEY_ID and settings.ALIYUN_SMS_ACCESS_KEY_SECRET):
        raise PermanentFailure("ALIYUN_SMS_ACCESS_KEY_ID / ALIYUN_SMS_ACCESS_KEY_SECRET not set")
    body = urlencode(signed_params(notice)).encode()
    answer = post(
        settings.ALIYUN_SMS_ENDPOINT,
        data=body,
        headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8", "Accept": "application/json"},
    )
    code = str(answer.get("Code", ""))
    if code == "OK":
        return f"aliyun:{answer.get('BizId', '')}"[:100]
    reason = f"{code}: {answer.get('Message', '')}"[:200]
    if code in TEMPORARY_CODES:
        raise TemporaryFailure(reason)
    raise PermanentFailure(reason)
