"""The security administrator's partner keys (等保 三员分立: keys are credentials, like accounts): issue one
(the key is shown once, on the page after saving), revoke it. The auditor reads them; nobody edits a key
after it is issued, and none is deleted (the audit entries of its uses point at it)."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from yushu_gov.access.roles import Role, has_role, role_of

from . import services
from .models import PartnerKey


@admin.register(PartnerKey)
class PartnerKeyAdmin(admin.ModelAdmin):
    list_display = ["name", "prefix", "may_post", "may_work_orders", "rate_per_minute", "webhook_url",
                    "webhook_failures", "created_at", "revoked_at"]  # fmt: skip
    fields = ["name", "may_post", "may_work_orders", "rate_per_minute"]
    readonly_fields = ["prefix", "webhook_url", "webhook_failures", "webhook_error", "created_at", "revoked_at"]
    search_fields = ["name", "prefix"]
    actions = ["revoke"]

    def has_module_permission(self, request):
        return has_role(request.user, Role.SECURITY_ADMIN, Role.AUDITOR)

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return role_of(request.user) == Role.SECURITY_ADMIN

    def has_change_permission(self, request, obj=None):
        return False  # issued keys are revoked, not edited

    def has_delete_permission(self, request, obj=None):
        return False

    def has_revoke_permission(self, request):
        return role_of(request.user) == Role.SECURITY_ADMIN

    def get_fields(self, request, obj=None):
        return self.fields if obj is None else [*self.fields, *self.readonly_fields]

    def save_model(self, request, obj, form, change):
        key, raw = services.partner_key_issue(
            name=obj.name,
            by=request.user,
            may_post=obj.may_post,
            may_work_orders=obj.may_work_orders,
            rate_per_minute=obj.rate_per_minute,
        )
        obj.pk = key.pk
        messages.warning(request, _("接口密钥（只显示这一次，请立即交给接入平台）：%(key)s") % {"key": raw})

    def log_addition(self, request, obj, message):
        return None  # the service wrote the audit entry

    @admin.action(description=_("吊销所选接口密钥"), permissions=["revoke"])
    def revoke(self, request, queryset):
        revoked = 0
        for key in queryset.filter(revoked_at__isnull=True):
            services.partner_key_revoke(key=key, by=request.user)
            revoked += 1
        self.message_user(request, _("已吊销%(n)s个接口密钥。") % {"n": revoked})
