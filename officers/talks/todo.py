"""The to-do items (yushu_gov/home/todo.py) of the monthly talks, for street staff (who record them): the
officers still without a talk this month and the months overdue this year. The city administrator records no
talk, so none is his to do (he follows the overdue months on the grid and the dashboard). Two queries (the
compliance figures, shared with the home page's reminder panel in the same request)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from yushu_gov.access.rights import can
from yushu_gov.home.todo import TodoItem

from .selectors import compliance_totals


def this_years_grid(request):
    """The compliance figures of the current year in the user's scope (the grid's, without its cells: the
    cost follows the queries, not a row of twelve cells per officer), computed once per request."""
    if not hasattr(request, "_talk_grid"):
        today = timezone.localdate()
        request._talk_grid = compliance_totals(user=request.user, year=today.year, today=today)
    return request._talk_grid


def talks_due(request) -> list[TodoItem]:
    user = request.user
    if not can(user, "talk.record"):
        return []
    grid = this_years_grid(request)
    items = []
    waiting = grid.due_now
    if waiting:
        url = reverse("talks:create") + (f"?officer={waiting[0].officer_id}" if len(waiting) == 1 else "")
        if len(waiting) > 1:
            url = reverse("talks:grid")
        items.append(TodoItem(_("本月待谈心谈话的民警"), url, len(waiting)))
    if grid.year_total.overdue:
        items.append(
            TodoItem(_("谈心谈话逾期未谈（人·月）"), reverse("talks:grid"), grid.year_total.overdue, overdue=True)
        )
    return items
