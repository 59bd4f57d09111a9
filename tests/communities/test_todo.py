"""The police-call figures' to-do item: the complete months of the last twelve in which a community has no
figure, for those who keep them."""

from datetime import date

import pytest
import time_machine
from django.test import RequestFactory
from django.urls import reverse

from communities.models import Community
from communities.todo import last_complete_months, police_calls_missing
from tests.factories import PoliceCallCountFactory
from yushu_gov.access.roles import role_of


def items_for(user):
    request = RequestFactory().get("/")
    request.user = user
    role_of(user)
    return police_calls_missing(request)


@pytest.fixture
def in_march_2024():
    with time_machine.travel(date(2024, 3, 10), tick=False):
        yield


def test_the_last_twelve_complete_months():
    assert last_complete_months(date(2024, 3, 10), 3) == [(2024, 2), (2024, 1), (2023, 12)]


def test_months_without_every_communitys_figure(in_march_2024, reference, bureau, city_admin, jiegu_clerk):
    communities = list(Community.objects.filter(street__area__code="yushu"))  # the city bureau's
    for year, month in last_complete_months(date(2024, 3, 10))[1:]:  # all but February
        for community in communities:
            PoliceCallCountFactory(community=community, year=year, month=month)
    [item] = items_for(bureau)
    assert item.count == 1 and not item.overdue  # only the month that just ended
    assert item.url == reverse("communities:police_calls") + "?year=2024"
    assert items_for(city_admin)[0].count == 1
    assert items_for(jiegu_clerk) == []  # the street reads the figures; it does not keep them
    for community in communities[:-1]:
        PoliceCallCountFactory(community=community, year=2024, month=2)
    assert items_for(bureau)[0].count == 1  # one community still missing
    PoliceCallCountFactory(community=communities[-1], year=2024, month=2)
    assert items_for(bureau) == []


def test_an_older_missing_month_is_overdue(in_march_2024, reference, bureau):
    [item] = items_for(bureau)
    assert item.count == 12 and item.overdue
