"""The channels' adapters, one small module each, chosen by settings (NOTICE_SMS_CHANNEL, NOTICE_WECOM_CHANNEL,
NOTICE_EMAIL_CHANNEL). An adapter is a function send(notice) -> the provider's reference, raising
TemporaryFailure (tried again later, with back-off) or PermanentFailure (failed at once, with the reason).

`dedupes`: whether sending the same notice twice delivers it once (the development channel keeps one message
per key). Only such a channel is sent again after a worker died between sending and marking; for the others
the notice is failed with that reason rather than risk a second SMS (see yushu_gov/notices/delivery.py)."""

import json
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings


class SendFailure(Exception):
    """A send that did not go through; the message (Chinese or the provider's code) is shown as the reason."""


class TemporaryFailure(SendFailure):
    pass


class PermanentFailure(SendFailure):
    pass


@dataclass(frozen=True)
class Adapter:
    name: str
    send: Callable
    dedupes: bool = False


def adapter_for(channel: str) -> Adapter:
    from . import dev, email, sms_aliyun, sms_tencent, wecom

    chosen = {
        "sms": settings.NOTICE_SMS_CHANNEL,
        "wecom": settings.NOTICE_WECOM_CHANNEL,
        "email": settings.NOTICE_EMAIL_CHANNEL,
    }[channel]
    real = {
        ("sms", "aliyun"): Adapter("aliyun", sms_aliyun.send),
        ("sms", "tencent"): Adapter("tencent", sms_tencent.send),
        ("wecom", "webhook"): Adapter("webhook", wecom.send),
        ("email", "smtp"): Adapter("smtp", email.send),
    }
    if chosen == "dev":
        return Adapter("dev", dev.send, dedupes=True)
    try:
        return real[(channel, chosen)]
    except KeyError:
        raise PermanentFailure(f"unknown {channel} channel {chosen!r}") from None


def post(url: str, *, data: bytes, headers: dict, timeout: float = 10.0) -> dict:
    """POSTs and returns the JSON answer. Network errors and 5xx/429 answers are temporary, other HTTP errors
    permanent."""
    request = urllib.request.Request(url, data=data, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (the URL is a setting)
            return json.loads(response.read().decode("utf-8") or "{}")
    except urllib.error.HTTPError as exc:
        text = f"HTTP {exc.code}"
        if exc.code >= 500 or exc.code == 429:
            raise TemporaryFailure(text) from exc
        raise PermanentFailure(text) from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise TemporaryFailure(f"network: {type(exc).__name__}") from exc
    except ValueError as exc:
        raise TemporaryFailure("invalid JSON answer") from exc


def template_code(kind: str) -> str:
    code = settings.SMS_TEMPLATES.get(kind, "")
    if not code:
        raise PermanentFailure(f"no SMS template for {kind}")
    return str(code)
