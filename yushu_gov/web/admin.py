from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from yushu_gov.access.rights import RIGHTS
from yushu_gov.access.roles import ROLE_BY_GROUP, Role, has_role, role_of
from yushu_gov.accounts import services as accounts
from yushu_gov.accounts import two_factor
from yushu_gov.accounts.models import User
from yushu_gov.accounts.sessions import session_recorded
from yushu_gov.audit.models import AuditEntry
from yushu_gov.documents.models import ExportJob
from yushu_gov.input.labels import ROLE_LABEL, ROLES_AND_SCOPES, SITE_TITLE, STATUS_LABEL
from yushu_gov.input.models import FormSubmission
from yushu_gov.notices.models import DevMessage, Notice, NoticeChoice
from yushu_gov.web.admin_mixins import ReadOnlyAdminMixin

admin.site.site_header = SITE_TITLE
admin.site.site_title = SITE_TITLE
admin.site.index_title = _("系统管理")


def _role_choices():
    return [("", _("（无角色）")), *[(role.value, role.label) for role in accounts.assignable_roles()]]


class _RoleField(forms.TypedChoiceField):
    def __init__(self, **kwargs):
        super().__init__(
            label=ROLE_LABEL,
            choices=_role_choices,
            coerce=Role,
            empty_value=None,
            required=False,
            help_text=_("每个账号只有一个角色。安全管理员和审计管理员由运维人员在服务器上指定。"),
            **kwargs,
        )


class AccountForm(UserChangeForm):
    """An account as the security administrator edits it: one role and its scope; no groups, permissions,
    staff or superuser flags (the role decides those)."""

    role = _RoleField()

    class Meta(UserChangeForm.Meta):
        model = User
        fields = ["username", "full_name", "email", "street", "station", "officer", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            role = role_of(self.instance)
            self.initial["role"] = role.value if role else ""
            if role in accounts.PRIVILEGED_ROLES:  # kept as it is (the operator gives it), never offered
                self.fields["role"].choices = [*_role_choices(), (role.value, role.label)]

    def clean(self):
        cleaned = super().clean()
        for field, message in accounts.scope_errors(
            cleaned.get("role"), cleaned.get("street"), cleaned.get("station"), cleaned.get("officer")
        ).items():
            self.add_error(field, message)
        return cleaned


class AccountCreationForm(AdminUserCreationForm):
    role = _RoleField()

    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ["username", "full_name", "street", "station", "officer"]

    def clean(self):
        cleaned = super().clean()
        for field, message in accounts.scope_errors(
            cleaned.get("role"), cleaned.get("street"), cleaned.get("station"), cleaned.get("officer")
        ).items():
            self.add_error(field, message)
        return cleaned


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """The security administrator's account management (等保 三员分立): create accounts, give each its role and
    scope, deactivate, reset a password (changed at the next login) or a lost authenticator, unlock. The
    auditor reads the accounts; the system administrator does not manage them. Every change goes through
    yushu_gov/accounts/services.py and into the audit log."""

    form = AccountForm
    add_form = AccountCreationForm
    list_display = ["username", "full_name", "role_display", "area", "street", "station", "is_active", "last_login"]
    list_filter = ["groups", "area", "street", "station", "is_active"]
    search_fields = ["username", "full_name"]
    list_select_related = ["area", "street", "station"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("基本信息"), {"fields": ("full_name", "email")}),
        (ROLES_AND_SCOPES, {"fields": ("role", "area", "street", "station", "officer")}),
        (STATUS_LABEL, {"fields": ("is_active", "must_change_password", "password_changed_at", "last_login")}),
    )
    add_fieldsets = (
        (
            None,
            {"classes": ("wide",), "fields": ("username", "full_name", "usable_password", "password1", "password2")},
        ),
        (ROLES_AND_SCOPES, {"fields": ("role", "street", "station", "officer")}),
    )
    # The area binds the privileged roles, which only the operator gives (manage.py assign_role --area).
    readonly_fields = ["area", "last_login", "must_change_password", "password_changed_at"]
    raw_id_fields = ["officer"]
    filter_horizontal = []
    actions = ["reset_two_factor", "enrolment_link", "unlock"]

    # Access by role, whatever the database's permission rows say.
    def has_module_permission(self, request):
        return has_role(request.user, Role.SECURITY_ADMIN, Role.AUDITOR)

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return role_of(request.user) == Role.SECURITY_ADMIN

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return role_of(request.user) == Role.SECURITY_ADMIN
        return accounts.may_manage(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return False  # accounts are deactivated, never deleted (the audit log refers to them)

    def has_manage_permission(self, request):
        return role_of(request.user) == Role.SECURITY_ADMIN

    def get_fieldsets(self, request, obj=None):
        return self.add_fieldsets if obj is None else self.fieldsets

    @admin.display(description=ROLE_LABEL)
    def role_display(self, obj):
        names = [g.name for g in obj.groups.all()]
        roles = [ROLE_BY_GROUP[n].label for n in names if n in ROLE_BY_GROUP]
        return "、".join(str(r) for r in roles) or "—"

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    def save_model(self, request, obj, form, change):
        # The form offers only what the service accepts; a refusal here is a forged request.
        try:
            accounts.account_save(account=obj, role=form.cleaned_data.get("role"), by=request.user, request=request)
        except ValidationError as exc:
            raise PermissionDenied(" ".join(exc.messages)) from exc

    def save_related(self, request, form, formsets, change):
        pass  # the role (the only many-to-many) is set by accounts.account_save

    def log_addition(self, request, obj, message):
        pass  # the audit log has it (accounts.account_save)

    def log_change(self, request, obj, message):
        pass

    def user_change_password(self, request, id, form_url=""):
        """The admin site's password reset, followed by the forced change at the next login and the audit entry.
        A privileged account's password is reset only by the operator; and the security administrator's own
        session lives on (Django's form renews his session key: it stays the account's one session)."""
        account = self.get_object(request, unquote(id))
        if (
            account is not None
            and not accounts.may_reset(request.user, account)
            and accounts.may_manage(request.user, account)
        ):
            raise PermissionDenied(str(accounts.RESET_NEEDS_OPERATOR))
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            if request.method == "POST" and response.status_code == 302 and response.url != request.get_full_path():
                accounts.password_reset_recorded(user=account, by=request.user, request=request)
                if request.user.session_key != request.session.session_key:
                    session_recorded(request.user, request.session.session_key)
        return response

    @admin.action(description=_("重置双因素认证（手机丢失）"), permissions=["manage"])
    def reset_two_factor(self, request, queryset):
        done = [
            user
            for user in queryset
            if accounts.may_reset(request.user, user) and two_factor.reset(user=user, by=request.user, request=request)
        ]
        self.message_user(request, _("已重置 %(n)s 个账号的双因素认证，下次登录时重新绑定。") % {"n": len(done)})
        if any(not accounts.may_reset(request.user, user) for user in queryset):
            self.message_user(request, accounts.RESET_NEEDS_OPERATOR, level=messages.WARNING)

    @admin.action(description=_("发放双因素认证绑定链接（一次性）"), permissions=["manage"])
    def enrolment_link(self, request, queryset):
        """One-time links, shown once here, for the holders to enrol their first authenticator with."""
        for user in queryset:
            if not accounts.may_manage(request.user, user) or two_factor.device_of(user) is not None:
                continue
            token = two_factor.enrolment_link_issue(user=user, by=request.user, request=request)
            url = request.build_absolute_uri(reverse("account:two_factor_enrol_link", args=[token]))
            self.message_user(
                request,
                _("%(user)s 的绑定链接（72小时内有效，仅能使用一次，请当面或以安全方式交给本人）：%(url)s")
                % {"user": user.get_username(), "url": url},
            )

    @admin.action(description=_("解除登录锁定"), permissions=["manage"])
    def unlock(self, request, queryset):
        for user in queryset:
            accounts.account_unlock(user=user, by=request.user, request=request)
        self.message_user(request, _("已解除 %(n)s 个账号的登录锁定。") % {"n": queryset.count()})


admin.site.unregister(Group)


@admin.register(Group)
class RoleGroupAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The role groups, read-only for everyone: a role's rights are code (access.RIGHTS), its members are set
    on each account by the security administrator, and no one may rename a group or change its permissions."""

    list_display = ["name", "role_display", "rights_display"]
    search_fields = ["name"]
    fields = ["name", "role_display", "rights_display"]
    readonly_fields = fields

    def has_module_permission(self, request):
        return has_role(request.user, Role.SECURITY_ADMIN, Role.AUDITOR)

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    @admin.display(description=ROLE_LABEL)
    def role_display(self, obj):
        role = ROLE_BY_GROUP.get(obj.name)
        return role.label if role else "—"

    @admin.display(description=_("权限"))
    def rights_display(self, obj):
        role = ROLE_BY_GROUP.get(obj.name)
        return "、".join(sorted(action for action, roles in RIGHTS.items() if role in roles)) or "—"


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only, and only for the audit administrator (三员分立: not for the system or security administrator,
    nor for a superuser)."""

    list_display = ["at", "actor_name", "action", "object_repr", "ip_address"]
    list_filter = ["action", "content_type"]
    search_fields = ["actor_name", "action", "object_repr"]
    date_hierarchy = "at"
    list_select_related = ["actor", "content_type"]

    def has_module_permission(self, request):
        return role_of(request.user) == Role.AUDITOR

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)


@admin.register(FormSubmission)
class FormSubmissionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The forms saved by their idempotency keys (yushu_gov/input/idempotency.py): read-only, for a support question
    such as "did my talk record arrive twice?"."""

    list_display = ["created_at", "user", "result_url"]
    search_fields = ["user__username", "key"]
    list_select_related = ["user"]
    date_hierarchy = "created_at"


@admin.register(ExportJob)
class ExportJobAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The background exports (yushu_gov/documents/export_jobs.py): read-only, for a support question such as "why is my
    export still queued?" (no worker running). The filter and the file are not shown: only the requester
    downloads the file, from "my exports"."""

    list_display = ["title", "requester", "status", "rows_done", "rows_total", "created_at", "finished_at"]
    list_filter = ["status", "kind"]
    search_fields = ["requester__username", "kind", "title"]
    list_select_related = ["requester"]
    date_hierarchy = "created_at"
    exclude = ["params", "file", "ip_address"]

    # The system administrator's (who runs the programme and its workers); a role, not a model permission, so
    # that the role groups need no new permission.
    def has_module_permission(self, request):
        return role_of(request.user) == Role.CITY_ADMIN

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)


class _CityAdminReadOnly(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The city administrator's read-only view of the notices' tables (the delivery page is the everyday one)."""

    def has_module_permission(self, request):
        return role_of(request.user) == Role.CITY_ADMIN

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)


@admin.register(Notice)
class NoticeAdmin(_CityAdminReadOnly):
    """The outbox (yushu_gov/notices/): the address only masked; the body and parameters (a tracking code, a
    phone code) not shown."""

    list_display = ["created_at", "channel", "kind", "masked_address", "status", "attempts", "failure"]
    list_filter = ["status", "channel", "kind"]
    search_fields = ["event", "kind", "title"]
    date_hierarchy = "created_at"
    exclude = ["address", "body", "params"]
    readonly_fields = ["masked_address"]


@admin.register(DevMessage)
class DevMessageAdmin(_CityAdminReadOnly):
    list_display = ["created_at", "channel", "to", "text"]
    list_filter = ["channel"]
    search_fields = ["to", "text"]


@admin.register(NoticeChoice)
class NoticeChoiceAdmin(_CityAdminReadOnly):
    list_display = ["user", "email", "wecom"]
    search_fields = ["user__username"]
    list_select_related = ["user"]
