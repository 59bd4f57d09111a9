"""The to-do items (yushu_gov/home/todo.py) of the police-call figures: for those who keep them (the bureau and the
city administrator), the months of the last twelve complete ones in which a community in scope has no figure.
Two queries."""

from django.db.models import Count, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from yushu_gov.access.rights import can
from yushu_gov.access.roles import AREA_ROLES, Role, role_of
from yushu_gov.home.todo import TodoItem

from .models import AreaCallMonth, Community, PoliceCallCount, Street


def last_complete_months(today, n: int = 12) -> list[tuple[int, int]]:
    """The n months before the current one, the most recent first."""
    year, month = today.year, today.month
    months = []
    for _step in range(n):
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        months.append((year, month))
    return months


def police_calls_missing(request) -> list[TodoItem]:
    user = request.user
    if not can(user, "police_calls.change"):
        return []
    months = last_complete_months(timezone.localdate())
    communities = Community.objects.visible_to(user).count()
    if not communities:
        return []
    oldest = months[-1]
    if role_of(user) in AREA_ROLES:
        # A node of the tree: the figures counted in its roll-up, a dozen rows.
        rows = AreaCallMonth.objects.of_own_node(user).filter(year__gte=oldest[0])
        rows = rows.values("year", "month").annotate(n=Sum("figures"))
    else:
        rows = (
            PoliceCallCount.objects.visible_to(user)
            .filter(year__gte=oldest[0])
            .values("year", "month")
            .annotate(n=Count("id", distinct=True))
        )
    counts = {(row["year"], row["month"]): row["n"] for row in rows.order_by()}
    missing = [ym for ym in months if counts.get(ym, 0) < communities]
    if not missing:
        return []
    url = f"{reverse('communities:police_calls')}?year={missing[0][0]}"
    # A month already two months behind (not just the one that ended) is overdue.
    overdue = any(ym != months[0] for ym in missing)
    return [TodoItem(_("警情接报数未录齐的月份"), url, len(missing), overdue=overdue)]


def names_unconfirmed(request) -> list[TodoItem]:
    """Streets and communities in scope still seeded as placeholders (名称待核实): the administrator who keeps the
    reference data confirms or corrects each name. Two queries."""
    user = request.user
    if role_of(user) != Role.CITY_ADMIN:
        return []
    items = []
    for model, label, perm in (
        (Street, _("街道（乡镇）名称待核实"), "communities.change_street"),
        (Community, _("社区名称待核实"), "communities.change_community"),
    ):
        n = model.objects.visible_to(user).filter(name_confirmed=False).count()
        if n and user.has_perm(perm):
            opts = model._meta
            url = f"{reverse(f'admin:{opts.app_label}_{opts.model_name}_changelist')}?name_confirmed__exact=0"
            items.append(TodoItem(label, url, n))
    return items
