from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from .admin_mixins import AuditedModelAdmin, ReadOnlyAdminMixin
from .models import AuditEntry, FormSubmission, User
from .roles import GROUP_NAMES, Role, role_of

admin.site.site_header = _("玉树市党员民警兼任社区党支部副书记管理系统")
admin.site.site_title = _("玉树市党员民警兼任社区党支部副书记管理系统")
admin.site.index_title = _("系统管理")


@admin.register(User)
class UserAdmin(AuditedModelAdmin, DjangoUserAdmin):
    list_display = ["username", "full_name", "role_display", "street", "station", "is_active", "last_login"]
    list_filter = ["groups", "street", "station", "is_active", "is_staff"]
    search_fields = ["username", "full_name"]
    list_select_related = ["street", "station"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("基本信息"), {"fields": ("full_name", "email")}),
        (_("角色与范围"), {"fields": ("groups", "street", "station")}),
        (_("状态"), {"fields": ("is_active", "is_staff", "is_superuser", "last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "full_name", "password1", "password2")}),
        (_("角色与范围"), {"fields": ("groups", "street", "station")}),
    )
    readonly_fields = ["last_login", "date_joined"]
    filter_horizontal = ["groups"]

    # 等保 三员分立: the system administrator manages the staff's accounts but cannot make anyone a
    # superuser or an auditor, nor change an auditor's or a superuser's account (password included).
    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        return [
            (
                name,
                {**options, "fields": [f for f in options["fields"] if f not in ("is_superuser", "user_permissions")]},
            )
            for name, options in fieldsets
        ]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups" and not request.user.is_superuser:
            kwargs["queryset"] = Group.objects.exclude(name=GROUP_NAMES[Role.AUDITOR])
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def _protected(self, request, obj) -> bool:
        return obj is not None and not request.user.is_superuser and (obj.is_superuser or role_of(obj) == Role.AUDITOR)

    def has_change_permission(self, request, obj=None):
        return not self._protected(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._protected(request, obj) and super().has_delete_permission(request, obj)

    @admin.display(description=_("角色"))
    def role_display(self, obj):
        role = role_of(obj)
        return role.label if role else "—"

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only, and only for the audit administrator (and superusers)."""

    list_display = ["at", "actor_name", "action", "object_repr", "ip_address"]
    list_filter = ["action", "content_type"]
    search_fields = ["actor_name", "action", "object_repr"]
    date_hierarchy = "at"
    list_select_related = ["actor", "content_type"]

    def _is_auditor(self, request):
        return request.user.is_superuser or role_of(request.user) == Role.AUDITOR

    def has_module_permission(self, request):
        return self._is_auditor(request)

    def has_view_permission(self, request, obj=None):
        return self._is_auditor(request)


@admin.register(FormSubmission)
class FormSubmissionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The forms saved by their idempotency keys (yushu_gov/idempotency.py): read-only, for a support question
    such as "did my talk record arrive twice?"."""

    list_display = ["created_at", "user", "result_url"]
    search_fields = ["user__username", "key"]
    list_select_related = ["user"]
    date_hierarchy = "created_at"
