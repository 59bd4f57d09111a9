"""Home-page reminders for the monthly talks."""

from .todo import this_years_grid


def clerk_reminder_context(request) -> dict:
    """Street staff: the officers serving in the street still without a talk this month."""
    grid = this_years_grid(request)
    return {"waiting": grid.due_now, "today": grid.today, "month_total": grid.month_total}


HOME_STREETS = 10  # a province's hundreds of streets: the home page lists those with the most overdue months


def city_reminder_context(request) -> dict:
    """The city administrator: the overdue months per street this year, and this month's compliance; beyond
    HOME_STREETS streets, those with the most overdue months (the grid has them all)."""
    grid = this_years_grid(request)
    streets = grid.streets
    if len(streets) > HOME_STREETS:
        streets = sorted(streets, key=lambda block: -block.year.overdue)[:HOME_STREETS]
    return {
        "streets": streets,
        "more": len(grid.streets) - len(streets),
        "today": grid.today,
        "month_total": grid.month_total,
        "year_total": grid.year_total,
    }
