"""The append-only, hash-chained audit log."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connections, models, router, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yushu_gov.audit import chain as audit_chain
from yushu_gov.input.labels import ACTION_LABEL, AUDIT_LOG, CHANGES, IP_ADDRESS, OBJECT_LABEL, OBJECT_TYPE, TIME_LABEL


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

    at = models.DateTimeField(TIME_LABEL, default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_entries",
    )
    actor_name = models.CharField(_("操作人账号"), max_length=150, blank=True)
    action = models.CharField(ACTION_LABEL, max_length=100, db_index=True)
    content_type = models.ForeignKey(
        ContentType, verbose_name=OBJECT_TYPE, on_delete=models.PROTECT, null=True, blank=True
    )
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    object_repr = models.CharField(OBJECT_LABEL, max_length=200, blank=True)
    changes = models.JSONField(CHANGES, default=dict, blank=True)
    ip_address = models.GenericIPAddressField(IP_ADDRESS, null=True, blank=True)
    prev_hash = models.CharField(_("上一条的哈希"), max_length=64, blank=True, editable=False)
    entry_hash = models.CharField(_("本条哈希"), max_length=64, blank=True, editable=False)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = AUDIT_LOG
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="audit_object_idx"),
            # The log's pages, newest first, in index order (keyset paging, yushu_gov/lists/keyset.py).
            models.Index(fields=["at", "id"], name="audit_at_id"),
        ]

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
