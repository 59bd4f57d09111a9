"""The open interfaces' own tables: the partner platforms' keys (issued by the security administrator, stored
as a SHA-256 hash), the counted uses that bound each key's rate, and the requests a partner brought in (its
token, and the 12345 hotline's ticket number as the external id), one-to-one with the residents' requests."""

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from officers.resident_requests.models import ResidentRequest
from yushu_gov.input.labels import RESIDENT_REQUESTS, SUBMITTED_AT, TIME_LABEL
from yushu_gov.security.fields import EncryptedCharField

KEY_PREFIX_LENGTH = 12  # "ys311_" and six characters of the key: enough to tell keys apart, useless to guess


class PartnerKey(models.Model):
    """A partner platform's key (the 12345 hotline, a prefecture platform). Only the SHA-256 hash of the key is
    kept; the key itself is shown once, when the security administrator issues it. A revoked key stays, so
    that the audit entries of its uses keep pointing at it."""

    name = models.CharField(_("接入平台"), max_length=100)
    key_hash = models.CharField(_("密钥摘要"), max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("密钥前缀"), max_length=KEY_PREFIX_LENGTH, editable=False)
    may_post = models.BooleanField(_("可提交诉求（Open311）"), default=True)
    may_work_orders = models.BooleanField(_("可办理12345工单"), default=False)
    rate_per_minute = models.PositiveSmallIntegerField(_("每分钟调用上限"), default=60)
    webhook_url = models.URLField(_("工单推送地址"), max_length=500, blank=True)
    webhook_secret = EncryptedCharField(_("推送签名密钥"), max_length=64, blank=True, editable=False)
    webhook_after = models.BigIntegerField(
        _("已推送至步骤"), default=0, editable=False, help_text=_("已确认送达的最后一个办理步骤编号。")
    )
    webhook_failures = models.PositiveIntegerField(_("连续推送失败次数"), default=0, editable=False)
    webhook_error = models.CharField(_("最近推送错误"), max_length=200, blank=True, editable=False)
    created_at = models.DateTimeField(_("签发时间"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        "yushu_gov.User", verbose_name=_("签发人"), on_delete=models.PROTECT, null=True, related_name="+",
        editable=False,
    )  # fmt: skip
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("接口密钥")
        verbose_name_plural = verbose_name
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rate_per_minute__gte=1, rate_per_minute__lte=6000),
                name="partner_key_rate_1_to_6000",
                violation_error_message=_("每分钟调用上限须在1至6000之间。"),
            ),
        ]

    def __str__(self):
        return f"{self.name}（{self.prefix}…）"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class KeyHit(models.Model):
    """One counted use of a key: the rate limit is counted in the database. Uses older than the window are
    deleted as the next use is counted."""

    key = models.ForeignKey(
        PartnerKey, verbose_name=PartnerKey._meta.verbose_name, on_delete=models.CASCADE, related_name="+"
    )
    at = models.DateTimeField(TIME_LABEL, default=timezone.now)

    class Meta:
        verbose_name = _("接口调用记录")
        verbose_name_plural = verbose_name
        indexes = [models.Index(fields=["key", "at"], name="open311_keyhit_key_at")]

    def __str__(self):
        return f"{self.key_id} {self.at:%Y-%m-%d %H:%M:%S}"


class PartnerRequest(models.Model):
    """A resident's request that came in through a partner's key: the Open311 token the partner can look it
    up by, and, for the 12345 hotline's work orders, the hotline's ticket number (one request per ticket)."""

    request = models.OneToOneField(
        ResidentRequest, verbose_name=RESIDENT_REQUESTS, on_delete=models.CASCADE, related_name="partner_request"
    )
    partner = models.ForeignKey(
        PartnerKey,
        verbose_name=PartnerKey._meta.get_field("name").verbose_name,
        on_delete=models.PROTECT,
        related_name="partner_requests",
    )
    token = models.UUIDField(_("提交凭据"), default=uuid.uuid4, unique=True, editable=False)
    external_id = models.CharField(_("12345工单号"), max_length=64, blank=True)
    created_at = models.DateTimeField(SUBMITTED_AT, default=timezone.now)

    class Meta:
        verbose_name = _("接口提交的诉求")
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "external_id"],
                condition=~Q(external_id=""),
                name="partner_request_one_per_ticket",
                violation_error_message=_("该12345工单号已提交过。"),
            ),
        ]

    def __str__(self):
        return f"{self.partner.name} · {self.external_id or self.token}"
