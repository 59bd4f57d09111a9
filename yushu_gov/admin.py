from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .admin_mixins import AuditedModelAdmin, ReadOnlyAdminMixin
from .models import AuditEntry, User
from .roles import Role, role_of

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
