"""The open figures (assessments/reports/open_figures.py): each community's monthly counts over the last 24
complete months, as a page, CSV and JSON for anyone. The figures equal the dashboard's (`request_rates` of the
community and year, by month) and the assessment's (the officer's evidence, counted over the year), and the
police calls' change equals the dashboard's; no personal data or free text goes out; the queries are pinned."""

import csv
import io
from datetime import date, datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from assessments.reports import open_figures
from assessments.reports.selectors import dashboard
from assessments.selectors import evidence_for
from communities.models import Community, PoliceCallCount
from officers.resident_requests import services
from officers.resident_requests.selectors import request_rates
from yushu_gov.input.months import SHANGHAI

from ..resident_requests.helpers import submit

pytestmark = pytest.mark.django_db
COUNTED = ("received", "response_due", "responded_in_time", "resolved", "rated", "satisfied")


def at(year, month, day, hour=10):
    return time_machine.travel(datetime(year, month, day, hour, tzinfo=SHANGHAI), tick=False)


@pytest.fixture
def history(jiegu_officer, officer, reference):
    """Requests to 民主路社区 in two of the last months, handled in every way the rates count: accepted in time
    and late, resolved, rated 满意, 不满意 (reopened at the street) and 基本满意, left open; and police calls."""
    months = open_figures.last_months()
    (y1, m1), (y2, m2) = months[-3], months[-2]
    made = []
    for day, steps in [(3, "accept resolve satisfied"), (5, "late resolve unsatisfied"), (9, "accept"),
                       (12, ""), (20, "accept resolve basic")]:  # fmt: skip
        for year, month in ((y1, m1), (y2, m2)):
            with at(year, month, day):
                request = submit(description="路灯坏了，电话13912345678", resident_name="测试居民")
            if "accept" in steps:  # two hours after it came in: in time
                with at(year, month, day, 12):
                    request = services.request_accept(resident_request=request, by=officer)
            if "late" in steps:  # 30 hours after: past the 24 hours
                with at(year, month, day + 1, 16):
                    request = services.request_accept(resident_request=request, by=officer)
            if "resolve" in steps:
                with at(year, month, day + 2):
                    request = services.request_resolve(resident_request=request, by=officer, reply="已修好")
            rating = steps.split()[-1] if steps else ""
            if rating in ("satisfied", "unsatisfied", "basic"):
                with at(year, month, day + 3):
                    services.request_rate(resident_request=request, rating=rating)
            made.append(request)
    community = Community.objects.get(code="minzhulu")
    for year, month, count in [(y2, m2, 40), (y2 - 1, m2, 50), (y1, m1, 12)]:
        PoliceCallCount.objects.create(community=community, year=year, month=month, count=count)
    return {"months": months, "made": made, "community": community}


def test_the_open_figures_equal_the_dashboards_and_the_assessments(history, city_admin, jiegu_officer):
    now = timezone.now()
    community = history["community"]
    rows = {(r.year, r.month): r for r in open_figures.open_figures(community_code="minzhulu", now=now).rows}
    assert len(rows) == 24 and sum(r.rates.received for r in rows.values()) == 10
    years = {year for year, _month in history["months"]}
    for year in years:
        board = request_rates(user=city_admin, year=year, community_id=community.pk, now=now)
        for (row_year, month), row in rows.items():
            if row_year == year:
                assert row.rates == board.months[month - 1], (year, month)  # every count, rate and the median
        officer_total = evidence_for(officer=jiegu_officer, year=year, user=city_admin)["requests"]
        year_rows = [row.rates for (row_year, _m), row in rows.items() if row_year == year]
        for name in COUNTED:
            assert getattr(officer_total, name) == sum(getattr(r, name) for r in year_rows), (year, name)
    (y1, m1), (y2, m2) = history["months"][-3], history["months"][-2]
    busy = rows[(y2, m2)].as_dict()
    assert busy["requests_received"] == 5 and busy["resolved"] == 2 and busy["rated"] == 3
    assert (busy["response_due"], busy["responded_in_time"], busy["response_rate"]) == (5, 3, 60.0)  # one late
    assert (busy["resolve_rate"], busy["satisfaction_rate"]) == (40.0, 66.7)  # the 不满意 one was reopened
    assert busy["median_resolve_hours"] == 48.0
    # police calls: the month against the same month a year earlier, as the dashboard computes the change
    assert (busy["police_calls"], busy["police_calls_year_before"], busy["police_calls_change_percent"]) == (
        40, 50, -20.0,
    )  # fmt: skip
    calls = dashboard(user=city_admin, year=y2, community_id=community.pk).total.calls
    assert float(calls.change_percent) == busy["police_calls_change_percent"]  # (the only month compared)
    assert rows[(y1, m1)].as_dict()["police_calls_change_percent"] is None  # no figure a year earlier


def test_csv_json_and_page_carry_the_same_rows_without_personal_data(
    client, history, django_assert_num_queries, settings
):
    with django_assert_num_queries(3):  # the page's communities; the requests' figures; the police calls
        answer = client.get(reverse("open_figures:json"))
    data = answer.json()
    assert len(data["months"]) == 24 and data["next"] is None and "Link" not in answer
    assert set(data["definitions"]) <= set(open_figures.COLUMNS)
    assert len(data["rows"]) == 24 * Community.objects.count() <= 1000
    minzhulu = [row for row in data["rows"] if row["community_code"] == "minzhulu"]
    expected = [row.as_dict() for row in open_figures.open_figures(community_code="minzhulu").rows]
    assert minzhulu == expected
    download = client.get(reverse("open_figures:csv"))
    table = list(csv.DictReader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert list(table[0]) == list(open_figures.COLUMNS) and len(table) == len(data["rows"])
    first = next(row for row in table if row["community_code"] == "minzhulu" and row["requests_received"] != "0")
    assert first["month"] == next(r["month"] for r in minzhulu if r["requests_received"])
    page = client.get(reverse("open_figures:page"), {"community": "minzhulu"})
    assert page.status_code == 200 and "满意率（%）= 满意和基本满意 / 已评价。" in page.content.decode()
    for body in (answer.content.decode(), download.content.decode("utf-8-sig"), page.content.decode()):
        for secret in ("测试居民", "13912345678", "路灯", "已修好", "测试民警"):
            assert secret not in body


def test_the_download_is_paged_by_communities(client, reference, monkeypatch):
    monkeypatch.setattr(open_figures, "COMMUNITIES_PER_PAGE", 5)
    first = client.get(reverse("open_figures:json")).json()
    assert len(first["rows"]) == 5 * 24 and first["next"].endswith("?page=2")
    assert client.get(reverse("open_figures:csv"), {"page": 4})["Link"].endswith('?page=5>; rel="next"')
    assert "Link" not in client.get(reverse("open_figures:csv"), {"page": 5})
    last = client.get(reverse("open_figures:json"), {"page": 5}).json()  # 23 communities: 5 + 5 + 5 + 5 + 3
    assert len(last["rows"]) == 3 * 24 and last["next"] is None
    codes = {row["community_code"] for page in (1, 2, 3, 4, 5)
             for row in client.get(reverse("open_figures:json"), {"page": page}).json()["rows"]}  # fmt: skip
    assert codes == set(Community.objects.values_list("code", flat=True))


def test_the_last_24_months_end_last_month():
    months = open_figures.last_months(today=date(2026, 1, 15))
    assert months[0] == (2024, 1) and months[-1] == (2025, 12) and len(months) == 24
    assert open_figures.last_months(today=date(2026, 2, 28))[-1] == (2026, 1)
