"""The project's cross-cutting models: the user (with the street or station a role is bound to, and the state
of their password and session), their second factor, and the append-only, hash-chained audit log."""

import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connections, models, router, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin

from . import audit_chain
from .constraints import ConstraintFields
from .fields import EncryptedCharField
from .roles import Role, role_of


class User(AbstractUser):
    """A user of the system. The role is the user's group; street staff carry their street, station leaders
    their police station and a police deputy secretary his own officer record (DOMAIN.md §3)."""

    full_name = models.CharField(_("姓名"), max_length=50, blank=True)
    street = models.ForeignKey(
        "communities.Street",
        verbose_name=_("所属街道"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        help_text=_("街道党工委工作人员必填：只能查看和办理本街道的事务。"),
    )
    station = models.ForeignKey(
        "communities.PoliceStation",
        verbose_name=_("所属派出所"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="leaders",
        help_text=_("派出所负责人必填：只能查看本所民警。"),
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
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

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
        if sum(bool(bound) for bound in (self.street_id, self.station_id, self.officer_id)) > 1:
            raise ValidationError(_("一个用户只能绑定一个街道、一个派出所或一名民警，不能同时绑定多项。"))


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("Audit entries are append-only and cannot be updated.")

    def delete(self):
        raise PermissionError("Audit entries are append-only and cannot be deleted.")

    def bulk_create(self, *args, **kwargs):
        raise PermissionError("Audit entries are appended one by one, each linked to the one before.")

    def for_object(self, obj):
        return self.filter(
            content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
            object_id=str(obj.pk),
        ).select_related("actor")


class AuditEntry(models.Model):
    """One line of the append-only audit log: who did what to which object, with the changed fields
    (personal data masked). Written by the services in the same transaction as the change; never edited
    or deleted (the model, its queryset and, on PostgreSQL, a trigger and the runtime role's privileges
    all refuse); and linked to the entry before it by a keyed hash, so that an entry altered or removed
    behind the application's back is found (yushu_gov/audit/chain.py, `manage.py verify_audit`)."""

    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_entries",
    )
    actor_name = models.CharField(_("操作人账号"), max_length=150, blank=True)
    action = models.CharField(_("操作"), max_length=100, db_index=True)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("对象类型"), on_delete=models.PROTECT, null=True, blank=True
    )
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    changes = models.JSONField(_("变更内容"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    prev_hash = models.CharField(_("上一条的哈希"), max_length=64, blank=True, editable=False)
    entry_hash = models.CharField(_("本条哈希"), max_length=64, blank=True, editable=False)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="audit_object_idx")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        """Appends the entry at the end of the chain (in its own savepoint, holding the chain's lock until the
        surrounding transaction ends)."""
        if self.pk is not None:
            raise PermissionError("Audit entries are append-only and cannot be changed.")
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using):
            audit_chain.lock(connections[using])
            self.changes = audit_chain.json_ready(self.changes)
            last = type(self).objects.using(using).order_by("-id").values_list("entry_hash", flat=True).first()
            self.prev_hash = last or audit_chain.GENESIS
            self.entry_hash = audit_chain.entry_hash(self)
            super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit entries are append-only and cannot be deleted.")


class PasswordHistory(models.Model):
    """A password the user has had (its hash): the last five may not be chosen again."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="password_history"
    )
    password = models.CharField(_("密码（哈希）"), max_length=128)
    created_at = models.DateTimeField(_("设置时间"), default=timezone.now)

    class Meta:
        verbose_name = _("历史密码")
        verbose_name_plural = _("历史密码")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.user} · {self.created_at:%Y-%m-%d}"


class TOTPDevice(ThrottlingMixin, Device):
    """A user's authenticator (TOTP, RFC 6238: 6 digits every 30 s). The secret is encrypted at rest; a
    code is accepted once (`last_t`), within one step of drift, and failures back off exponentially."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="totp_device"
    )
    name = models.CharField(_("名称"), max_length=64, default="TOTP")
    key = EncryptedCharField(_("密钥"), max_length=40, editable=False)
    confirmed = models.BooleanField(_("已启用"), default=False)
    last_t = models.BigIntegerField(_("最后使用的时间步"), default=-1, editable=False)
    created_at = models.DateTimeField(_("绑定时间"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("启用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("双因素认证设备")
        verbose_name_plural = _("双因素认证设备")

    def __str__(self):
        return f"{self.user} · TOTP"

    def get_throttle_factor(self):
        return 1


class RecoveryCode(models.Model):
    """A one-time code for a lost authenticator, kept as a keyed hash (the code itself is shown once)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="recovery_codes"
    )
    code_hash = models.CharField(_("恢复码（哈希）"), max_length=128)
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("恢复码")
        verbose_name_plural = _("恢复码")

    def __str__(self):
        return f"{self.user} · {'已使用' if self.used_at else '未使用'}"


class FormSubmission(ConstraintFields, models.Model):
    """A form that was sent and saved, by its idempotency key (yushu_gov/input/idempotency.py): the same form sent
    again (a retry on a weak network, a double tap) finds its key here and saves nothing twice."""

    key = models.CharField(_("表单标识"), max_length=64)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True, db_index=True)
    result_url = models.CharField(_("结果页面"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("已提交的表单")
        verbose_name_plural = _("已提交的表单")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"],
                name="one_submission_per_form_key",
                violation_error_message=_("该表单已经提交过。"),
            )
        ]

    def __str__(self):
        return f"{self.user_id} · {self.key}"


def export_file_path(instance, filename):
    """Under MEDIA_ROOT/private/ with a random name: never a public URL, only the requester's download view."""
    return f"private/exports/{instance.created_at:%Y%m%d}/{uuid.uuid4().hex}.xlsx"


class ExportJob(models.Model):
    """One export run in the background (yushu_gov/documents/export_jobs.py): who asked, for which kind and filter, how
    far it got, and the file, kept for EXPORT_KEEP_HOURS after it is written and then deleted. Only the
    requester sees the job or downloads its file."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("导出中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申请人"), on_delete=models.CASCADE, related_name="export_jobs"
    )
    kind = models.CharField(_("导出类型"), max_length=50)
    title = models.CharField(_("名称"), max_length=100)
    # The list's filter as the request gave it ({name: [values]}), bounded by export_jobs.bounded_params.
    params = models.JSONField(_("筛选条件"), default=dict, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    rows_done = models.PositiveIntegerField(_("已导出行数"), default=0)
    rows_total = models.PositiveIntegerField(_("总行数"), null=True, blank=True)
    message = models.CharField(_("说明"), max_length=200, blank=True)
    file = models.FileField(_("文件"), upload_to=export_file_path, max_length=200, blank=True)
    filename = models.CharField(_("下载文件名"), max_length=150, blank=True)
    attempts = models.PositiveSmallIntegerField(_("运行次数"), default=0)
    worker = models.CharField(_("后台进程"), max_length=100, blank=True)  # host:pid of the run in progress
    task_id = models.CharField(_("任务编号"), max_length=64, blank=True)  # the queue's id of the last run
    ip_address = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)  # for the audit entry
    created_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("最近进展"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    expires_at = models.DateTimeField(_("下载截止"), null=True, blank=True)

    class Meta:
        verbose_name = _("导出任务")
        verbose_name_plural = _("导出任务")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["requester", "-created_at"], name="export_job_requester_idx"),
            models.Index(fields=["status", "heartbeat_at"], name="export_job_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["queued", "running", "done", "failed"]),
                name="export_job_status_valid",
                violation_error_message=_("导出任务状态无效。"),
            )
        ]

    def __str__(self):
        return f"{self.title} · {self.get_status_display()}"

    @property
    def active(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(99, self.rows_done * 100 // self.rows_total)

    def downloadable(self, now=None) -> bool:
        now = now or timezone.now()
        return (
            self.status == self.Status.DONE
            and bool(self.file)
            and self.expires_at is not None
            and now < self.expires_at
        )
