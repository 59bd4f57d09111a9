"""The smaller things seen on the walk, in the year-end assessment: any year with serving officers can be
opened; an empty candidate list is a sentence, not "1. 暂无…"; the sheet has both seal lines and the 三率; the
scheme weighs the 三率 into the street's 履职评分 (0 by default, which changes no score)."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from assessments import services
from assessments.models import AssessmentScheme
from assessments.selectors import rates_score
from officers.resident_requests import services as request_services
from tests.factories import AnnualAssessmentFactory

from .helpers import combine_and_file, evaluate, fresh


@pytest.fixture
def assessment(jiegu_officer):
    return AnnualAssessmentFactory(officer=jiegu_officer, year=2023)


def test_any_year_in_which_officers_served_can_be_opened(client_for, jiegu_officer):
    # 测试民警甲 has served since 2022-07-01: every year from 2022 to this one may be opened, 2024 among them.
    page = client_for("bureau").get(reverse("assessments:index"))
    this_year = timezone.localdate().year
    assert page.context["suggested_years"] == list(range(this_year, 2021, -1))
    assert reverse("assessments:open_year", args=[2024]) in page.content.decode()


def test_an_empty_candidate_list_is_a_sentence(client_for, assessment):
    html = client_for("bureau").get(reverse("assessments:year", args=[2023])).content.decode()
    assert '<p class="muted no-candidates">暂无符合条件的候选人。</p>' in html
    assert '<ol class="candidates">' not in html


def test_the_sheet_has_both_seal_lines_and_the_three_rates(client_for, assessment, bureau):
    combine_and_file(assessment, bureau)
    response = client_for("bureau").get(reverse("assessments:sheet", args=[assessment.pk]))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    text = text.replace(" ", "").replace("\n", "")
    assert "玉树市公安局党委（盖章）" in text and "结古街道党工委（盖章）" in text
    assert "响应率" in text and "办结率" in text and "满意率" in text and "未将三率计入履职评分" in text


def test_the_scheme_weighs_the_three_rates_into_the_performance_score(
    assessment, resident_request, officer, bureau, city_admin
):
    # His one request of the year: accepted in time, resolved, rated 满意: the three rates are 100%.
    request_services.request_accept(resident_request=resident_request, by=officer)
    request_services.request_resolve(resident_request=resident_request, by=officer, reply="已修好")
    request_services.request_rate(resident_request=resident_request, rating="satisfied")
    year = resident_request.year
    moved = AnnualAssessmentFactory(officer=assessment.officer, year=year)
    assert rates_score(officer=assessment.officer, year=year) == Decimal("100.00")
    services.scheme_update(year=year, data={"rates_weight": 20}, by=city_admin)
    current = evaluate(moved, bureau)  # 履职 92, 业务 90
    services.assessment_combine(assessment=current, version=current.version, by=bureau)
    # 履职 92×0.8 + 100×0.2 = 93.6; combined 93.6×0.5 + 90×0.5 = 91.80
    assert fresh(moved).weighted_score == Decimal("91.80")


def test_by_default_the_rates_change_no_score(assessment, bureau):
    filed = combine_and_file(assessment, bureau)
    assert filed.weighted_score == Decimal("91.00")  # 92×0.5 + 90×0.5, as before the weight existed
    assert AssessmentScheme.objects.get(year=2023).rates_weight == 0
