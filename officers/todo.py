"""The to-do items (yushu_gov/home/todo.py) of the officer register and the seats: appointment steps waiting for
the user's role, and communities in scope with no deputy secretary and no nomination under way. Two queries."""

from django.db.models import Count, Exists, Min, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _

from communities.models import Community
from yushu_gov.access.rights import can
from yushu_gov.home.todo import TodoItem

from .models import Appointment, Officer
from .steps import STEPS

# The step each status waits for, in the procedure's order (the optional ones, withdraw and return, wait for no one).
WAITING_STEP = {"nominated": "review", "reviewed": "report", "reported": "decide", "decided": "file", "filed": "serve"}


def appointment_steps(request) -> list[TodoItem]:
    """Appointments in scope whose next step the user's role performs, by step. One query."""
    user = request.user
    waiting = {status: STEPS[step] for status, step in WAITING_STEP.items() if can(user, STEPS[step].right)}
    if not waiting:
        return []
    rows = (
        Appointment.objects.visible_to(user)
        .filter(status__in=waiting)
        .order_by()
        .values("status")
        .annotate(n=Count("id", distinct=True), first=Min("id"))
    )
    by_status = {row["status"]: row for row in rows}
    items = []
    for status, step in waiting.items():
        row = by_status.get(status)
        if row is None:
            continue
        if row["n"] == 1:
            url = reverse(f"officers:appointment_{step.name}", args=[row["first"]])
        else:
            url = f"{reverse('officers:appointment_list')}?status={status}"
        items.append(TodoItem(_("任职程序待办理：%(step)s") % {"step": step.title}, url, row["n"]))
    return items


def communities_without_deputy(request) -> list[TodoItem]:
    """Communities in scope with no serving deputy secretary and no nomination under way: the street nominates,
    the city administrator follows it up. One query."""
    user = request.user
    if not (can(user, "appointment.nominate") or can(user, "appointment.report")):
        return []
    seated = Appointment.objects.filter(community=OuterRef("pk"), status__in=Appointment.CURRENT)
    # The communities of a placeholder town (a county's, seeded 名称待核实) wait for their town to be confirmed
    # before anyone is nominated to them; a real seat whose own name is unconfirmed is still a gap.
    gaps = (
        Community.objects.visible_to(user)
        .filter(street__name_confirmed=True)
        .exclude(Exists(seated))
        .aggregate(n=Count("pk"), first=Min("pk"))
    )
    total = gaps["n"]
    if not total:
        return []
    if total == 1 and can(user, "appointment.nominate"):
        url = f"{reverse('officers:appointment_nominate')}?community={gaps['first']}"
    else:
        url = reverse("officers:coverage")
    return [TodoItem(_("社区暂无党员民警副书记，待推荐人选"), url, total)]


def consent_missing(request) -> list[TodoItem]:
    """Serving deputy secretaries in scope whose consent to the public directory is not recorded: residents
    cannot find them until it is. For the roles that record it (the street, the city). One query."""
    user = request.user
    if not can(user, "officer.consent"):
        return []
    serving = Appointment.objects.serving().filter(officer=OuterRef("pk"))
    if user.street_id:
        serving = serving.filter(community__street_id=user.street_id)
    missing = (
        Officer.objects.visible_to(user)
        .filter(Exists(serving), directory_consent_at__isnull=True)
        .aggregate(n=Count("pk"), first=Min("pk"))
    )
    if not missing["n"]:
        return []
    if missing["n"] == 1:
        url = reverse("officers:consent", args=[missing["first"]])
    else:
        url = f"{reverse('officers:list')}?consent=missing"
        if user.street_id:
            url += f"&street={user.street_id}"
    return [TodoItem(_("在任副书记未登记同意公开联系方式，居民查询不到"), url, missing["n"])]
