"""The police deputy secretary's home page panel, and the to-do items (待办) of residents' requests. Each
costs a constant number of queries."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from officers.models import Appointment
from yushu_gov.access.roles import Role, role_of
from yushu_gov.home.todo import TodoItem

from .models import ResidentRequest
from .supervision import OFFICER_HELD, reminded_q

S = ResidentRequest.Status


def _counts(user) -> dict:
    """One query: the requests in the user's scope that wait, by kind."""
    now = timezone.now()
    late = (Q(responded_at__isnull=True) & Q(respond_by__lt=now)) | Q(resolve_by__lt=now)
    return ResidentRequest.objects.visible_to(user).aggregate(
        new=Count("pk", filter=Q(status=S.SUBMITTED)),
        handling=Count("pk", filter=Q(status=S.HANDLING)),
        at_street=Count("pk", filter=Q(status__in=[S.AT_STREET, S.SUPERVISED])),
        overdue=Count("pk", filter=Q(status__in=ResidentRequest.OPEN) & late),
        overdue_held=Count("pk", filter=Q(status__in=OFFICER_HELD) & late),
        reminded=Count("pk", filter=Q(status__in=OFFICER_HELD) & reminded_q()),
    )


def officer_panel_context(request) -> dict:
    """His community's page: the seat he holds, what waits in his inbox, and his other pages (two queries)."""
    user = request.user
    seat = (
        Appointment.objects.serving().filter(officer_id=user.officer_id).select_related("community__street").first()
        if user.officer_id
        else None
    )
    return {"seat": seat, "counts": _counts(user) if seat else None, "year": timezone.localdate().year}


def todo_provider(request) -> list[TodoItem]:
    """Only what the role can act on. The officer: the overdue requests he holds, those the street reminded
    him of (督办), new ones; the street: overdue ones (its own, or its officers', which it may remind, take over
    or transfer: supervision.py) and those transferred to it or under its supervision. The city administrator
    takes no step on a request, so none is his to do."""
    user = getattr(request, "user", None)
    role = role_of(user)
    if role not in (Role.OFFICER, Role.STREET_STAFF):
        return []
    counts = _counts(user)
    url = reverse("requests:list")
    items = []
    overdue = counts["overdue_held"] if role == Role.OFFICER else counts["overdue"]
    if overdue:
        items.append(TodoItem(_("逾期未办结的群众诉求"), f"{url}?state=overdue", overdue, overdue=True))
    if role == Role.OFFICER and counts["reminded"]:
        items.append(TodoItem(_("街道督办提醒的群众诉求"), f"{url}?state=reminded", counts["reminded"], overdue=True))
    if role == Role.OFFICER and counts["new"]:
        items.append(TodoItem(_("待受理的群众诉求"), f"{url}?state=submitted", counts["new"]))
    if role == Role.STREET_STAFF and counts["at_street"]:
        items.append(TodoItem(_("待街道办理或督办的群众诉求"), f"{url}?state=street", counts["at_street"]))
    return items
