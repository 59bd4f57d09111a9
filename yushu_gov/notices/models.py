"""The outbox's data: one Notice per event, recipient and channel (the idempotency key, unique in the
database), the development channel's kept messages, and each staff member's choice of channels."""

import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yushu_gov.input.labels import STATUS_LABEL, TIME_LABEL, USER_LABEL
from yushu_gov.security.fields import EncryptedCharField
from yushu_gov.security.masking import mask_mobile

NOTICE = _("通知")
CHANNEL = _("渠道")


class Notice(models.Model):
    class Channel(models.TextChoices):
        INAPP = "inapp", _("站内通知")
        SMS = "sms", _("短信")
        WECOM = "wecom", _("企业微信")
        EMAIL = "email", _("电子邮件")

    class Status(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENDING = "sending", _("发送中")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败")
        SKIPPED = "skipped", _("未发送")

    event = models.CharField(_("事件"), max_length=100)  # e.g. "resident_requests.request.42.accepted.1"
    recipient = models.CharField(_("接收人"), max_length=60)  # "user:5", "request:42" (its resident), "wecom:bureau"
    channel = models.CharField(CHANNEL, max_length=10, choices=Channel.choices)
    kind = models.CharField(_("通知类别"), max_length=60)  # the SMS template's key, e.g. "request.accepted"
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=USER_LABEL, null=True, blank=True, on_delete=models.CASCADE,
        related_name="notices",
    )  # fmt: skip
    address = EncryptedCharField(_("发送地址"), max_length=300, blank=True)  # phone, e-mail or WeCom group key
    title = models.CharField(_("标题"), max_length=100)
    body = models.TextField(_("内容"), max_length=500)
    params = models.JSONField(_("模板参数"), default=dict, blank=True)
    link = models.CharField(_("链接"), max_length=300, blank=True)
    urgent = models.BooleanField(_("紧急"), default=False)
    status = models.CharField(STATUS_LABEL, max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("发送次数"), default=0)
    next_try = models.DateTimeField(_("下次发送时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("写入时间"), auto_now_add=True, db_index=True)
    claimed_at = models.DateTimeField(_("开始发送时间"), null=True, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)
    failure = models.CharField(_("失败原因"), max_length=300, blank=True)
    provider_ref = models.CharField(_("服务商回执"), max_length=100, blank=True)
    worker = models.CharField(_("发送进程"), max_length=100, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = NOTICE
        constraints = [
            models.UniqueConstraint(
                fields=["event", "recipient", "channel"],
                name="one_notice_per_event_recipient_channel",
                violation_error_message=_("同一事件已通知过该接收人。"),
            ),
        ]
        indexes = [
            models.Index(fields=["user", "channel", "read_at"], name="notice_inbox"),
            models.Index(fields=["status", "channel"], name="notice_status"),
        ]

    def __str__(self):
        return f"{self.get_channel_display()} {self.title}"

    @property
    def key(self) -> str:
        """The idempotency key given to the provider (Aliyun OutId, Tencent SessionContext, Message-ID, the
        development channel's unique column): the same for every attempt of this notice."""
        raw = f"{self.event}|{self.recipient}|{self.channel}".encode()
        return hashlib.sha256(raw).hexdigest()[:32]

    @property
    def masked_address(self) -> str:
        if self.channel == self.Channel.SMS:
            return mask_mobile(self.address)
        if self.channel == self.Channel.EMAIL and "@" in self.address:
            name, _at, domain = self.address.partition("@")
            return f"{name[:1]}***@{domain}"
        return self.address


class DevMessage(models.Model):
    """What the development channel 'sent' (SMS, WeCom, e-mail under `make run`): kept once per notice key,
    shown on the delivery page. The phone number is kept masked."""

    key = models.CharField(_("幂等键"), max_length=32, unique=True)
    channel = models.CharField(CHANNEL, max_length=10, choices=Notice.Channel.choices)
    to = models.CharField(_("接收方"), max_length=100)
    text = models.TextField(_("消息内容"), max_length=600)
    created_at = models.DateTimeField(TIME_LABEL, auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = _("开发通道消息")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.get_channel_display()} → {self.to}"


class NoticeChoice(models.Model):
    """A staff member's channels besides the in-app notices, which everyone gets."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=USER_LABEL, on_delete=models.CASCADE, related_name="notice_choice"
    )
    email = models.BooleanField(_("同时发送电子邮件"), default=False)
    wecom = models.BooleanField(_("同时发到本单位企业微信群"), default=False)

    class Meta:
        verbose_name = verbose_name_plural = _("通知渠道")

    def __str__(self):
        return str(self.user)
