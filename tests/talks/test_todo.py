"""The talks' to-do items: this month's talks still due and the months overdue, for the street clerk; the
overdue months for the city administrator, who follows them up."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import RequestFactory
from django.urls import reverse

from communities.models import Community
from officers.talks.todo import talks_due
from tests.factories import AppointmentFactory, MonthlyTalkFactory, OfficerFactory
from yushu_gov.access.roles import role_of

SH = ZoneInfo("Asia/Shanghai")


def items_for(user):
    request = RequestFactory().get("/")
    request.user = user
    role_of(user)
    return {item.label: item for item in talks_due(request)}


@pytest.fixture
def april_2026():
    with time_machine.travel(datetime(2026, 4, 15, 10, tzinfo=SH), tick=False):
        yield


def test_the_clerk_sees_this_months_talks_due_and_the_overdue_months(
    april_2026, jiegu_officer, jiegu_clerk, xihang_clerk
):
    minzhu = Community.objects.get(code="minzhulu")
    MonthlyTalkFactory(officer=jiegu_officer, community=minzhu, held_at=datetime(2026, 1, 10, tzinfo=SH))
    items = items_for(jiegu_clerk)
    due = items["本月待谈心谈话的民警"]
    assert due.count == 1 and due.url == reverse("talks:create") + f"?officer={jiegu_officer.pk}"
    overdue = items["谈心谈话逾期未谈（人·月）"]
    assert overdue.count == 2 and overdue.overdue  # February and March
    assert items_for(xihang_clerk) == {}  # another street's officer is not theirs


def test_several_officers_due_link_to_the_grid_and_a_talk_clears_the_item(april_2026, jiegu_officer, jiegu_clerk):
    other = OfficerFactory(station=jiegu_officer.station)
    AppointmentFactory(officer=other, community=Community.objects.get(code="xinjianlu"))
    due = items_for(jiegu_clerk)["本月待谈心谈话的民警"]
    assert due.count == 2 and due.url == reverse("talks:grid")
    for officer, code in ((jiegu_officer, "minzhulu"), (other, "xinjianlu")):
        MonthlyTalkFactory(officer=officer, community=Community.objects.get(code=code), held_at=datetime.now(SH))
    assert "本月待谈心谈话的民警" not in items_for(jiegu_clerk)


def test_only_the_street_that_records_talks_has_them_to_do(april_2026, jiegu_officer, jiegu_clerk, city_admin, bureau):
    assert items_for(jiegu_clerk)["谈心谈话逾期未谈（人·月）"].count == 3
    # The city administrator and the bureau record no talk: an item they could not act on is not shown.
    assert items_for(city_admin) == {} and items_for(bureau) == {}
