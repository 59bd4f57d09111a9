"""How often the talks are due, per level of the organisation tree (issue 20): every month by default; a
county that sets every 3 months has one talk due per quarter, in its first month (January, April, …), so that
February and March are not due there, while the city keeps its monthly talks."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from communities.models import Community
from officers.talks import services
from officers.talks.models import TalkRule
from officers.talks.notices import talk_due_reminders
from officers.talks.selectors import NOT_DUE, OVERDUE, compliance_grid, compliance_totals, talk_months
from tests.factories import AppointmentFactory, MonthlyTalkFactory, OfficerFactory, PoliceStationFactory, UserFactory
from yushu_gov.access.roles import Role
from yushu_gov.models import AuditEntry

SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def two_counties(reference):
    """An officer in 称多县's placeholder community and one in 民主路社区 (玉树市), both serving since 2022."""
    chenduo = Community.objects.get(code="chenduo-community-1")
    station = PoliceStationFactory(area=reference["chenduo"])
    zhuoma = OfficerFactory(name="卓玛", station=station)
    AppointmentFactory(officer=zhuoma, community=chenduo, started_on=date(2022, 1, 1))
    tashi = OfficerFactory(name="扎西", station=reference["jiegu_station"])
    AppointmentFactory(officer=tashi, community=Community.objects.get(name="民主路社区"), started_on=date(2022, 1, 1))
    return {"zhuoma": zhuoma, "tashi": tashi, "chenduo": chenduo}


def _entry(figures, officer):
    [o] = [o for o in figures.officers if o.officer_id == officer.pk]
    return o


def test_every_three_months_in_a_county_makes_february_and_march_not_due_there(
    two_counties, reference, prefecture_admin, chenduo_admin
):
    services.talk_rule_set(area=reference["chenduo"], every_months=3, by=chenduo_admin)
    # today 15 May: January-March has passed, April-June has begun
    figures = talk_months(user=prefecture_admin, year=2026, today=date(2026, 5, 15))
    county, city = _entry(figures, two_counties["zhuoma"]), _entry(figures, two_counties["tashi"])
    assert county.every == 3 and city.every == 1
    assert (county.due, county.overdue) == ({1, 4}, {1})  # one talk per quarter; the first quarter missed
    assert (city.due, city.overdue) == ({1, 2, 3, 4, 5}, {1, 2, 3, 4})
    grid = compliance_grid(user=prefecture_admin, year=2026, today=date(2026, 5, 15))
    [row] = [r for r in grid.rows if r.officer_id == two_counties["zhuoma"].pk]
    states = {cell.month: cell.state for cell in row.cells}
    assert (states[1], states[2], states[3], states[5]) == (OVERDUE, NOT_DUE, NOT_DUE, NOT_DUE)


def test_a_talk_anywhere_in_the_period_holds_it_and_the_todo_follows(two_counties, reference, chenduo_admin):
    services.talk_rule_set(area=reference["chenduo"], every_months=3, by=chenduo_admin)
    MonthlyTalkFactory(
        officer=two_counties["zhuoma"], community=two_counties["chenduo"], held_at=datetime(2026, 2, 10, 10, tzinfo=SH)
    )
    figures = talk_months(user=chenduo_admin, year=2026, today=date(2026, 3, 20))
    county = _entry(figures, two_counties["zhuoma"])
    assert (county.held, county.due, county.overdue) == ({1}, {1}, set())
    month, year = figures.compliance()
    assert (month.held, month.due, year.held, year.due, year.overdue) == (1, 1, 1, 1, 0)
    # March: the quarter's talk is held, so nobody is still due this month (the to-do and the reminders).
    assert compliance_totals(user=chenduo_admin, year=2026, today=date(2026, 3, 20)).due_now == []
    # Before the talk the quarter's talk is still to do, in February too.
    assert len(compliance_totals(user=chenduo_admin, year=2025, today=date(2025, 2, 20)).due_now) == 1


def test_the_page_shows_the_source_and_a_county_edits_only_its_own_level(
    two_counties, reference, prefecture_admin, client_for
):
    services.talk_rule_set(area=reference["prefecture"], every_months=2, by=prefecture_admin)
    client = client_for("chenduo_admin")
    url = reverse("talks:frequency")
    page = client.get(url).content.decode()
    assert "继承自 玉树藏族自治州" in page and "本页设置的层级：称多县" in page
    assert client.post(url, {"every_months": 3}).status_code == 302
    assert TalkRule.objects.get(area=reference["prefecture"]).every_months == 2  # the prefecture's row untouched
    assert TalkRule.objects.get(area=reference["chenduo"]).every_months == 3
    assert "本级设置" in client.get(url).content.decode()
    entry = AuditEntry.objects.filter(action="talks.rule.changed").order_by("-pk").first()
    assert entry.changes == {"every_months": [2, 3], "area": [None, "称多县"]}
    assert "谈话频次须为每1至6个月一次" in client.post(url, {"every_months": 7}).content.decode()  # the constraint
    assert client.post(url, {"reset": "1"}).status_code == 302
    assert not TalkRule.objects.filter(area=reference["chenduo"]).exists()
    assert "继承自 玉树藏族自治州" in client.get(url).content.decode()


def test_the_database_holds_the_bounds_and_one_rule_per_level(reference, city_admin):
    with pytest.raises(ValidationError):
        services.talk_rule_set(area=None, every_months=0, by=city_admin)
    TalkRule.objects.create(area=None, every_months=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        TalkRule.objects.create(area=None, every_months=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        TalkRule.objects.create(area=reference["city"], every_months=9)


def test_the_officers_reminder_follows_the_period(two_counties, reference, chenduo_admin):
    for officer in (two_counties["zhuoma"], two_counties["tashi"]):
        UserFactory(username=f"o{officer.pk}", role=Role.OFFICER, officer=officer)
    services.talk_rule_set(area=reference["chenduo"], every_months=3, by=chenduo_admin)
    MonthlyTalkFactory(
        officer=two_counties["zhuoma"], community=two_counties["chenduo"], held_at=datetime(2026, 2, 10, 10, tzinfo=SH)
    )
    # 20 March: 卓玛's quarter is held (February); 扎西 (monthly, in the city) has had no talk in March.
    assert talk_due_reminders(datetime(2026, 3, 20, 9, tzinfo=SH)) == 1
    # 20 April: a new quarter for both.
    assert talk_due_reminders(datetime(2026, 4, 20, 9, tzinfo=SH)) == 2
