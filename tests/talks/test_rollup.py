"""The talk compliance roll-ups (StreetTalkMonth, AreaTalkMonth): kept by the talk and appointment services in
their transaction, always equal to a recount; and the figures read from them are talk_months' own, per street
and for a node of the tree, in a past, the current and a future year. Where a level sets a longer period the
figures are counted from the rows as before."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.reports.selectors import talk_compliance
from communities.models import Community
from officers.services import appointment_end
from officers.talks import rollup
from officers.talks.models import AreaTalkMonth, MonthlyTalk, StreetTalkMonth
from officers.talks.selectors import Compliance, compliance_totals, node_compliance, talk_months
from officers.talks.services import talk_delete, talk_rule_set, talk_update
from tests.factories import AppointmentFactory, MonthlyTalkFactory, OfficerFactory
from yushu_gov.access.roles import role_of
from yushu_gov.counts import monthly

SH = ZoneInfo("Asia/Shanghai")
TODAY = date(2026, 4, 15)


def _talk(officer, community, year, month, day=3):
    return MonthlyTalkFactory(officer=officer, community=community, held_at=datetime(year, month, day, 10, tzinfo=SH))


def assert_as_recounted():
    for table in (rollup.STREET_TABLE, rollup.AREA_TABLE):
        assert monthly.differences(table) == 0, table.label


@pytest.fixture
def cast(reference):
    """结古街道 and 西杭街道 from 2024 to 2026:
    - 甲 serves 民主路社区 from 10 February 2026 (talks 3 February and 3 April);
    - 乙 served 红卫路社区 from March 2024 to 5 June 2025, then 新建路社区 (same street) from 20 June 2025 to
      January 2026 (one stretch of months in the street), with talks in January 2025, August 2025 and
      March 2026 (after leaving);
    - 丙 serves 新建路社区 since 2022, two talks in March 2026 in two communities of the street (one month held);
    - 丁 serves 胜利路社区 (西杭街道) since 2022, no talk."""
    minzhu, hongwei, xinjian, shengli = (
        Community.objects.get(name=name) for name in ("民主路社区", "红卫路社区", "新建路社区", "胜利路社区")
    )
    jia, yi, bing = (OfficerFactory(name=name, station=reference["jiegu_station"]) for name in "甲乙丙")
    ding = OfficerFactory(name="丁", station=reference["xihang_station"])
    AppointmentFactory(officer=jia, community=minzhu, started_on=date(2026, 2, 10))
    AppointmentFactory(
        officer=yi, community=hongwei, status="ended", started_on=date(2024, 3, 1), ended_on=date(2025, 6, 5)
    )
    AppointmentFactory(
        officer=yi, community=xinjian, status="ended", started_on=date(2025, 6, 20), ended_on=date(2026, 1, 31)
    )
    AppointmentFactory(officer=bing, community=xinjian)
    ding_term = AppointmentFactory(officer=ding, community=shengli)
    _talk(jia, minzhu, 2026, 2)
    _talk(jia, minzhu, 2026, 4)
    for year, month in ((2025, 1), (2025, 8), (2026, 3)):
        _talk(yi, hongwei, year, month)
    _talk(bing, xinjian, 2026, 3, day=2)
    _talk(bing, hongwei, 2026, 3, day=20)
    return {"jia": jia, "yi": yi, "bing": bing, "ding": ding, "ding_term": ding_term, "minzhu": minzhu}


def _by_rows(user, year, today, **scope):
    """The figures counted from the rows (talk_months): per street and in total."""
    figures = talk_months(user=user, year=year, today=today, held_only=True, **scope)
    streets: dict[int, tuple[Compliance, Compliance]] = {}
    for o in figures.officers:
        month, whole_year = streets.setdefault(o.street_id, (Compliance(), Compliance()))
        month.add(int(figures.month in o.held), int(figures.month in o.due), int(figures.month in o.overdue))
        whole_year.add(len(o.held), len(o.due), len(o.overdue))
    return streets, figures.compliance()


def _by_rollup(totals):
    streets = {block.street_id: (block.month, block.year) for block in totals.streets}
    return streets, (totals.month_total, totals.year_total)


DAYS = [date(2025, 7, 9), TODAY, date(2026, 12, 31), date(2027, 1, 1)]


@pytest.mark.parametrize("today", DAYS)
@pytest.mark.parametrize("year", [2024, 2025, 2026, 2027])
def test_the_roll_up_gives_the_rows_figures(cast, city_admin, prefecture_admin, reference, year, today):
    totals = compliance_totals(user=city_admin, year=year, today=today)
    assert _by_rollup(totals) == _by_rows(city_admin, year, today)
    assert totals.due_now == []  # the administrator records no talk
    for user, area in ((city_admin, None), (prefecture_admin, reference["city"]), (prefecture_admin, None)):
        path = None if area is None else area.path
        month, whole_year = node_compliance(user=user, year=year, area_path=path, today=today)
        assert (month, whole_year) == _by_rows(user, year, today, area_path=path)[1]


def test_the_hand_counted_figures(cast, city_admin, reference):
    """Written out from the rule: 2026, today 15 April. 结古: 甲 held Feb, Apr, due Feb–Apr, overdue Mar;
    乙 served January (the stretch ends with his term on 31 January), held March (after leaving) and
    overdue January; 丙 once in the street: held March, due Jan–Apr, overdue Jan, Feb."""
    totals = compliance_totals(user=city_admin, year=2026, today=TODAY)
    jiegu = next(block for block in totals.streets if block.street_id == reference["jiegu"].pk)
    assert vars(jiegu.year) == {"held": 4, "due": 9, "overdue": 4}
    assert vars(jiegu.month) == {"held": 1, "due": 2, "overdue": 0}
    assert StreetTalkMonth.objects.get(street=reference["jiegu"], year=2026, month=3).held == 2  # 乙 and 丙


def test_the_services_keep_the_roll_ups(cast, city_admin, jiegu_clerk, reference):
    assert_as_recounted()
    # A talk moved to another month, and one deleted: the months' held counts follow, up the tree.
    [talk] = MonthlyTalk.objects.filter(officer=cast["jia"], held_at__month=4)
    data = {"held_at": datetime(2026, 3, 5, 10, tzinfo=SH)}
    talk_update(talk=talk, by=city_admin, data=data, reason="记错日期")
    city = reference["city"]
    assert AreaTalkMonth.objects.get(area=city, year=2026, month=3).held == 3
    assert AreaTalkMonth.objects.get(area=city, year=2026, month=4).held == 0
    assert_as_recounted()
    talk_delete(talk=talk, by=city_admin, reason="重复录入")
    assert AreaTalkMonth.objects.get(area=city, year=2026, month=3).held == 2
    assert_as_recounted()
    # A term that ends: 丁 no longer due from May.
    appointment_end(appointment=cast["ding_term"], by=city_admin, on_date=date(2026, 4, 10), reason="rotation")
    row = StreetTalkMonth.objects.get(street=reference["xihang"], year=2026, month=5)
    assert row.departed == 1
    assert_as_recounted()
    assert _by_rollup(compliance_totals(user=city_admin, year=2026, today=TODAY)) == _by_rows(city_admin, 2026, TODAY)


def test_a_longer_period_is_counted_from_the_rows(cast, city_admin, prefecture_admin, reference):
    talk_rule_set(area=reference["city"], every_months=3, by=city_admin)
    assert node_compliance(user=city_admin, year=2026, today=TODAY) is None
    assert node_compliance(user=prefecture_admin, year=2026, today=TODAY) is None  # a level below sets it
    totals = compliance_totals(user=city_admin, year=2026, today=TODAY)
    assert _by_rollup(totals) == _by_rows(city_admin, 2026, TODAY)
    # Counted from the rows: the officers whose quarter (April–June) is still without a talk are listed.
    assert {row.officer_id for row in totals.due_now} == {cast["bing"].pk, cast["ding"].pk}
    dashboard = talk_compliance(user=city_admin, year=2026, today=TODAY)
    assert (dashboard.year_held, dashboard.year_due) == (totals.year_total.held, totals.year_total.due)


def test_a_node_reads_its_own_rows(cast, prefecture_admin, reference):
    """Two queries at a node: the rule, and its dozen rows a year, whatever the number of officers (the user's
    role is read once per request, before)."""
    role_of(prefecture_admin)
    with CaptureQueriesContext(connection) as queries:
        node_compliance(user=prefecture_admin, year=2026, area_path=reference["city"].path, today=TODAY)
    assert len(queries) == 2, [q["sql"][:150] for q in queries.captured_queries]
