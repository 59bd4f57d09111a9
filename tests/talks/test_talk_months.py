"""talk_months: the one function that says, per officer and street, which months of a year were served, held,
due and overdue (DOMAIN.md §4.3). Hand-built cases whose expected sets are written out from the rule itself
(a talk is due in every serving month that has begun; a month is overdue once it has passed without a talk),
then the grid, the totals, the home pages' officers still due and the dashboard, which all count from it."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from assessments.reports.selectors import talk_compliance
from communities.models import Community
from officers.talks.selectors import compliance_grid, compliance_totals, talk_months
from tests.factories import AppointmentFactory, MonthlyTalkFactory, OfficerFactory

SH = ZoneInfo("Asia/Shanghai")
TODAY = date(2026, 4, 15)


def _talk(officer, community, year, month, day=3):
    MonthlyTalkFactory(officer=officer, community=community, held_at=datetime(year, month, day, 10, tzinfo=SH))


def _sets(figures, officer) -> tuple:
    [o] = [o for o in figures.officers if o.officer_id == officer.pk]
    return o.serving, o.held, o.due, o.overdue


@pytest.fixture
def cast(reference):
    """Three officers of 结古街道 in 2026 (today 15 April) and one of 西杭街道:
    - 甲 serves 民主路社区 from 10 February 2026 and had talks on 3 February and 3 April;
    - 乙 served 红卫路社区 from 2024 until 5 June 2025, with talks in January 2025 and August 2025 (after leaving);
    - 丙 serves 新建路社区 since 2022, with two talks in March 2026 and none since;
    - 丁 serves 胜利路社区 (西杭街道) since 2022, no talk at all."""
    minzhu, hongwei, xinjian, shengli = (
        Community.objects.get(name=name) for name in ("民主路社区", "红卫路社区", "新建路社区", "胜利路社区")
    )
    jia, yi, bing = (OfficerFactory(name=name, station=reference["jiegu_station"]) for name in "甲乙丙")
    ding = OfficerFactory(name="丁", station=reference["xihang_station"])
    AppointmentFactory(officer=jia, community=minzhu, started_on=date(2026, 2, 10))
    AppointmentFactory(
        officer=yi, community=hongwei, status="ended", started_on=date(2024, 3, 1), ended_on=date(2025, 6, 5)
    )
    AppointmentFactory(officer=bing, community=xinjian)
    AppointmentFactory(officer=ding, community=shengli)
    _talk(jia, minzhu, 2026, 2, day=3)  # written past the service: a month he served in (from the 10th)
    _talk(jia, minzhu, 2026, 4)
    _talk(yi, hongwei, 2025, 1)
    _talk(yi, hongwei, 2025, 8)
    _talk(bing, xinjian, 2026, 3, day=2)
    _talk(bing, xinjian, 2026, 3, day=20)
    return {"jia": jia, "yi": yi, "bing": bing, "ding": ding, "minzhu": minzhu}


def test_the_sets_of_a_mid_month_start_and_of_the_current_month(cast, city_admin):
    figures = talk_months(user=city_admin, year=2026, today=TODAY)
    assert (figures.month, figures.current) == (4, 4)
    # 甲: served from February; held February and April; due February-April; March passed without a talk.
    assert _sets(figures, cast["jia"]) == (set(range(2, 13)), {2, 4}, {2, 3, 4}, {3})
    # 丙: two talks in March are one month held; January, February passed without; April due, not yet overdue.
    assert _sets(figures, cast["bing"]) == (set(range(1, 13)), {3}, {1, 2, 3, 4}, {1, 2})
    [o] = [o for o in figures.officers if o.officer_id == cast["bing"].pk]
    assert o.talks == {3: 2}
    # 乙 left in 2025: not in 2026's figures.
    assert cast["yi"].pk not in {o.officer_id for o in figures.officers}


def test_the_sets_of_a_past_year_an_officer_who_left_and_a_talk_after_leaving(cast, city_admin):
    figures = talk_months(user=city_admin, year=2025, today=TODAY)
    assert (figures.month, figures.current) == (12, None)
    # 乙 served January to June 2025; the August talk counts as held (and so due), June passed without one.
    assert _sets(figures, cast["yi"]) == (set(range(1, 7)), {1, 8}, {1, 2, 3, 4, 5, 6, 8}, {2, 3, 4, 5, 6})
    # 丁 served all year without a talk: every month due and overdue.
    assert _sets(figures, cast["ding"]) == (set(range(1, 13)), set(), set(range(1, 13)), set(range(1, 13)))


def test_nothing_is_due_in_a_year_still_to_come(cast, city_admin):
    figures = talk_months(user=city_admin, year=2027, today=TODAY)
    assert _sets(figures, cast["ding"]) == (set(range(1, 13)), set(), set(), set())


def test_the_scope_and_the_street_filter(cast, jiegu_clerk, city_admin, reference):
    assert {o.officer_id for o in talk_months(user=jiegu_clerk, year=2026, today=TODAY).officers} == {
        cast["jia"].pk,
        cast["bing"].pk,
    }
    xihang = talk_months(user=city_admin, year=2026, street_id=reference["xihang"].pk, today=TODAY)
    assert [o.officer_id for o in xihang.officers] == [cast["ding"].pk]


def test_the_grid_the_totals_and_the_dashboard_count_from_the_sets(cast, city_admin, reference):
    jiegu = reference["jiegu"].pk
    # 结古 in 2026: 甲 held 2, due 3, overdue 1; 丙 held 1, due 4, overdue 2. This month (April): 甲 held,
    # 丙 due; neither overdue.
    totals = compliance_totals(user=city_admin, year=2026, street_id=jiegu, today=TODAY)
    assert [(b.street_id, vars(b.year), vars(b.month)) for b in totals.streets] == [
        (jiegu, {"held": 3, "due": 7, "overdue": 3}, {"held": 1, "due": 2, "overdue": 0})
    ]
    assert [row.officer_id for row in totals.due_now] == [cast["bing"].pk]  # the home pages' reminder

    grid = compliance_grid(user=city_admin, year=2026, street_id=jiegu, today=TODAY)
    assert (vars(grid.year_total), vars(grid.month_total)) == (vars(totals.year_total), vars(totals.month_total))
    [jia] = [row for row in grid.rows if row.officer_id == cast["jia"].pk]
    assert [cell.state for cell in jia.cells[:6]] == ["not_serving", "done", "overdue", "done", "upcoming", "upcoming"]
    assert (jia.held_months, jia.due_months, jia.overdue_months) == (2, 3, 1)

    # The dashboard: the whole city (丁 adds 4 due and 3 overdue months, April due), and one community.
    city = talk_compliance(user=city_admin, year=2026, today=TODAY)
    assert (city.month_held, city.month_due, city.year_held, city.year_due, city.overdue) == (1, 3, 3, 11, 6)
    minzhu = talk_compliance(user=city_admin, year=2026, street_id=jiegu, community=cast["minzhu"], today=TODAY)
    assert (minzhu.month_held, minzhu.month_due, minzhu.year_held, minzhu.year_due, minzhu.overdue) == (
        1,
        1,
        2,
        3,
        1,
    )


@pytest.mark.parametrize("year", [2025, 2026])
def test_the_figures_without_the_cells_are_the_same_figures(cast, city_admin, year):
    """held_only (one row per officer, the months held as a bit mask): the same sets and the same compliance as
    the grid's month-by-month counts; only the number of talks in a month is not there."""
    full = talk_months(user=city_admin, year=year, today=TODAY)
    held = talk_months(user=city_admin, year=year, today=TODAY, held_only=True)
    assert [(o.officer_id, o.street_id) for o in held.officers] == [(o.officer_id, o.street_id) for o in full.officers]
    for a, b in zip(full.officers, held.officers, strict=True):
        assert (a.serving, a.held, a.due, a.overdue) == (b.serving, b.held, b.due, b.overdue)
        assert set(a.talks) == set(b.talks)
    assert full.compliance() == held.compliance()
    assert any(o.talks for o in held.officers)
