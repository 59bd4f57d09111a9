"""Demo data that is alive: every month from 2024 up to the day it loads is filled (work records up to that
day, police calls up to the last complete month), a later run tops it up, 2023 keeps the article's figures,
and the demo officers and communities have Tibetan names."""

from datetime import date

import pytest
import time_machine

from assessments.demo import ledger as demo_ledger
from assessments.demo import officers as officers_demo
from assessments.demo.tibetan import COMMUNITIES
from communities.models import Community, PoliceCallCount
from officers.ledger.models import WorkRecord
from officers.models import Officer


@pytest.fixture
def demo(reference, city_admin):
    officers_demo.load(by=city_admin)
    demo_ledger.load(by=city_admin)
    return city_admin


def months_with_records():
    return set(WorkRecord.objects.values_list("occurred_on__year", "occurred_on__month").distinct())


def test_every_month_up_to_today_is_filled_and_topped_up_later(demo):
    with time_machine.travel(date(2025, 6, 20), tick=False):
        created = demo_ledger.load_recent(by=demo)
        assert created["work_records"] > 0 and created["police_calls"] == 17 * 18  # Jan 2024 – May 2025
        assert WorkRecord.objects.filter(occurred_on__gt=date(2025, 6, 20)).count() == 0
        assert demo_ledger.load_recent(by=demo) == {"work_records": 0, "police_calls": 0}
    for year in (2024, 2025):
        for month in range(1, 13 if year == 2024 else 7):
            assert (year, month) in months_with_records(), (year, month)
    assert not PoliceCallCount.objects.filter(year=2025, month=6).exists()  # June is not over
    with time_machine.travel(date(2025, 9, 2), tick=False):
        again = demo_ledger.load_recent(by=demo)
    assert again["police_calls"] == 3 * 18  # June, July, August
    assert {(2025, 7), (2025, 8), (2025, 9)} <= months_with_records()
    # June had its records already: it is not filled twice.
    assert (
        WorkRecord.objects.filter(occurred_on__gte=date(2025, 6, 21), occurred_on__lte=date(2025, 6, 30)).count() == 0
    )
    # 2023 keeps the article's figures.
    done = WorkRecord.objects.filter(occurred_on__year=2023, status="done")
    assert done.filter(kind="difficulty").count() == 98
    assert done.filter(kind="dispute", outcome="resolved").count() == 77
    assert done.filter(kind="case").count() == 29
    calls = {y: sum(PoliceCallCount.objects.filter(year=y).values_list("count", flat=True)) for y in (2022, 2023)}
    assert round((calls[2023] - calls[2022]) * 10000 / calls[2022]) / 100 == -73.67


def test_the_demo_officers_and_communities_have_tibetan_names(reference, city_admin):
    officers_demo.load(by=city_admin)
    demo = city_admin
    tibetan = Officer.objects.filter(name__endswith="（演示）", ethnicity="tibetan").exclude(name_bo="")
    assert tibetan.count() >= 10
    assert Officer.objects.get(name="扎西多杰（演示）").name_bo == "བཀྲ་ཤིས་རྡོ་རྗེ།"
    assert officers_demo.add_tibetan_names(by=demo) == len(COMMUNITIES)  # the communities (reference data)
    assert Community.objects.get(code="minzhulu").name_bo == COMMUNITIES["minzhulu"]
    assert officers_demo.add_tibetan_names(by=demo) == 0  # once
