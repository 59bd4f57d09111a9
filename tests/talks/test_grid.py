"""The compliance grid's arithmetic (months in Asia/Shanghai, mid-month appointments, ended appointments,
compliance per street and city-wide) and its query count, the same for 18 and 500 officers."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from communities.models import Community
from officers.models import Appointment, Officer
from officers.talks.models import MonthlyTalk
from officers.talks.selectors import compliance_grid
from tests.factories import AppointmentFactory, MonthlyTalkFactory, OfficerFactory, valid_id_number
from yushu_gov.access.roles import role_of
from yushu_gov.counts import monthly
from yushu_gov.input.months import is_month_closed
from yushu_gov.models import User

SH = ZoneInfo("Asia/Shanghai")
TODAY = date(2026, 4, 15)


def states(row):
    return [cell.state for cell in row.cells]


def the_row(grid, officer):
    [row] = [r for r in grid.rows if r.officer_id == officer.pk]
    return row


@pytest.fixture
def minzhu(reference):
    return Community.objects.get(name="民主路社区")


def test_a_talk_at_half_past_midnight_on_the_first_belongs_to_that_month(jiegu_officer, minzhu, city_admin):
    # 2026-03-01 00:30 in Shanghai is 2026-02-28 16:30 UTC.
    held_at = datetime(2026, 3, 1, 0, 30, tzinfo=SH)
    assert held_at.astimezone(ZoneInfo("UTC")).month == 2
    MonthlyTalkFactory(officer=jiegu_officer, community=minzhu, held_at=held_at)
    # 2026-01-31 23:59 in Shanghai stays in January.
    MonthlyTalkFactory(officer=jiegu_officer, community=minzhu, held_at=datetime(2026, 1, 31, 23, 59, tzinfo=SH))

    row = the_row(compliance_grid(user=city_admin, year=2026, today=TODAY), jiegu_officer)
    assert states(row)[:5] == ["done", "overdue", "done", "due", "upcoming"]
    assert [c.held for c in row.cells[:3]] == [1, 0, 1]
    assert (row.held_months, row.due_months, row.overdue_months) == (2, 4, 1)


def test_a_talk_at_the_end_of_december_in_shanghai_is_not_next_year(jiegu_officer, minzhu, city_admin):
    MonthlyTalkFactory(officer=jiegu_officer, community=minzhu, held_at=datetime(2025, 12, 31, 23, 30, tzinfo=SH))
    MonthlyTalkFactory(officer=jiegu_officer, community=minzhu, held_at=datetime(2026, 1, 1, 0, 5, tzinfo=SH))
    grid_2025 = compliance_grid(user=city_admin, year=2025, today=TODAY)
    grid_2026 = compliance_grid(user=city_admin, year=2026, today=TODAY)
    assert the_row(grid_2025, jiegu_officer).cells[11].held == 1
    assert the_row(grid_2026, jiegu_officer).cells[0].held == 1
    assert the_row(grid_2026, jiegu_officer).held_months == 1


def test_an_officer_appointed_mid_month_is_due_from_that_month(reference, minzhu, city_admin):
    officer = OfficerFactory(station=reference["jiegu_station"])
    AppointmentFactory(
        officer=officer, community=Community.objects.get(name="新建路社区"), started_on=date(2026, 2, 20)
    )
    row = the_row(compliance_grid(user=city_admin, year=2026, today=TODAY), officer)
    assert states(row)[:5] == ["not_serving", "overdue", "overdue", "due", "upcoming"]
    assert row.due_months == 3


def test_an_officer_who_ended_is_due_until_the_month_they_left(reference, city_admin):
    officer = OfficerFactory(station=reference["jiegu_station"])
    community = Community.objects.get(name="红卫路社区")
    AppointmentFactory(
        officer=officer,
        community=community,
        status=Appointment.Status.ENDED,
        started_on=date(2024, 5, 1),
        ended_on=date(2026, 2, 10),
        end_reason=Appointment.EndReason.ROTATION,
    )
    MonthlyTalkFactory(officer=officer, community=community, held_at=datetime(2026, 2, 3, 10, tzinfo=SH))
    row = the_row(compliance_grid(user=city_admin, year=2026, today=TODAY), officer)
    assert states(row)[:4] == ["overdue", "done", "not_serving", "not_serving"]
    assert (row.held_months, row.due_months) == (1, 2)
    # Not a row in a year after they left, nor for appointments still in the workflow.
    assert compliance_grid(user=city_admin, year=2027, today=date(2027, 3, 1)).rows == []


def test_officers_in_the_workflow_are_not_in_the_grid(reference, city_admin):
    officer = OfficerFactory(station=reference["jiegu_station"])
    AppointmentFactory(officer=officer, community=Community.objects.get(name="新建路社区"), status="decided")
    assert compliance_grid(user=city_admin, year=2026, today=TODAY).rows == []


def test_compliance_per_street_and_city_wide(jiegu_officer, xihang_officer, minzhu, city_admin):
    shengli = Community.objects.get(name="胜利路社区")
    for month in (1, 2, 3, 4):
        MonthlyTalkFactory(officer=jiegu_officer, community=minzhu, held_at=datetime(2026, month, 2, 9, tzinfo=SH))
    MonthlyTalkFactory(officer=xihang_officer, community=shengli, held_at=datetime(2026, 1, 9, 9, tzinfo=SH))
    # A second talk in the same month counts once toward compliance.
    MonthlyTalkFactory(officer=xihang_officer, community=shengli, held_at=datetime(2026, 1, 20, 9, tzinfo=SH))
    # A deleted talk does not count.
    MonthlyTalkFactory(
        officer=xihang_officer,
        community=shengli,
        held_at=datetime(2026, 2, 9, 9, tzinfo=SH),
        deleted_at=timezone.now(),
        deleted_by=city_admin,
        delete_reason="重复录入",
    )
    grid = compliance_grid(user=city_admin, year=2026, today=TODAY)
    blocks = {b.street_name: b for b in grid.streets}
    assert (blocks["结古街道"].month.held, blocks["结古街道"].month.due) == (1, 1)
    assert (blocks["结古街道"].year.held, blocks["结古街道"].year.due) == (4, 4)
    assert (blocks["西杭街道"].month.held, blocks["西杭街道"].month.due) == (0, 1)
    assert (blocks["西杭街道"].year.held, blocks["西杭街道"].year.due, blocks["西杭街道"].year.overdue) == (1, 4, 2)
    assert the_row(grid, xihang_officer).cells[0].held == 2
    assert (grid.month_total.held, grid.month_total.due, grid.month_total.percent) == (1, 2, 50)
    assert (grid.year_total.held, grid.year_total.due, grid.year_total.overdue) == (5, 8, 2)
    # A past year: the month figures are December's, and every serving month is due.
    grid_2025 = compliance_grid(user=city_admin, year=2025, today=TODAY)
    assert grid_2025.month == 12
    assert (grid_2025.year_total.held, grid_2025.year_total.due, grid_2025.year_total.overdue) == (0, 24, 24)


def test_the_grid_is_scoped(jiegu_officer, xihang_officer, jiegu_clerk, xihang_clerk, station_leader, bureau):
    def ids(user):
        return {r.officer_id for r in compliance_grid(user=user, year=2026, today=TODAY).rows}

    assert ids(jiegu_clerk) == {jiegu_officer.pk}
    assert ids(xihang_clerk) == {xihang_officer.pk}
    assert ids(station_leader) == {jiegu_officer.pk}
    assert ids(bureau) == {jiegu_officer.pk, xihang_officer.pk}


def test_closed_months_are_counted_in_shanghai():
    assert is_month_closed(datetime(2026, 3, 31, 23, 59, tzinfo=SH), today=date(2026, 4, 1))
    assert not is_month_closed(datetime(2026, 4, 1, 0, 30, tzinfo=SH), today=date(2026, 4, 1))


def _seat_officers(count: int, street_name: str = "结古街道") -> None:  # needs a user for recorded_by
    """`count` officers, each serving in a community of their own in the street, each talked with in
    January and February 2026 (bulk inserts: the test is about the reads)."""
    from communities.models import PoliceStation, Street

    street = Street.objects.get(name=street_name)
    station = PoliceStation.objects.get(name="结古派出所")
    start = Officer.objects.count()
    communities = Community.objects.bulk_create(
        Community(code=f"scale-{start + i}", name=f"规模社区{start + i}", street=street, sort_order=100 + i)
        for i in range(count)
    )
    officers = Officer.objects.bulk_create(
        OfficerFactory.build(
            station=station,
            police_number=f"9{start + i:05d}",
            id_number=valid_id_number(start + i, born=date(1970 + (start + i) // 1000, 1, 1)),
        )
        for i in range(count)
    )
    Appointment.objects.bulk_create(
        AppointmentFactory.build(officer=o, community=c, letter_serial=start + i + 1)
        for i, (o, c) in enumerate(zip(officers, communities, strict=True))
    )
    clerk = User.objects.first()
    MonthlyTalk.objects.bulk_create(
        MonthlyTalk(
            officer=o,
            community=c,
            held_at=datetime(2026, month, 10, 9, tzinfo=SH),
            place="社区",
            talker_name="书记",
            talker_role="secretary",
            topic_safety=True,
            content="谈话",
            recorded_by=clerk,
        )
        for o, c in zip(officers, communities, strict=True)
        for month in (1, 2)
    )
    monthly.rebuild_all()  # inserted in bulk, past the services: the summaries are recounted, as after a data load


@pytest.mark.parametrize("count", [18, 500])
def test_the_grid_costs_two_queries_for_any_number_of_officers(count, city_admin, django_assert_num_queries):
    _seat_officers(count)
    role_of(city_admin)  # the role is read once per request (cached on the user)
    # 1. the serving periods (appointments serving or ended overlapping the year, with officer and street)
    # 2. the talks aggregated per officer, street and month
    with django_assert_num_queries(2):
        grid = compliance_grid(user=city_admin, year=2026, today=TODAY)
    assert len(grid.rows) == count
    assert (grid.year_total.held, grid.year_total.due, grid.year_total.overdue) == (2 * count, 4 * count, count)


@pytest.mark.parametrize("role", ["city_admin", "jiegu_clerk"])
@pytest.mark.parametrize("count", [18, 500])
def test_the_grid_page_query_count_is_constant(count, role, client_for, reference, django_assert_num_queries):
    client = client_for(role)
    _seat_officers(count)
    client.get(reverse("talks:grid"))  # warm the session and content types
    # 1. session  2. user  3. the user's groups (role)  4. the streets in scope (filter form)
    # 5-6. the summary of every street (compliance_totals): for street staff, the serving periods and the talks
    #      per officer-street-month; for the administrator, from the streets' roll-up (officers/talks/rollup.py),
    #      the monthly rule's check, the streets with the officers serving as the year begins, the year's rows
    #      (one more)
    # 7-8. the shown street's cells: the same two queries for that street only (compliance_grid)
    # 9-11. the idle-timeout renewal of the session (savepoint, update, release) — 11 (12) for any number of officers.
    with django_assert_num_queries(12 if role == "city_admin" else 11):
        response = client.get(reverse("talks:grid"), {"year": 2026})
    assert response.status_code == 200
    assert response.content.decode().count('<td class="cell-done"') == 2 * count


def test_the_grid_page_shows_one_street_under_every_streets_compliance(
    client_for, reference, jiegu_officer, xihang_officer
):
    admin = client_for("city_admin")
    first = admin.get(reverse("talks:grid"))
    html = first.content.decode()
    assert first.context["street"].name == "结古街道"  # the first street for a city-wide user
    assert "测试民警甲" in html and "测试民警乙" not in html  # one street's grid
    assert [b.street_name for b in first.context["grid"].streets] == ["结古街道", "西杭街道"]  # the summary: all
    assert f"street={reference['xihang'].pk}" in html
    other = admin.get(reverse("talks:grid"), {"street": reference["xihang"].pk}).content.decode()
    assert "测试民警乙" in other and "测试民警甲" not in other
    # A street clerk starts on (and stays within) his own street.
    clerk = client_for("xihang_clerk").get(reverse("talks:grid"), {"street": reference["jiegu"].pk})
    assert clerk.context["street"].name == "西杭街道" and "测试民警甲" not in clerk.content.decode()
