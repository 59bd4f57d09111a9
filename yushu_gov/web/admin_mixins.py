"""Admin-site changes go into the audit log, in the admin's own transaction."""

from django.contrib import admin

from yushu_gov.audit.log import audit_log, changes_of, snapshot


def _in_scope(queryset, request):
    """The records of the user's scope, for a model whose queryset says who sees what (`visible_to`): an
    administrator of a county sees his county's records in the admin site too, and only those to choose from."""
    visible_to = getattr(queryset, "visible_to", None)
    return queryset if visible_to is None else visible_to(request.user)


class AuditedModelAdmin(admin.ModelAdmin):
    """Logs every create, change and delete made in the admin site (`<app>.<model>.created|changed|deleted`):
    one entry per save, with the changed fields, the many-to-many fields (a user's groups) and what the
    inline forms added, changed or deleted. Lists and choices are those of the user's scope."""

    def get_queryset(self, request):
        return _in_scope(super().get_queryset(request), request)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "queryset" not in kwargs:
            kwargs["queryset"] = _in_scope(db_field.remote_field.model._default_manager.all(), request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "queryset" not in kwargs:
            kwargs["queryset"] = _in_scope(db_field.remote_field.model._default_manager.all(), request)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def _action(self, obj, verb: str) -> str:
        return f"{obj._meta.app_label}.{obj._meta.model_name}.{verb}"

    @staticmethod
    def _related(obj, names) -> dict:
        return {name: sorted(str(item) for item in getattr(obj, name).all()) for name in names}

    def save_model(self, request, obj, form, change):
        concrete = {f.name for f in obj._meta.concrete_fields} - {"password"}
        fields = [name for name in form.changed_data if name in concrete]
        m2m = [f.name for f in obj._meta.many_to_many if f.name in form.changed_data]
        before = {}
        if change:
            existing = type(obj)._default_manager.get(pk=obj.pk)
            before = {**snapshot(existing, fields), **self._related(existing, m2m)}
        super().save_model(request, obj, form, change)
        obj._audit = {"before": before, "fields": fields, "m2m": m2m, "change": change, "inlines": {}}

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        summary = (
            [f"新增：{o}" for o in formset.new_objects]
            + [f"修改：{o}" for o, _ in formset.changed_objects]
            + [f"删除：{o}" for o in formset.deleted_objects]
        )
        if summary and hasattr(form.instance, "_audit"):
            form.instance._audit["inlines"][str(formset.model._meta.verbose_name)] = "；".join(summary)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj = form.instance
        state = getattr(obj, "_audit", None)
        if state is None:
            return
        after = {**snapshot(obj, state["fields"]), **self._related(obj, state["m2m"])}
        changes = changes_of(state["before"], after)  # on create "before" is empty: every field is new
        changes.update({label: [None, text] for label, text in state["inlines"].items()})
        audit_log(
            actor=request.user,
            action=self._action(obj, "changed" if state["change"] else "created"),
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
