"""The assessment's to-do items: once the city has set a year's scheme the bureau is told to open that year
(the issue's missing button); the entries waiting for the street and for the bureau; results ready to combine
or to file; the scheme of the year just ended for the city."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from assessments import services
from assessments.models import AnnualAssessment, AssessmentScheme
from assessments.todo import assessment_entries
from tests.factories import AnnualAssessmentFactory, AppointmentFactory, OfficerFactory
from yushu_gov.access.roles import role_of


def items_for(user):
    request = RequestFactory().get("/")
    request.user = user
    role_of(user)
    return {item.label: item for item in assessment_entries(request)}


@pytest.fixture
def in_2024():
    with time_machine.travel(date(2024, 2, 1), tick=False):
        yield


def test_once_the_scheme_is_set_the_bureau_is_told_to_open_the_year(
    in_2024, jiegu_officer, city_admin, bureau, client_for
):
    assert "待设定2023年度考核方案" in items_for(city_admin)
    services.scheme_update(year=2023, data={"excellent_cap_percent": 15}, by=city_admin)
    assert "待设定2023年度考核方案" not in items_for(city_admin)
    item = items_for(bureau)["考核方案已设定，待开启2023年度考核"]
    assert item.url == reverse("assessments:open_year", args=[2023])
    # The index page offers the button too (it used to hide a year that had a scheme).
    html = client_for("bureau").get(reverse("assessments:index")).content.decode()
    assert f'href="{item.url}"' in html and "方案已设定，尚未开启" in html
    client_for("bureau").post(item.url)
    assert AnnualAssessment.objects.filter(year=2023).exists()
    assert "考核方案已设定，待开启2023年度考核" not in items_for(bureau)


def test_entries_waiting_for_the_street_and_for_the_bureau(
    in_2024, jiegu_officer, jiegu_clerk, xihang_clerk, bureau, client_for
):
    assessment = AnnualAssessmentFactory(officer=jiegu_officer, year=2023)
    filed = AnnualAssessmentFactory(officer=OfficerFactory(), year=2023)
    AnnualAssessment.objects.filter(pk=filed.pk).update(  # filed: waiting for no one
        status="filed", weighted_score=Decimal(80), grade="competent", filed_at=timezone.now()
    )
    street = items_for(jiegu_clerk)["2023年度考核待录入街道履职评分和评议"]
    assert street.count == 1
    # The item opens the year page filtered to just the records waiting for the street.
    assert street.url == reverse("assessments:year", args=[2023]) + "?waiting=street"
    listed = client_for("jiegu_clerk").get(street.url).context["page"].object_list
    assert [a.pk for a in listed] == [assessment.pk]
    bureau_item = items_for(bureau)["2023年度考核待录入业务考核和评议"]
    assert bureau_item.count == 1 and bureau_item.url.endswith("?waiting=bureau")
    assert items_for(xihang_clerk) == {}
    services.assessment_set_performance(assessment=assessment, score=Decimal(90), version=1, by=jiegu_clerk)
    assessment.refresh_from_db()
    services.report_update(
        assessment=assessment,
        body="street",
        data={"held_on": date(2024, 1, 12), "text": "述职", "evaluation": "excellent"},
        version=assessment.version,
        by=jiegu_clerk,
    )
    assert "2023年度考核待录入街道履职评分和评议" not in items_for(jiegu_clerk)
    assert "2023年度考核待录入业务考核和评议" in items_for(bureau)


def test_years_long_past_do_not_linger(jiegu_officer, jiegu_clerk, bureau):
    AnnualAssessmentFactory(officer=jiegu_officer, year=2023)
    with time_machine.travel(date(2025, 2, 1), tick=False):
        assert "2023年度考核待录入街道履职评分和评议" not in items_for(jiegu_clerk)
        assert "2023年度考核待录入业务考核和评议" not in items_for(bureau)
    with time_machine.travel(date(2024, 12, 1), tick=False):  # the year just ended: still on the list
        assert "2023年度考核待录入街道履职评分和评议" in items_for(jiegu_clerk)


def test_results_ready_to_combine_and_to_file(in_2024, jiegu_officer, bureau):
    ready = AnnualAssessmentFactory(officer=jiegu_officer, year=2023, status="evaluated")
    combined = AnnualAssessmentFactory(
        officer=OfficerFactory(), year=2023, status="combined", weighted_score=Decimal(80), grade="competent"
    )
    items = items_for(bureau)
    evaluated = items["2023年度考核可综合评定"]
    assert evaluated.count == 1 and evaluated.url == reverse("assessments:year", args=[2023]) + "?status=evaluated"
    assert items["2023年度考核待审定归档"].count == 1
    assert ready.pk != combined.pk


@pytest.mark.parametrize("extra", [1, 40])
def test_the_items_cost_at_most_three_queries(extra, in_2024, reference, bureau, django_assert_num_queries):
    for _index in range(extra):
        officer = OfficerFactory(station=reference["jiegu_station"])
        AppointmentFactory(officer=officer)
        AnnualAssessmentFactory(officer=officer, year=2023)
    AssessmentScheme.objects.create(year=2023)
    request = RequestFactory().get("/")
    request.user = bureau
    role_of(bureau)
    # the entries and ready results by year; the years whose scheme is set and that nobody opened
    with django_assert_num_queries(2):
        items = assessment_entries(request)
    assert items[0].count == extra
