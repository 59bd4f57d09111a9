"""Home-page reminders for the monthly talks."""

from .todo import this_years_grid


def clerk_reminder_context(request) -> dict:
    """Street staff: the officers serving in the street still without a talk this month."""
    grid = this_years_grid(request)
    return {"waiting": grid.due_now, "today": grid.today, "month_total": grid.month_total}


def city_reminder_context(request) -> dict:
    """The city administrator: the overdue months per street this year, and this month's compliance."""
    grid = this_years_grid(request)
    today = grid.today
    return {"streets": grid.streets, "today": today, "month_total": grid.month_total, "year_total": grid.year_total}
