"""The one place that answers "may this user see / change this object" (DOMAIN.md §3).

Two questions, always in this order:
1. Scope — which records the user may see at all. Each model's queryset offers `visible_to(user)`, built
   with `scoped()` below. Outside the scope a record does not exist for the user: 404.
2. Right — what the user's role may do with a record in scope: `can(user, action)`. In scope without the
   right: 403. A role with no right at all to a kind of page gets 403 before any lookup (which reveals nothing).

Views use `get_object_for()` and `require()`; templates use `can` through the navigation context.
"""

from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q, QuerySet
from django.http import Http404

from yushu_gov.access.roles import AREA_ROLES, Role, role_of

ALL_STAFF = frozenset(Role)
READERS = frozenset({Role.CITY_ADMIN, Role.STREET_STAFF, Role.BUREAU_REVIEWER, Role.STATION_LEADER})

# The police deputy secretary (民警副书记) himself reads what READERS read of his own talks and work records.
READERS_AND_OFFICER = READERS | {Role.OFFICER}

# action -> the roles that hold it, one table grouped by app. Every view names its action here;
# tests/test_permissions.py checks every URL × every role against the expected status.
RIGHTS: dict[str, frozenset[Role]] = {
    # communities: reference data, police-call figures (the bureau keeps the figures it supplies)
    "community.view": READERS,
    "police_calls.view": READERS,
    "police_calls.change": frozenset({Role.CITY_ADMIN, Role.BUREAU_REVIEWER}),
    # officers: the register
    "officer.view": READERS,
    "officer.create": frozenset({Role.CITY_ADMIN}),
    "officer.change": frozenset({Role.CITY_ADMIN}),
    # records the consent to the public directory (PIPL): the city, and the street that registers the term (登记到任)
    "officer.consent": frozenset({Role.CITY_ADMIN, Role.STREET_STAFF}),
    # officers: appointments, the selection procedure (DOMAIN.md §4.1), coverage and the roster
    "appointment.view": READERS,
    "appointment.nominate": frozenset({Role.STREET_STAFF}),
    "appointment.review": frozenset({Role.STREET_STAFF}),
    "appointment.report": frozenset({Role.CITY_ADMIN}),
    "appointment.decide": frozenset({Role.CITY_ADMIN}),
    "appointment.file": frozenset({Role.CITY_ADMIN}),
    "appointment.serve": frozenset({Role.STREET_STAFF, Role.CITY_ADMIN}),
    "appointment.end": frozenset({Role.CITY_ADMIN}),
    "appointment.return": frozenset({Role.CITY_ADMIN}),
    "appointment.withdraw": frozenset({Role.STREET_STAFF, Role.CITY_ADMIN}),
    "coverage.view": READERS,
    "roster.view": READERS,
    # talks (谈心谈话): street staff record their street's talks and may change or delete them while the month
    # is open; after it closes only the city administrator may, with a reason. Bureau reviewers read
    # everything, station leaders their station's officers' talks, the officer his own (MonthlyTalk.objects.visible_to).
    "talk.view": READERS_AND_OFFICER,
    "talk.record": frozenset({Role.STREET_STAFF}),
    "talk.change": frozenset({Role.STREET_STAFF, Role.CITY_ADMIN}),
    "talk.delete": frozenset({Role.STREET_STAFF, Role.CITY_ADMIN}),
    "talk.change_closed": frozenset({Role.CITY_ADMIN}),
    "talk.export": READERS,
    # how often the talks are due, set by an administrator for his level of the organisation tree (issue 20)
    "talk.frequency": frozenset({Role.CITY_ADMIN}),
    # ledger (工作台账): station leaders add work records for their station's officers, street staff within
    # their street, the officer his own (the street sees who entered each); the bureau reads all.
    "work.view": READERS_AND_OFFICER,
    "work.create": frozenset({Role.CITY_ADMIN, Role.STREET_STAFF, Role.STATION_LEADER, Role.OFFICER}),
    "work.change": frozenset({Role.CITY_ADMIN, Role.STREET_STAFF, Role.STATION_LEADER}),
    # requests (群众诉求, officers/resident_requests/): the officer accepts, handles, transfers and resolves his
    # community's requests (the one he serves now); the street handles what is transferred to it and supervises
    # (督办) what a resident rated 不满意; the city administrator sets the deadlines per category; everyone in
    # scope reads. The resident's name and phone are shown in full only to the roles of "request.personal_data"
    # (in scope: the handling officer and the street), masked for everyone else, and never exported.
    "request.view": READERS_AND_OFFICER,
    "request.export": READERS_AND_OFFICER,
    "request.accept": frozenset({Role.OFFICER}),
    "request.handle": frozenset({Role.OFFICER, Role.STREET_STAFF}),
    "request.personal_data": frozenset({Role.OFFICER, Role.STREET_STAFF}),
    # the street on an overdue request its officer still holds: 督办 (remind him), take it over, or transfer it
    "request.supervise": frozenset({Role.STREET_STAFF}),
    "request.deadlines": frozenset({Role.CITY_ADMIN}),
    # assessments: year-end dual reporting and dual assessment (DOMAIN.md §4.5)
    "assessment.view": READERS,
    "assessment.review": frozenset({Role.CITY_ADMIN, Role.BUREAU_REVIEWER}),  # 优秀 cap, candidates, open a year
    "assessment.scheme": frozenset({Role.CITY_ADMIN}),
    "assessment.street_enter": frozenset({Role.STREET_STAFF}),  # performance score, the street's report and 评议
    "assessment.bureau_enter": frozenset({Role.BUREAU_REVIEWER}),  # business score, quarters, the bureau's 评议
    "assessment.submit_report": frozenset({Role.OFFICER}),  # the officer writes or uploads his two duty reports
    "assessment.approve": frozenset({Role.BUREAU_REVIEWER}),  # combine and file
    "assessment.reopen": frozenset({Role.CITY_ADMIN}),
    # reports: the dashboard and the year-end briefing
    "report.view": READERS,
    # audit and accounts, 等保 三员分立: only the audit administrator reads the whole log; only the security
    # administrator manages accounts, roles and scopes (in the admin site, yushu_gov/accounts/services.py), which the
    # auditor may read
    "audit.view": frozenset({Role.AUDITOR}),
    "account.manage": frozenset({Role.SECURITY_ADMIN}),
    "account.view": frozenset({Role.SECURITY_ADMIN, Role.AUDITOR}),
    # notices: the delivery page (failed notices with the reason, masked numbers, the development channel)
    "notice.delivery": frozenset({Role.CITY_ADMIN, Role.SECURITY_ADMIN}),
}


def can(user, action: str) -> bool:
    """Whether the user's role holds the right. Unknown actions are refused (fail closed)."""
    role = role_of(user)
    return role is not None and role in RIGHTS.get(action, frozenset())


def require(user, action: str) -> None:
    if not can(user, action):
        raise PermissionDenied(action)


def scoped(
    queryset: QuerySet,
    user,
    *,
    street: Callable[[object], Q] | None = None,
    station: Callable[[int], Q] | None = None,
    officer: Callable[[int], Q] | None = None,
    area: Callable[[str], Q] | None = None,
    everyone: frozenset[Role] = AREA_ROLES,
    distinct: bool = True,
) -> QuerySet:
    """Filters a queryset to the user's scope.

    `street(streets)` returns the condition for records of the streets `streets` (ids, or a subquery of ids,
    to use with `__in`); `station(station_id)` and `officer(officer_id)` those of station leaders and a police
    deputy secretary (bound to his own officer record). A role with no condition given sees nothing.

    The administrators and the bureau reviewers (`everyone`) are bound to an area of the organisation tree
    (communities.Area; none: the whole deployment) and see what lies under it: `area(path)` when given (for
    records that belong to an area without a street, such as a county's police stations or its officers not yet
    appointed), otherwise `street()` of every street under the area.

    `distinct=False` where every condition follows foreign keys only (no row can come twice): DISTINCT over a
    big table makes PostgreSQL sort every row in scope before it can show the first page.
    """
    role = role_of(user)
    if role in everyone:
        path = area_path_of(user)
        if path is None:
            return queryset
        if area is not None:
            return queryset.filter(area(path))
        if street is None:
            return queryset.none()
        found = queryset.filter(street(streets_under(path)))
    elif role == Role.STREET_STAFF and street is not None and user.street_id:
        found = queryset.filter(street([user.street_id]))
    elif role == Role.STATION_LEADER and station is not None and user.station_id:
        found = queryset.filter(station(user.station_id))
    elif role == Role.OFFICER and officer is not None and user.officer_id:
        found = queryset.filter(officer(user.officer_id))
    else:
        return queryset.none()
    return found.distinct() if distinct else found


_AREA_PATH_ATTR = "_yushu_area_path"


def area_path_of(user) -> str | None:
    """The path of the area the user is bound to (None: the whole deployment), read once per request."""
    if not getattr(user, "area_id", None):
        return None
    if not hasattr(user, _AREA_PATH_ATTR):
        setattr(user, _AREA_PATH_ATTR, user.area.path)
    return getattr(user, _AREA_PATH_ATTR)


def streets_under(path: str) -> QuerySet:
    """The ids of the streets under the area with this path, as a subquery (the street model through the user's
    field: the kernel imports no app)."""
    Street = get_user_model()._meta.get_field("street").related_model
    return Street.objects.filter(area__path__startswith=path).values("pk")


def get_object_for(request, queryset: QuerySet, *, view: str, action: str | None = None, **lookup):
    """The object the user asked for: 403 if their role cannot see this kind of object at all,
    404 if it lies outside their scope, 403 if in scope but `action` is not theirs."""
    require(request.user, view)
    try:
        obj = queryset.visible_to(request.user).get(**lookup)
    except queryset.model.DoesNotExist as exc:
        raise Http404 from exc
    if action is not None:
        require(request.user, action)
    return obj


def can_view(user, obj) -> bool:
    """Whether `obj` lies in the user's scope."""
    return type(obj)._default_manager.visible_to(user).filter(pk=obj.pk).exists()


class CommunityOfficerQuerySet(models.QuerySet):
    """For records that belong to a community and an officer (seats, talks, work records, assessments):
    street staff see those of their street's communities, station leaders those of their station's
    officers, a police deputy secretary his own (wherever he served), city administrators and the bureau all."""

    def visible_to(self, user):
        return scoped(
            self,
            user,
            street=lambda streets: Q(community__street_id__in=streets),
            station=lambda station_id: Q(officer__station_id=station_id),
            officer=lambda officer_id: Q(officer_id=officer_id),
            distinct=False,  # community → street, officer → station: foreign keys, one row each
        )
