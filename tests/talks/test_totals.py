"""compliance_totals (the dashboard's and the home pages' talk figures) gives exactly what the compliance grid
gives, counted without the grid's cells: per street, this month, the year, and the officers still due now."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from assessments.demo import officers as officers_demo
from assessments.demo import talks as talks_demo
from officers.models import Appointment
from officers.talks.selectors import DUE, compliance_grid, compliance_totals
from tests.factories import AppointmentFactory, MonthlyTalkFactory, OfficerFactory

TODAY = date(2026, 4, 15)
SH = ZoneInfo("Asia/Shanghai")


def _figures(result):
    streets = [(b.street_id, b.street_name, vars(b.month), vars(b.year)) for b in result.streets]
    return result.month, streets, vars(result.month_total), vars(result.year_total)


@pytest.fixture
def talks(reference, city_admin):
    officers_demo.load(by=city_admin)
    assert talks_demo.load(by=city_admin, today=TODAY) > 0
    # An officer who left in February 2025 and had a talk after it (a month he no longer served in).
    seat = Appointment.objects.serving().select_related("community").first()
    gone = OfficerFactory(name="测试离任民警", station=seat.officer.station)
    AppointmentFactory(
        officer=gone,
        community=seat.community,
        status="ended",
        started_on=date(2024, 3, 1),
        ended_on=date(2025, 2, 10),
        letter_year=2024,
        letter_serial=9999,
    )
    MonthlyTalkFactory(officer=gone, community=seat.community, held_at=datetime(2025, 4, 2, 10, tzinfo=SH))


@pytest.mark.parametrize("role_name", ["city_admin", "bureau", "jiegu_clerk", "station_leader"])
def test_the_totals_are_the_grids(talks, request, role_name, reference):
    user = request.getfixturevalue(role_name)
    for year in (2024, 2025, 2026, 2027):
        for street_id in (None, reference["jiegu"].pk):
            grid = compliance_grid(user=user, year=year, street_id=street_id, today=TODAY)
            totals = compliance_totals(user=user, year=year, street_id=street_id, today=TODAY)
            case = f"{role_name} {year} street={street_id}"
            assert _figures(totals) == _figures(grid), case
            due = [row for row in grid.rows if year == TODAY.year and row.cells[TODAY.month - 1].state == DUE]
            assert [(r.officer_id, r.street_id, r.communities) for r in totals.due_now] == [
                (r.officer_id, r.street_id, r.communities) for r in due
            ], case
    assert compliance_totals(user=request.getfixturevalue("city_admin"), year=2026, today=TODAY).year_total.held > 0
