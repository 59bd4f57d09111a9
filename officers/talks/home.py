"""Home-page reminders for the monthly talks."""

from django.utils import timezone

from .selectors import compliance_grid


def clerk_reminder_context(request) -> dict:
    """Street staff: the officers serving in the street still without a talk this month."""
    today = timezone.localdate()
    grid = compliance_grid(user=request.user, year=today.year, today=today)
    waiting = [row for row in grid.rows if row.cells[today.month - 1].state == "due"]
    return {"waiting": waiting, "today": today, "month_total": grid.month_total}


def city_reminder_context(request) -> dict:
    """The city administrator: the overdue months per street this year, and this month's compliance."""
    today = timezone.localdate()
    grid = compliance_grid(user=request.user, year=today.year, today=today)
    return {"streets": grid.streets, "today": today, "month_total": grid.month_total, "year_total": grid.year_total}
