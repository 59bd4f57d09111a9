"""Admin-site changes go into the audit log, in the admin's own transaction."""

from django.contrib import admin

from .audit import audit_log, changes_of, snapshot


class AuditedModelAdmin(admin.ModelAdmin):
    """Logs every create, change and delete made in the admin site (`<app>.<model>.created|changed|deleted`)."""

    def _action(self, obj, verb: str) -> str:
        return f"{obj._meta.app_label}.{obj._meta.model_name}.{verb}"

    def _fields(self, obj, form):
        concrete = {f.name for f in obj._meta.concrete_fields} - {"password"}
        return [name for name in form.changed_data if name in concrete]

    def save_model(self, request, obj, form, change):
        fields = self._fields(obj, form)
        before = {}
        if change and fields:
            before = snapshot(type(obj)._default_manager.get(pk=obj.pk), fields)
        super().save_model(request, obj, form, change)
        after = snapshot(obj, fields)
        changes = changes_of(before, after) if change else {k: [None, v] for k, v in after.items()}
        audit_log(
            actor=request.user,
            action=self._action(obj, "changed" if change else "created"),
            obj=obj,
            changes=changes,
            request=request,
        )

    def delete_model(self, request, obj):
        audit_log(actor=request.user, action=self._action(obj, "deleted"), obj=obj, request=request)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            audit_log(actor=request.user, action=self._action(obj, "deleted"), obj=obj, request=request)
        super().delete_queryset(request, queryset)


class ReadOnlyAdminMixin:
    """For records written only by the services (workflow steps, the audit log): viewable, never added,
    changed or deleted through the admin site."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
