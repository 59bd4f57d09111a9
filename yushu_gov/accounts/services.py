"""Accounts, roles and passwords (等保 三员分立: separation of duties).

- The security administrator alone creates accounts, assigns their role and scope (street or station),
  deactivates them, resets their password or second factor and unlocks them (the admin site's user pages
  call the functions here).
- Nobody changes their own role, scope or status; and only the operator, on the server, makes an account a
  security administrator or an auditor (`manage.py assign_role`): so none of the three administrators can
  give themselves, or an account they control, the rights of another.
- No one takes over an account of a role they do not hold: the privileged roles (the city administrator and
  the bureau reviewers, the roles that approve and file) are given, and their accounts' passwords and second
  factors reset, only by the operator on the server (`manage.py assign_role`, `manage.py reset_account`): a
  second person beside the security administrator, who can neither make such an account nor reset one and
  then log in as its holder.
- What a role may do is code (access.RIGHTS); the role groups are read-only in the admin site, and a user's
  own permissions and the superuser flag are not offered anywhere. No one can grant a right a role lacks.
- Every change is in the audit log, passwords included (never the password itself).
"""

from axes.utils import reset as axes_reset
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yushu_gov.access.roles import AREA_ROLES, GROUP_NAMES, Role, role_of
from yushu_gov.accounts.models import PasswordHistory, RecoveryCode, TOTPDevice, User
from yushu_gov.accounts.sessions import session_recorded
from yushu_gov.audit.log import audit_log, changes_of

# Assigned only by the operator's command, never through the application.
OPERATOR_ROLES = frozenset({Role.SECURITY_ADMIN, Role.AUDITOR})
# Given, and reset, only by the operator: the security administrator cannot make one or take one over.
PRIVILEGED_ROLES = frozenset({Role.CITY_ADMIN, Role.BUREAU_REVIEWER})
# The roles that use the admin site (is_staff follows the role).
STAFF_ROLES = frozenset({Role.CITY_ADMIN, Role.SECURITY_ADMIN, Role.AUDITOR})
ACCOUNT_FIELDS = ["username", "full_name", "email", "area", "street", "station", "officer", "is_active"]


def assignable_roles() -> list[Role]:
    """The roles the security administrator may give."""
    return [role for role in Role if role not in OPERATOR_ROLES | PRIVILEGED_ROLES]


def may_reset(by, account: User) -> bool:
    """Whether `by` may reset `account`'s password or second factor in the application: the security
    administrator, for an account he may manage that holds no privileged role (those need the operator)."""
    return may_manage(by, account) and role_of(account) not in PRIVILEGED_ROLES


RESET_NEEDS_OPERATOR = gettext_lazy(
    "市级管理员、市公安局审核人员账号的密码和双因素认证，须由运维人员在服务器上重置（manage.py reset_account）。"
)


def may_manage(by, account: User | None) -> bool:
    """Whether `by` may change `account` (None: create one) in the application: the security administrator,
    for any account but their own and those of the operator's roles."""
    if role_of(by) != Role.SECURITY_ADMIN:
        return False
    if account is None or account.pk is None:
        return True
    return account.pk != by.pk and not account.is_superuser and role_of(account) not in OPERATOR_ROLES


# The roles bound to an area of the organisation tree (none: the whole deployment).


def scope_errors(role: Role | None, street, station, officer=None, area=None) -> dict:
    """The scope a role needs: street staff a street, station leaders a station, a police deputy secretary his
    own officer record; an administrator or a bureau reviewer may be bound to an area (a prefecture, a county);
    the others have none."""
    errors = {}
    if role not in AREA_ROLES and area is not None:
        errors["area"] = _("只有组织部管理员和公安局审核人员绑定行政区域。")
    if role == Role.STREET_STAFF and street is None:
        errors["street"] = _("街道党工委工作人员须选择所属街道。")
    if role == Role.STATION_LEADER and station is None:
        errors["station"] = _("派出所负责人须选择所属派出所。")
    if role == Role.OFFICER and officer is None:
        errors["officer"] = _("民警副书记须绑定本人民警档案。")
    if role != Role.STREET_STAFF and street is not None:
        errors["street"] = _("只有街道党工委工作人员绑定街道。")
    if role != Role.STATION_LEADER and station is not None:
        errors["station"] = _("只有派出所负责人绑定派出所。")
    if role != Role.OFFICER and officer is not None:
        errors["officer"] = _("只有民警副书记绑定民警档案。")
    return errors


def _snapshot(user: User, role) -> dict:
    return {
        "username": user.username,
        "full_name": user.full_name,
        "email": user.email,
        "role": str(role.label) if role else None,
        "area": str(user.area) if user.area_id else None,
        "street": str(user.street) if user.street_id else None,
        "station": str(user.station) if user.station_id else None,
        "officer": str(user.officer) if user.officer_id else None,
        "is_active": user.is_active,
    }


def _set_role(user: User, role: Role | None) -> None:
    user.groups.set([Group.objects.get_or_create(name=GROUP_NAMES[role])[0]] if role else [])
    if hasattr(user, "_yushu_role"):
        del user._yushu_role


@transaction.atomic
def account_save(*, account: User, role: Role | None, by, request=None) -> User:
    """Saves an account the security administrator created or changed (its fields already set, from the
    admin site's form) with its one role. A new account's password must be changed at its first login."""
    creating = account.pk is None
    before = {} if creating else _snapshot(User.objects.select_for_update().get(pk=account.pk), role_of(account))
    if not may_manage(by, None if creating else account):
        raise ValidationError(_("只有安全管理员可以管理账号，且不能修改本人账号或安全管理员、审计管理员的账号。"))
    if role in OPERATOR_ROLES:
        raise ValidationError({"role": _("安全管理员和审计管理员只能由运维人员在服务器上指定。")})
    if role in PRIVILEGED_ROLES and (creating or role_of(account) != role):
        raise ValidationError({"role": _("市级管理员和市公安局审核人员的角色只能由运维人员在服务器上指定。")})
    if errors := scope_errors(role, account.street, account.station, account.officer, account.area):
        raise ValidationError(errors)
    account.is_staff = role in STAFF_ROLES
    if creating:
        account.must_change_password = True
    account.save()
    _set_role(account, role)
    if creating:
        PasswordHistory.objects.create(user=account, password=account.password)
    changes = changes_of(before, _snapshot(account, role))
    if changes:
        action = "yushu_gov.user.created" if creating else "yushu_gov.user.changed"
        audit_log(actor=by, action=action, obj=account, changes=changes, request=request)
    return account


@transaction.atomic
def role_assign(
    *, account: User, role: Role | None, street=None, station=None, officer=None, area=None, operator: str
) -> User:
    """The operator's assignment of any role (the only way to the security administrator's and the auditor's
    roles), from `manage.py assign_role` on the server; audited with the operator's name."""
    account = User.objects.select_for_update().get(pk=account.pk)
    before = _snapshot(account, role_of(account))
    if errors := scope_errors(role, street, station, officer, area):
        raise ValidationError(errors)
    account.street, account.station, account.officer, account.area = street, station, officer, area
    account.is_staff = role in STAFF_ROLES
    account.save(update_fields=["street", "station", "officer", "area", "is_staff"])
    _set_role(account, role)
    audit_log(
        actor=None,
        action="yushu_gov.user.role_assigned",
        obj=account,
        changes={**changes_of(before, _snapshot(account, role)), "operator": [None, operator]},
    )
    return account


@transaction.atomic
def password_set(*, user: User, password: str, by, request=None) -> None:
    """Sets a password chosen by the user (the change-password page) or by the security administrator (a
    reset: the user must change it at the next login). The password must already be validated."""
    own = by.pk == user.pk
    user.set_password(password)
    user.must_change_password = not own
    user.save(update_fields=["password", "password_changed_at", "must_change_password"])
    PasswordHistory.objects.create(user=user, password=user.password)
    audit_log(actor=by, action="auth.password.changed" if own else "auth.password.reset", obj=user, request=request)
    if own and request is not None:
        update_session_auth_hash(request, user)  # stays logged in, under a new session key
        session_recorded(user, request.session.session_key)


@transaction.atomic
def account_reset_by_operator(*, user: User, password: str | None, two_factor_reset: bool, operator: str) -> None:
    """The operator's reset of any account on the server (`manage.py reset_account`), the only way for a
    privileged one: a new password to change at the next login, and/or the second factor removed (the holder
    enrols again with a link). Audited with the operator's name."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if password is not None:
        user.set_password(password)
        user.must_change_password = True
        user.save(update_fields=["password", "password_changed_at", "must_change_password"])
        PasswordHistory.objects.create(user=user, password=user.password)
        audit_log(actor=None, action="auth.password.reset", obj=user, changes={"operator": [None, operator]})
    if two_factor_reset:
        TOTPDevice.objects.filter(user=user).delete()
        RecoveryCode.objects.filter(user=user).delete()
        audit_log(actor=None, action="auth.2fa.reset", obj=user, changes={"operator": [None, operator]})


@transaction.atomic
def password_reset_recorded(*, user: User, by, request=None) -> None:
    """After the admin site's password form saved a new password for `user`: the history, the forced change
    at the next login and the audit entry."""
    user = User.objects.select_for_update().get(pk=user.pk)
    user.must_change_password = True
    user.save(update_fields=["must_change_password"])
    PasswordHistory.objects.create(user=user, password=user.password)
    audit_log(actor=by, action="auth.password.reset", obj=user, request=request)


@transaction.atomic
def account_unlock(*, user: User, by, request=None) -> int:
    """Lifts the login lock of five failed attempts (django-axes) before its 30 minutes are over."""
    count = axes_reset(username=user.get_username())
    audit_log(actor=by, action="auth.unlocked", obj=user, changes={"attempts": [None, count]}, request=request)
    return count
