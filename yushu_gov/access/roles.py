"""The roles of DOMAIN.md §3, held as data: a Django group per role, plus the user's street, station or officer.

A user's role is the group they belong to; street staff are bound to one street, station leaders to one
police station and a police deputy secretary (民警副书记) to his own officer record, through the user's own
fields. Everything that asks "who is this user" calls `role_of`.

等保 三员分立 (separation of duties): the system administrator (the city administrator) runs the programme
and its reference data; the security administrator alone manages accounts, roles and scopes; the auditor
reads the audit log. None of them holds another's rights, and nobody can change what a role holds: the
rights are code (`access.RIGHTS`), the groups are not editable in the admin site.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CITY_ADMIN = "city_admin", _("市级管理员（市委组织部）")
    STREET_STAFF = "street_staff", _("街道党工委工作人员")
    BUREAU_REVIEWER = "bureau_reviewer", _("市公安局审核人员")
    STATION_LEADER = "station_leader", _("派出所负责人")
    AUDITOR = "auditor", _("审计管理员")
    OFFICER = "officer", _("民警副书记")
    SECURITY_ADMIN = "security_admin", _("安全管理员")


# The group that holds each role. Group names are data an administrator sees in the admin site.
# The roles bound to an area of the organisation tree (none: the whole deployment), who see it and what lies
# below it: the administrators of the organisation departments and the bureaus' reviewers.
AREA_ROLES = frozenset({Role.CITY_ADMIN, Role.BUREAU_REVIEWER})

GROUP_NAMES = {
    Role.CITY_ADMIN: "市级管理员",
    Role.STREET_STAFF: "街道工作人员",
    Role.BUREAU_REVIEWER: "公安局审核人员",
    Role.STATION_LEADER: "派出所负责人",
    Role.AUDITOR: "审计管理员",
    Role.OFFICER: "民警副书记",
    Role.SECURITY_ADMIN: "安全管理员",
}
ROLE_BY_GROUP = {name: role for role, name in GROUP_NAMES.items()}

_CACHE_ATTR = "_yushu_role"


def role_of(user) -> Role | None:
    """The user's role, from their groups (cached on the user object for the request)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if not hasattr(user, _CACHE_ATTR):
        names = set(user.groups.values_list("name", flat=True))
        found = [role for name, role in ROLE_BY_GROUP.items() if name in names]
        # One role per user (等保 三员分立); if misconfigured with several, the least powerful wins.
        order = [
            Role.AUDITOR,
            Role.OFFICER,
            Role.SECURITY_ADMIN,
            Role.STATION_LEADER,
            Role.STREET_STAFF,
            Role.BUREAU_REVIEWER,
            Role.CITY_ADMIN,
        ]
        found.sort(key=order.index)
        setattr(user, _CACHE_ATTR, found[0] if found else None)
    return getattr(user, _CACHE_ATTR)


def has_role(user, *roles: Role) -> bool:
    return role_of(user) in roles
