"""The channels' adapters, one small module each, chosen by settings (NOTICE_SMS_CHANNEL, NOTICE_WECOM_CHANNEL,
NOTICE_EMAIL_CHANNEL). An adapter is a function send(notice) -> the provider's reference, raising
TemporaryFailure (tried again later, with back-off) or PermanentFailure (failed at once, with the reason).

`dedupes`: whether sending the same notice twice delivers it once (the development channel keeps one message
per key). Only such a channel is sent again after a worker died between sending and marking; for the others
the notice is failed with that reason rather than risk a second SMS (see yushu_gov/notices/delivery.py)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings

from . import dev, email, sms_aliyun, sms_tencent, wecom
from .base import PermanentFailure, SendFailure, TemporaryFailure

__all__ = ["Adapter", "PermanentFailure", "SendFailure", "TemporaryFailure", "adapter_for"]


@dataclass(frozen=True)
class Adapter:
    name: str
    send: Callable
    dedupes: bool = False


def adapter_for(channel: str) -> Adapter:
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
