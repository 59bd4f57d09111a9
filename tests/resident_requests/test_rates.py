"""The rates that count (响应率, 办结率, 满意率, median time to resolve): on the demo data, for each role's scope,
at city, street and community level, per officer and per month, the selector, the dashboard page, the
briefing and the assessment's evidence all equal a recount written out here from the requests themselves;
and they cost a constant number of grouped queries at any amount of data."""

import re
import statistics
from decimal import Decimal
from html import unescape

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments import services as assessment_services
from assessments.demo import accounts
from assessments.demo import officers as officers_demo
from assessments.demo import resident_requests as requests_demo
from assessments.models import AnnualAssessment
from communities.models import Community
from officers.resident_requests.models import ResidentRequest
from officers.resident_requests.selectors import request_rates
from yushu_gov.access.roles import Role, role_of
from yushu_gov.input.months import SHANGHAI

pytestmark = pytest.mark.django_db

DONE = ("resolved", "closed")
NOW = timezone.now()  # the moment every figure is computed at (frozen in each test)


@pytest.fixture
def demo(reference):
    with time_machine.travel(NOW, tick=False):
        users = accounts.create_demo_accounts()
        officers_demo.load(by=users["admin"], staff={"jiegu": users["jiegu"], "xihang": users["xihang"]})
        assert requests_demo.load(users=users) > 100
    return users


def _percent(part, whole):
    return None if not whole else (Decimal(part) * 100 / whole).quantize(Decimal("0.1"))


def recount(requests) -> dict:
    """The rates of a list of requests, counted one by one."""
    due = [r for r in requests if r.responded_at is not None or r.respond_by <= NOW]
    in_time = [r for r in due if r.responded_at is not None and r.responded_at <= r.respond_by]
    resolved = [r for r in requests if r.status in DONE]
    rated = [r for r in requests if r.rating]
    satisfied = [r for r in rated if r.rating in ("satisfied", "basic")]
    hours = [(r.resolved_at - r.submitted_at).total_seconds() / 3600 for r in resolved]
    return {
        "received": len(requests),
        "response_rate": _percent(len(in_time), len(due)),
        "resolve_rate": _percent(len(resolved), len(requests)),
        "satisfaction_rate": _percent(len(satisfied), len(rated)),
        "median_days": None if not hours else (Decimal(statistics.median(hours)) / 24).quantize(Decimal("0.1")),
        "resolved": len(resolved),
    }


def figures(rates) -> dict:
    return {
        "received": rates.received,
        "response_rate": rates.response_rate,
        "resolve_rate": rates.resolve_rate,
        "satisfaction_rate": rates.satisfaction_rate,
        "median_days": rates.median_days,
        "resolved": rates.resolved,
    }


SCOPES = {
    "city_admin": lambda users, ref: {},
    "bureau": lambda users, ref: {},
    "jiegu": lambda users, ref: {"community__street": ref["jiegu"]},
    "station": lambda users, ref: {"officer__station": ref["jiegu_station"]},
}
USERNAMES = {"city_admin": "admin", "bureau": "bureau", "jiegu": "jiegu", "station": "station"}


def test_the_rates_equal_a_recount_at_every_level(demo, reference):
    """For each role's scope, at each level, for 2023 and this year (one data set for the twenty-four cases)."""
    hongwei = Community.objects.get(code="hongweilu")
    levels = {
        "city": ({}, {}),
        "street": ({"street_id": reference["jiegu"].pk}, {"community__street": reference["jiegu"]}),
        "community": ({"community_id": hongwei.pk}, {"community": hongwei}),
    }
    with time_machine.travel(NOW, tick=False):
        for role, scope_of in SCOPES.items():
            user, scope = demo[USERNAMES[role]], scope_of(demo, reference)
            for year in (2023, NOW.astimezone(SHANGHAI).year):
                for level, (kwargs, level_filter) in levels.items():
                    _check_level(f"{role} at {level} level in {year}", user, year, level, kwargs, scope, level_filter)


def _check_node(case, rates, requests):
    """A node of the tree (an administrator's or a bureau reviewer's city level): the rates are the recount's,
    and the median, read from the tenths-of-a-day histogram (rollup.py), is within 0.05 day of the exact one."""
    expected = recount(requests)
    hours = [(r.resolved_at - r.submitted_at).total_seconds() / 3600 for r in requests if r.status in DONE]
    shown = figures(rates)
    assert {k: v for k, v in shown.items() if k != "median_days"} == {
        k: v for k, v in expected.items() if k != "median_days"
    }, case
    if not hours:
        assert rates.median_hours is None, case
    else:
        assert abs(rates.median_hours - statistics.median(hours)) <= 1.2 + 1e-9, case


def _check_level(case, user, year, level, kwargs, scope, level_filter):
    requests = list(
        ResidentRequest.objects.select_related("community")
        .filter(**scope)
        .filter(**level_filter)
        .filter(submitted_at__year=year)  # the database's time zone is Asia/Shanghai's
        .distinct()
    )
    board = request_rates(user=user, year=year, **kwargs)
    node = level == "city" and role_of(user) in (Role.CITY_ADMIN, Role.BUREAU_REVIEWER)
    if node:
        _check_node(case, board.total, requests)
    else:
        assert figures(board.total) == recount(requests), case
    assert board.total.received > 0, case  # the data is not empty
    for month in range(1, 13):
        in_month = [r for r in requests if r.submitted_at.astimezone(SHANGHAI).month == month]
        if node:
            _check_node(f"{case}, month {month}", board.months[month - 1], in_month)
        else:
            assert figures(board.months[month - 1]) == recount(in_month), f"{case}, month {month}"
    for row in board.officers:
        mine = [r for r in requests if r.officer_id == row.officer_id]
        assert figures(row.rates) == recount(mine), f"{case}, {row.name}"
    for row in board.units:  # streets at city level, communities below
        if level == "city":
            unit = [r for r in requests if r.community.street_id == row.street_id]
        else:
            unit = [r for r in requests if r.community_id == row.community_id]
        assert figures(row.rates) == recount(unit), f"{case}, {row.name}"
    assert sum(row.rates.received for row in board.units) == len(requests), case


def _shown(page: str, figure: str) -> str:
    return unescape(re.search(rf'id="{figure}">(.*?)</dd>', page, re.S)[1]).strip()


def _as_shown(value, suffix="%"):
    return "—" if value is None else f"{value}{suffix}"


def test_the_dashboard_the_briefing_and_the_assessment_show_the_recount(demo):
    """One data set for the three pages."""
    client = Client()
    client.force_login(demo["jiegu"])
    with time_machine.travel(NOW, tick=False):
        page = client.get(reverse("reports:dashboard"), {"year": 2023}).content.decode()
        expected = recount(
            list(ResidentRequest.objects.filter(community__street__code="jiegu", submitted_at__year=2023))
        )
    assert re.sub(r"<[^>]+>", "", _shown(page, "fig-requests")) == str(expected["received"])
    assert _shown(page, "fig-response-rate") == _as_shown(expected["response_rate"])
    assert _shown(page, "fig-resolve-rate") == _as_shown(expected["resolve_rate"])
    assert _shown(page, "fig-satisfaction-rate") == _as_shown(expected["satisfaction_rate"])
    assert _shown(page, "fig-median-days") == _as_shown(expected["median_days"], "天")
    assert 'id="table-request-units"' in page and 'id="table-request-officers"' in page

    # The briefing: "解决群众急难愁盼问题 N 件", linking to those N requests.
    client.force_login(demo["admin"])
    with time_machine.travel(NOW, tick=False):
        page = client.get(reverse("reports:briefing"), {"year": 2023}).content.decode()
        resolved = ResidentRequest.objects.filter(submitted_at__year=2023, status__in=["resolved", "closed"])
        match = re.search(r'解决群众急难愁盼问题<a href="([^"]+)" class="figure">(\d+)</a>件', page)
        assert match, "the briefing names the resolved requests with a link"
        assert int(match[2]) == resolved.count() > 90  # "nearly 100"
        listed = client.get(unescape(match[1]))
        assert listed.context["page"].paginator.count == resolved.count()
        assert client.get(reverse("reports:briefing_pdf"), {"year": 2023}).status_code == 200

    # The evidence beside the officer's assessment.
    assessment_services.assessment_year_open(year=2023, by=demo["bureau"])
    assessment = AnnualAssessment.objects.get(year=2023, community__code="hongweilu")
    client.force_login(demo["bureau"])
    with time_machine.travel(NOW, tick=False):
        page = client.get(reverse("assessments:detail", args=[assessment.pk])).content.decode()
        expected = recount(list(ResidentRequest.objects.filter(officer=assessment.officer, submitted_at__year=2023)))
    section = page.split("群众诉求办理")[1]
    assert f"<dd>{expected['received']}</dd>" in section
    assert _as_shown(expected["satisfaction_rate"]) in section and _as_shown(expected["response_rate"]) in section


# 4 grouped queries: the total, per unit, per officer, per month (counts and the median in the database);
# the total alone is 1. (Before the monthly summaries it was 1 query reading every request row by row.)
RATES_QUERIES = 4


def test_the_rates_cost_four_grouped_queries_at_1x_and_10x(demo, django_assert_num_queries):
    user = demo["jiegu"]
    role_of(user)  # the role is read once per request, before any page's figures
    with django_assert_num_queries(RATES_QUERIES):
        small = request_rates(user=user, year=2023)
    with django_assert_num_queries(1):
        assert request_rates(user=user, year=2023, breakdown=False).total == small.total
    originals = list(ResidentRequest.objects.filter(year=2023))
    top = max(r.serial for r in originals)
    copies = []
    for n in range(1, 10):
        for item in originals:
            item.pk, item.serial = None, item.serial + n * top
            copies.append(item)
        originals = list(ResidentRequest.objects.filter(year=2023, serial__lte=top))
    ResidentRequest.objects.bulk_create(copies, batch_size=1000)
    with django_assert_num_queries(RATES_QUERIES):
        large = request_rates(user=user, year=2023)
    assert large.total.received == 10 * small.total.received
    assert large.total.response_rate == small.total.response_rate
