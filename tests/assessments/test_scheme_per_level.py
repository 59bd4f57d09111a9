"""The assessment scheme per level of the organisation tree (issue 20): a level's scheme applies to its area and
below unless a lower level sets its own; the deployment's default (no area) applies where no level set one.
The scheme page edits the administrator's own level and says where each value comes from; a level's scheme
is fixed once a result of the year under that level is filed (in the service and, for an UPDATE, in the
database)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from assessments import selectors, services
from assessments.models import AnnualAssessment, AssessmentScheme, Grade
from communities.models import Community
from tests.factories import AnnualAssessmentFactory, AppointmentFactory, OfficerFactory, PoliceStationFactory
from yushu_gov.models import AuditEntry

from .helpers import combine_and_file, evaluate, fresh


@pytest.fixture
def chenduo_assessment(reference):
    """A 2023 assessment of an officer serving 称多县's placeholder community."""
    officer = OfficerFactory(name="卓玛", station=PoliceStationFactory(area=reference["chenduo"]))
    community = Community.objects.get(code="chenduo-community-1")
    AppointmentFactory(officer=officer, community=community, started_on=date(2022, 1, 1))
    return AnnualAssessmentFactory(officer=officer, year=2023, community=community)


@pytest.fixture
def city_assessment(jiegu_officer):
    return AnnualAssessmentFactory(officer=jiegu_officer, year=2023)


def _cap(area) -> int:
    return selectors.applicable_scheme(2023, area).excellent_cap_percent


def test_a_county_inherits_the_prefectures_cap_and_the_city_keeps_its_own(reference, prefecture_admin, city_admin):
    services.scheme_update(
        year=2023, area=reference["prefecture"], data={"excellent_cap_percent": 10}, by=prefecture_admin
    )
    assert (_cap(reference["chenduo"]), _cap(reference["city"]), _cap(None)) == (10, 10, 20)
    services.scheme_update(year=2023, area=reference["city"], data={"excellent_cap_percent": 30}, by=city_admin)
    services.scheme_update(
        year=2023, area=reference["prefecture"], data={"excellent_cap_percent": 15}, by=prefecture_admin
    )
    assert (_cap(reference["chenduo"]), _cap(reference["city"]), _cap(reference["prefecture"])) == (15, 30, 15)
    # The city's scheme started from the one it inherited: its other values are the prefecture's then.
    assert selectors.applicable_scheme(2023, reference["city"]).performance_weight == 50
    entry = AuditEntry.objects.filter(action="assessments.scheme.changed").order_by("pk")[1]
    assert entry.actor == city_admin and entry.changes["excellent_cap_percent"] == [10, 30]
    assert entry.changes["area"] == [None, "玉树市"]


def test_the_page_shows_where_each_value_comes_from_and_a_county_edits_only_its_own_level(
    reference, prefecture_admin, client_for
):
    services.scheme_update(
        year=2023, area=reference["prefecture"], data={"excellent_cap_percent": 10}, by=prefecture_admin
    )
    client = client_for("chenduo_admin")
    url = reverse("assessments:scheme", args=[2023])
    page = client.get(url).content.decode()
    assert "继承自 玉树藏族自治州" in page and "本页设置的层级：称多县" in page
    assert "恢复继承" not in page  # nothing of its own to give up
    data = {name: value for name, value in client.get(url).context["form"].initial.items() if value is not None}
    assert client.post(url, {**data, "excellent_cap_percent": 25}).status_code == 302
    assert AssessmentScheme.objects.get(year=2023, area=reference["prefecture"]).excellent_cap_percent == 10
    assert AssessmentScheme.objects.get(year=2023, area=reference["chenduo"]).excellent_cap_percent == 25
    page = client.get(url).content.decode()
    assert "本级设置" in page and "恢复继承" in page
    assert client.post(url, {"reset": "1"}).status_code == 302
    assert not AssessmentScheme.objects.filter(area=reference["chenduo"]).exists()
    assert _cap(reference["chenduo"]) == 10
    assert AuditEntry.objects.filter(action="assessments.scheme.reset").count() == 1
    # The prefecture's administrator sees his own level's scheme as 本级设置.
    assert "本级设置" in client_for("prefecture_admin").get(url).content.decode()


def test_a_result_is_combined_with_its_areas_scheme(
    reference, prefecture_admin, city_admin, bureau, chenduo_assessment, city_assessment
):
    weights = {"performance_weight": 40, "business_weight": 60}
    services.scheme_update(year=2023, area=reference["prefecture"], data=weights, by=prefecture_admin)
    services.scheme_update(
        year=2023, area=reference["city"], data={"performance_weight": 50, "business_weight": 50}, by=city_admin
    )
    for assessment in (chenduo_assessment, city_assessment):
        current = evaluate(assessment, bureau)
        services.assessment_combine(assessment=current, version=current.version, by=bureau)
    assert fresh(chenduo_assessment).weighted_score == Decimal("90.80")  # 92 × 0.4 + 90 × 0.6, the prefecture's
    assert fresh(city_assessment).weighted_score == Decimal("91.00")  # 50/50, the city's own
    # A change of the city's scheme sends back the city's combined results only.
    services.scheme_update(
        year=2023, area=reference["city"], data={"excellent_threshold": Decimal("95")}, by=city_admin
    )
    assert (fresh(city_assessment).status, fresh(chenduo_assessment).status) == ("evaluated", "combined")


def test_a_filed_result_locks_its_levels_scheme_and_those_above_but_not_a_neighbour(
    reference, bureau, city_admin, chenduo_admin, city_assessment
):
    services.scheme_for_year(2023)  # the deployment's default row
    services.scheme_update(year=2023, area=reference["city"], data={"excellent_cap_percent": 30}, by=city_admin)
    combine_and_file(city_assessment, bureau)
    for area in (reference["city"], reference["prefecture"], None):
        assert selectors.scheme_locked(2023, area)
        with pytest.raises(ValidationError, match="考核方案不能再修改"):
            services.scheme_update(year=2023, area=area, data={"excellent_cap_percent": 5}, by=city_admin)
    with pytest.raises(ValidationError, match="考核方案不能再修改"):
        services.scheme_reset(year=2023, area=reference["city"], by=city_admin)
    # 称多县 has filed nothing: it may still set (and change) its own scheme, in the service and in the database.
    services.scheme_update(year=2023, area=reference["chenduo"], data={"excellent_cap_percent": 5}, by=chenduo_admin)
    assert AssessmentScheme.objects.filter(year=2023, area=reference["chenduo"]).update(excellent_cap_percent=6) == 1
    for area in (reference["city"], None):
        with pytest.raises(IntegrityError), transaction.atomic():
            AssessmentScheme.objects.filter(year=2023, area=area).update(excellent_cap_percent=1)


def test_the_cap_is_checked_per_level(reference, prefecture_admin, city_admin, chenduo_assessment, city_assessment):
    services.scheme_update(
        year=2023, area=reference["prefecture"], data={"excellent_cap_percent": 50}, by=prefecture_admin
    )
    services.scheme_update(year=2023, area=reference["city"], data={"excellent_cap_percent": 100}, by=city_admin)
    AnnualAssessment.objects.filter(pk__in=[chenduo_assessment.pk, city_assessment.pk]).update(
        grade=Grade.EXCELLENT, weighted_score=Decimal("95"), status="combined"
    )
    # Two 优秀 of two (100 %): within the city's cap of 100 %, above the cap of 50 % that 称多县 inherits.
    summary = selectors.year_summary(AnnualAssessment.objects.of_year(2023), 2023)
    assert (summary.excellent_share, summary.over_cap) == (100, True)
    assert summary.over_cap_at == ["玉树藏族自治州 2023年度考核方案"]
    assert not selectors.year_summary(AnnualAssessment.objects.filter(pk=city_assessment.pk), 2023).over_cap


def test_one_default_and_one_scheme_per_level_and_year(reference):
    AssessmentScheme.objects.create(year=2030)
    AssessmentScheme.objects.create(year=2030, area=reference["city"])
    for area in (None, reference["city"]):
        with pytest.raises(IntegrityError), transaction.atomic():
            AssessmentScheme.objects.create(year=2030, area=area)
