"""The accounts' data: the user (with the street, station or officer a role is bound to, and the state of
their password and session), the passwords they have had, their second factor and its recovery codes."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin

from yushu_gov.access.roles import Role, role_of
from yushu_gov.input.labels import (
    EXPIRES_AT,
    NAME_OF_THING,
    OWN_POLICE_STATION,
    OWN_STREET,
    PERSON_NAME,
    USED_AT,
    USER_LABEL,
)
from yushu_gov.security.fields import EncryptedCharField


class User(AbstractUser):
    """A user of the system. The role is the user's group; street staff carry their street, station leaders
    their police station and a police deputy secretary his own officer record (DOMAIN.md §3)."""

    full_name = models.CharField(PERSON_NAME, max_length=50, blank=True)
    street = models.ForeignKey(
        "communities.Street",
        verbose_name=OWN_STREET,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        help_text=_("街道党工委工作人员必填：只能查看和办理本街道的事务。"),
    )
    station = models.ForeignKey(
        "communities.PoliceStation",
        verbose_name=OWN_POLICE_STATION,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="leaders",
        help_text=_("派出所负责人必填：只能查看本所民警。"),
    )
    area = models.ForeignKey(
        "communities.Area",
        verbose_name=_("所属行政区域"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        help_text=_("组织部管理员、公安局审核人员：只能查看和办理本区域及其下级的事务；不选为整个系统。"),
    )
    officer = models.OneToOneField(
        "officers.Officer",
        verbose_name=_("本人民警档案"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="user_account",
        help_text=_("民警副书记必填：只能查看本人的记录和本人在任社区的群众诉求；离任后不再能查看该社区的诉求。"),
    )
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True, editable=False)
    must_change_password = models.BooleanField(
        _("下次登录须修改密码"), default=False, help_text=_("安全管理员设置或重置的密码，本人登录后须立即修改。")
    )
    # The key of the account's one active session (settings.SINGLE_SESSION_PER_ACCOUNT).
    session_key = models.CharField(_("当前会话"), max_length=40, blank=True, editable=False)

    class Meta:
        verbose_name = verbose_name_plural = USER_LABEL

    def __str__(self):
        return self.full_name or self.username

    def set_password(self, raw_password):
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()

    @property
    def role(self) -> Role | None:
        return role_of(self)

    def clean(self):
        super().clean()
        if sum(bool(bound) for bound in (self.street_id, self.station_id, self.officer_id, self.area_id)) > 1:
            raise ValidationError(_("一个用户只能绑定一个行政区域、一个街道、一个派出所或一名民警，不能同时绑定多项。"))


class PasswordHistory(models.Model):
    """A password the user has had (its hash): the last five may not be chosen again."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=USER_LABEL, on_delete=models.CASCADE, related_name="password_history"
    )
    password = models.CharField(_("密码（哈希）"), max_length=128)
    created_at = models.DateTimeField(_("设置时间"), default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = _("历史密码")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.user} · {self.created_at:%Y-%m-%d}"


class TOTPDevice(ThrottlingMixin, Device):
    """A user's authenticator (TOTP, RFC 6238: 6 digits every 30 s). The secret is encrypted at rest; a
    code is accepted once (`last_t`), within one step of drift, and failures back off exponentially."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=USER_LABEL, on_delete=models.CASCADE, related_name="totp_device"
    )
    name = models.CharField(NAME_OF_THING, max_length=64, default="TOTP")
    key = EncryptedCharField(_("密钥"), max_length=40, editable=False)
    confirmed = models.BooleanField(_("已启用"), default=False)
    last_t = models.BigIntegerField(_("最后使用的时间步"), default=-1, editable=False)
    created_at = models.DateTimeField(_("绑定时间"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("启用时间"), null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("双因素认证设备")

    def __str__(self):
        return f"{self.user} · TOTP"

    def get_throttle_factor(self):
        return 1


class RecoveryCode(models.Model):
    """A one-time code for a lost authenticator, kept as a keyed hash (the code itself is shown once)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=USER_LABEL, on_delete=models.CASCADE, related_name="recovery_codes"
    )
    code_hash = models.CharField(_("恢复码（哈希）"), max_length=128)
    used_at = models.DateTimeField(USED_AT, null=True, blank=True)
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = _("恢复码")

    def __str__(self):
        return f"{self.user} · {'已使用' if self.used_at else '未使用'}"


class EnrolmentLink(models.Model):
    """A one-time link to enrol a second factor, issued by the security administrator to the account's holder:
    the first authenticator goes to whoever opens the link while signed in as that account, not to whoever has
    the password first. Kept as a keyed hash (the link itself is shown once); used once, within its lifetime."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=USER_LABEL, on_delete=models.CASCADE, related_name="enrolment_links"
    )
    token_hash = models.CharField(_("链接（哈希）"), max_length=128, unique=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发放人"), on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(_("发放时间"), auto_now_add=True)
    expires_at = models.DateTimeField(EXPIRES_AT)
    used_at = models.DateTimeField(USED_AT, null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("双因素认证绑定链接")

    def __str__(self):
        return f"{self.user} · {self.issued_at:%Y-%m-%d %H:%M}"
