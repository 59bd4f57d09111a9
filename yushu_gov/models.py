"""The project's cross-cutting models: the user (with the street or station a role is bound to) and the
append-only audit log."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .constraints import ConstraintFields
from .roles import Role, role_of


class User(AbstractUser):
    """A user of the system. The role is the user's group; street staff carry their street and
    station leaders their police station (DOMAIN.md §3)."""

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

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self):
        return self.full_name or self.username

    @property
    def role(self) -> Role | None:
        return role_of(self)

    def clean(self):
        super().clean()
        if self.street_id and self.station_id:
            raise ValidationError(_("一个用户只能绑定一个街道或一个派出所，不能同时绑定两者。"))


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("Audit entries are append-only and cannot be updated.")

    def delete(self):
        raise PermissionError("Audit entries are append-only and cannot be deleted.")

    def for_object(self, obj):
        return self.filter(
            content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
            object_id=str(obj.pk),
        ).select_related("actor")


class AuditEntry(models.Model):
    """One line of the append-only audit log: who did what to which object, with the changed fields
    (personal data masked). Written by the services in the same transaction as the change; never edited
    or deleted (the model, its queryset and, on PostgreSQL, a trigger all refuse)."""

    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
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

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="audit_object_idx")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("Audit entries are append-only and cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit entries are append-only and cannot be deleted.")


class FormSubmission(ConstraintFields, models.Model):
    """A form that was sent and saved, by its idempotency key (yushu_gov/idempotency.py): the same form sent
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
