"""The dashboard and the year-end briefing: every figure equals an independent count over the generated
demo data (at city, street and community level, for each role's scope), the year-on-year change with
and without last year's figures, the article's order of magnitude, a query count that stays the same
at 1× and 10× the demo data, the charts, and the briefing's links and PDF."""

import re
from collections import defaultdict
from decimal import Decimal
from html import unescape
from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfReader

from assessments.demo import ledger as demo_ledger
from assessments.demo import officers as officers_demo
from assessments.reports import selectors as reports
from communities.models import Community, PoliceCallCount
from officers.ledger.models import WorkRecord
from officers.models import Appointment

from ..factories import PoliceCallCountFactory, WorkRecordFactory


@pytest.fixture
def demo(reference, city_admin):
    officers_demo.load(by=city_admin)
    return demo_ledger.load(by=city_admin)


def _scope_filters(role_name, request):
    """The scope of each role, written out independently of visible_to()."""
    if role_name == "jiegu_clerk":
        street = request.getfixturevalue("reference")["jiegu"]
        return {"community__street": street}, {"community__street": street}, {"street": street}
    if role_name == "station_leader":
        station = request.getfixturevalue("reference")["jiegu_station"]
        return {"officer__station": station}, {"community__street__stations": station}, {"street__stations": station}
    # the city's administrator and bureau: Yushu City (the demo's records are all there)
    return {}, {}, {"street__area__code": "yushu"}


def _expected(year, work_scope, call_scope, community_scope, level_filter):
    work = WorkRecord.objects.filter(occurred_on__year=year, **work_scope).filter(**level_filter.get("work", {}))
    communities = Community.objects.filter(**community_scope).filter(**level_filter.get("community", {})).distinct()
    calls = defaultdict(dict)
    for c in PoliceCallCount.objects.filter(year__in=[year, year - 1], **call_scope).filter(
        **level_filter.get("calls", {})
    ):
        calls[(c.community_id, c.month)][c.year] = c.count
    pairs = [v for v in calls.values() if year in v and year - 1 in v]
    this, last = sum(v[year] for v in pairs), sum(v[year - 1] for v in pairs)
    change = (Decimal(this - last) * 100 / last).quantize(Decimal("0.01")) if last else None
    return {
        "communities": communities.count(),
        "covered": Appointment.objects.filter(status="serving", community__in=communities).count(),
        "difficulties_solved": work.filter(kind="difficulty", status="done").count(),
        "disputes": work.filter(kind="dispute").count(),
        "disputes_resolved": work.filter(kind="dispute", status="done", outcome="resolved").count(),
        "cases_handled": work.filter(kind="case", status="done").count(),
        "by_kind": {k: work.filter(kind=k).count() for k in WorkRecord.Kind.values},
        "by_severity": {s: work.filter(kind="dispute", severity=s).count() for s in WorkRecord.Severity.values},
        "aid_visits": work.filter(kind="aid").count(),
        "aid_amount": sum((r.aid_amount for r in work.filter(kind="aid")), Decimal(0)),
        "aid_households": sum(r.households_reached or 0 for r in work.filter(kind="aid")),
        "value_recovered": sum((r.value_recovered or 0 for r in work), Decimal(0)),
        "people_reached": sum(r.people_reached or 0 for r in work),
        "calls_this_year": sum(v[year] for v in calls.values() if year in v),
        "change": change,
    }


def _actual(board):
    o = board.total.outcomes
    return {
        "communities": board.total.communities,
        "covered": board.total.covered,
        "difficulties_solved": o.difficulties_solved,
        "disputes": o.disputes,
        "disputes_resolved": o.disputes_resolved,
        "cases_handled": o.cases_handled,
        "by_kind": o.by_kind,
        "by_severity": o.disputes_by_severity,
        "aid_visits": o.aid_visits,
        "aid_amount": o.aid_amount,
        "aid_households": o.aid_households,
        "value_recovered": o.value_recovered,
        "people_reached": o.people_reached,
        "calls_this_year": board.total.calls.this_year,
        "change": board.total.calls.change_percent,
    }


@pytest.mark.parametrize("role_name", ["city_admin", "bureau", "jiegu_clerk", "station_leader"])
def test_every_figure_equals_an_independent_count(demo, request, role_name):
    """For each role's scope, at each level and for both demo years (one data set for the twelve cases)."""
    user = request.getfixturevalue(role_name)
    work_scope, call_scope, community_scope = _scope_filters(role_name, request)
    jiegu = request.getfixturevalue("reference")["jiegu"]
    minzhu = Community.objects.get(name="民主路社区")
    levels = {
        "city": ({}, {}),
        "street": (
            {"street_id": jiegu.pk},
            {
                "work": {"community__street": jiegu},
                "calls": {"community__street": jiegu},
                "community": {"street": jiegu},
            },
        ),
        "community": (
            {"community_id": minzhu.pk},
            {"work": {"community": minzhu}, "calls": {"community": minzhu}, "community": {"pk": minzhu.pk}},
        ),
    }
    for level, (kwargs, level_filter) in levels.items():
        for year in (2022, 2023):
            case = f"{role_name} at {level} level in {year}"
            board = reports.dashboard(user=user, year=year, **kwargs)
            expected = _expected(year, work_scope, call_scope, community_scope, level_filter)
            assert _actual(board) == expected, case
            assert expected["disputes"] > 0 and expected["calls_this_year"] > 0, case  # the data is not empty
            # The breakdown rows add up to the total.
            assert sum(u.outcomes.disputes for u in board.units) == expected["disputes"], case
            assert sum(u.covered for u in board.units) == expected["covered"], case


def test_the_demo_gives_figures_of_the_articles_order(demo, city_admin):
    board = reports.dashboard(user=city_admin, year=2023)
    assert (board.total.covered, board.total.communities) == (18, 18)
    assert board.total.outcomes.difficulties_solved == 98  # 近100件
    assert board.total.outcomes.disputes_resolved == 77  # 77起
    assert board.total.outcomes.cases_handled == 29  # 29起
    assert board.total.calls.change_percent == Decimal("-73.67")  # 同比下降73.67%
    assert board.total.calls.months_compared == 18 * 12


def test_demo_generator_is_deterministic_and_idempotent(demo, city_admin):
    first = list(WorkRecord.objects.order_by("pk").values_list("kind", "occurred_on", "community_id", "severity"))
    assert demo_ledger.load(by=city_admin) == {"work_records": 0, "police_calls": 0}
    WorkRecord.objects.all().delete()
    PoliceCallCount.objects.all().delete()
    demo_ledger.load(by=city_admin)
    again = list(WorkRecord.objects.order_by("pk").values_list("kind", "occurred_on", "community_id", "severity"))
    assert again == first
    assert all(s.endswith("（演示）") for s in WorkRecord.objects.values_list("summary", flat=True))


def test_year_on_year_without_last_years_figures_is_a_dash(client_for, city_admin, reference):
    minzhu = Community.objects.get(name="民主路社区")
    PoliceCallCountFactory(community=minzhu, year=2023, month=1, count=40)
    board = reports.dashboard(user=city_admin, year=2023)
    assert board.total.calls.this_year == 40 and board.total.calls.change_percent is None
    page = client_for("city_admin").get(reverse("reports:dashboard"), {"year": 2023}).content.decode()
    change = re.search(r'id="fig-calls-change">(.*?)</dd>', page, re.S).group(1)
    assert "—" in change and "%" not in change
    briefing = client_for("city_admin").get(reverse("reports:briefing"), {"year": 2023}).content.decode()
    assert "2022年同期没有数据" in briefing


def test_year_on_year_compares_only_the_months_both_years_have(city_admin, reference):
    minzhu = Community.objects.get(name="民主路社区")
    hongwei = Community.objects.get(name="红卫路社区")
    PoliceCallCountFactory(community=minzhu, year=2022, month=1, count=50)
    PoliceCallCountFactory(community=minzhu, year=2022, month=2, count=1000)  # no February 2023: not compared
    PoliceCallCountFactory(community=minzhu, year=2023, month=1, count=20)
    PoliceCallCountFactory(community=hongwei, year=2023, month=1, count=7)  # no January 2022: not compared
    calls = reports.dashboard(user=city_admin, year=2023).total.calls
    assert (calls.this_compared, calls.last_compared, calls.months_compared) == (20, 50, 1)
    assert calls.change_percent == Decimal("-60.00")
    assert (calls.this_year, calls.last_year) == (27, 1050)


def test_a_street_or_community_outside_the_scope_is_404(client_for, reference):
    client = client_for("xihang_clerk")
    assert client.get(reverse("reports:dashboard"), {"street": reference["jiegu"].pk}).status_code == 404
    minzhu = Community.objects.get(name="民主路社区")
    assert client.get(reverse("reports:dashboard"), {"community": minzhu.pk}).status_code == 404
    assert client.get(reverse("reports:briefing"), {"community": minzhu.pk}).status_code == 404
    assert client.get(reverse("reports:dashboard"), {"street": reference["xihang"].pk}).status_code == 200


# 17 queries: session, user, the user's groups (role); the streets in scope (the level switch); the level's
# communities with their serving deputy secretary (at city level, counted per street); the year's work
# records summed per unit from the ledger's monthly counts; the police-call figures of the two years summed per
# unit and month, and the part compared year on year per unit (joined on community and month); the talk
# compliance figures' serving periods and talks per officer and month (the talks' monthly counts);
# the year's residents' requests' rates, grouped: the total, per unit, per officer (within one street; not for
# the whole city), per month; the session's save (savepoint, update, release).
# (Five more than before the monthly summaries: the streets of the level switch are their own small query, now
# that the communities are no longer all read at city level; the requests' rates are three grouped queries
# more instead of one that read every request; the year-on-year pairs are a join of their own.)
DASHBOARD_QUERIES = 17


@pytest.mark.parametrize("role_name", ["city_admin", "jiegu_clerk", "station_leader"])
def test_dashboard_query_count_is_the_same_at_1x_and_10x_the_demo_data(
    role_name, reference, city_admin, client_for, django_assert_num_queries
):
    officers_demo.load(by=city_admin)
    client = client_for(role_name)
    url = reverse("reports:dashboard")
    client.get(url)  # warm the session (and the to-do count the navigation keeps in it)
    resolved = {}
    for scale in (1, 10):
        WorkRecord.objects.all().delete()
        PoliceCallCount.objects.all().delete()
        demo_ledger.load(by=city_admin, scale=scale)
        for params in ({"year": 2023, "street": reference["jiegu"].pk}, {"year": 2023}):
            # The administrator's levels are nodes of the organisation tree: at a street, the street itself (its
            # neighbours are the switch's list) and the way back up to his city, two queries more; city-wide, the
            # city's child areas (one more) and no row per officer in the requests' rates (one less), the talk
            # compliance from the city's roll-up rows (the rule, the rows: as many as before), and the requests'
            # total and months from the city's roll-up rows (the counts, the times to resolve, the open requests
            # grouped per month: one more than the total and the months counted from the requests).
            extra = (2 if "street" in params else 1) if role_name == "city_admin" else 0
            with django_assert_num_queries(DASHBOARD_QUERIES + extra):
                response = client.get(url, params)
            assert response.status_code == 200
        resolved[scale] = response.context["board"].total.outcomes.disputes_resolved
    assert WorkRecord.objects.count() == 10 * 1233
    # The figures follow the data (city-wide: ten times the records, ten times the disputes resolved).
    assert resolved[10] > resolved[1] > 0
    if role_name == "city_admin":
        assert resolved == {1: 77, 10: 770}


def test_the_dashboard_page_shows_the_figures_charts_and_tables(demo, client_for):
    response = client_for("city_admin").get(reverse("reports:dashboard"), {"year": 2023})
    page = response.content.decode()
    board = response.context["board"]

    def figure(name):
        return unescape(re.search(rf'id="fig-{name}">(.*?)</dd>', page, re.S).group(1)).strip()

    assert figure("coverage") == "18 / 18"
    assert figure("difficulties") == "98"
    assert figure("disputes-resolved") == "77"
    assert figure("cases") == "29"
    assert "-73.67%" in figure("calls-change")
    assert figure("disputes") == str(board.total.outcomes.disputes)
    # Four server-drawn charts, no inline styles or scripts, each beside a table with the same numbers.
    assert page.count("<svg") == 4 and " style=" not in page and "<script>" not in page
    for value, count in board.total.outcomes.disputes_by_severity.items():
        assert f'severity-{value}">' in page
        assert f">{count}</text>" in page  # the bar's label in the chart
    table = re.search(r'id="table-severity">(.*?)</table>', page, re.S).group(1)
    for count in board.total.outcomes.disputes_by_severity.values():
        assert f"<td>{count}</td>" in table
    # Talk compliance over the year: no talks in this data set, so every serving month is overdue.
    talks = board.talks
    assert (talks.year_held, talks.year_due, talks.overdue) == (0, 18 * 12, 18 * 12)
    assert figure("talks") == "0%"


def test_street_level_drills_down_to_communities(demo, client_for, reference):
    response = client_for("city_admin").get(
        reverse("reports:dashboard"), {"year": 2023, "street": reference["jiegu"].pk}
    )
    board = response.context["board"]
    assert board.level == "street"
    assert [u.name for u in board.units] == list(
        Community.objects.filter(street=reference["jiegu"])
        .order_by("sort_order", "name")
        .values_list("name", flat=True)
    )


def test_the_briefing_links_each_figure_to_the_records_behind_it(demo, client_for):
    client = client_for("city_admin")
    page = client.get(reverse("reports:briefing"), {"year": 2023}).content.decode()
    text = re.sub(r"<[^>]+>", "", re.search(r'class="briefing-text">(.*?)</p>', page, re.S).group(1))
    assert "2023年，玉树市共有18名党员民警兼任社区党支部副书记" in text
    assert "解决群众实际困难98件，化解矛盾纠纷77起，查处治安案件29起" in text
    assert "同比下降73.67%" in text
    links = {
        unescape(m.group(2)): unescape(m.group(1))
        for m in re.finditer(r'<a href="([^"]+)" class="figure">([^<]+)</a>', page)
    }
    for figure in ("98", "77", "29"):
        listed = client.get(links[figure]).context["page"].paginator.count
        assert listed == int(figure)


def test_the_briefing_pdf_holds_the_paragraph(demo, client_for):
    response = client_for("bureau").get(reverse("reports:briefing_pdf"), {"year": 2023})
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    text = "".join(p.extract_text() for p in PdfReader(BytesIO(response.content)).pages)
    text = text.replace(" ", "").replace("\n", "")
    assert "解决群众实际困难98件" in text and "化解矛盾纠纷77起" in text and "查处治安案件29起" in text
    assert "同比下降73.67%" in text


def test_a_new_mediation_record_adds_one_to_the_dispute_count(city_admin, jiegu_officer, client_for):
    minzhu = Community.objects.get(name="民主路社区")
    before = reports.dashboard(user=city_admin, year=2023).total.outcomes.disputes
    WorkRecordFactory(kind="dispute", severity="red", outcome="resolved", officer=jiegu_officer, community=minzhu)
    board = reports.dashboard(user=city_admin, year=2023)
    assert board.total.outcomes.disputes == before + 1
    assert board.total.outcomes.disputes_by_severity["red"] == 1


def test_talk_compliance_on_the_dashboard_at_each_level(client_for, jiegu_officer, xihang_officer, jiegu_clerk):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from tests.factories import MonthlyTalkFactory

    shanghai = ZoneInfo("Asia/Shanghai")
    minzhu = jiegu_officer.appointments.get().community
    # Two talks in January (one month), one each in February and March: 3 months held in 2023.
    for held in [(1, 3), (1, 20), (2, 1), (3, 31)]:
        MonthlyTalkFactory(
            officer=jiegu_officer, community=minzhu, recorded_by=jiegu_clerk,
            held_at=datetime(2023, held[0], held[1], 10, tzinfo=shanghai),
        )  # fmt: skip
    client = client_for("city_admin")
    community = client.get(reverse("reports:dashboard"), {"year": 2023, "community": minzhu.pk}).context["board"]
    assert (community.talks.year_held, community.talks.year_due, community.talks.overdue) == (3, 12, 9)
    city = client.get(reverse("reports:dashboard"), {"year": 2023}).context["board"]
    assert (city.talks.year_held, city.talks.year_due) == (3, 24)  # two serving officers, 12 months each
    assert city.talks.year_percent == 12
    street = client_for("xihang_clerk").get(reverse("reports:dashboard"), {"year": 2023}).context["board"]
    assert (street.talks.year_held, street.talks.year_due) == (0, 12)
