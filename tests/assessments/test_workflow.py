"""The states, who served in the year, locking after filing (service AND database), reopening, and the
concurrent-edit conflict."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from assessments import services
from assessments.models import AnnualAssessment, AssessmentScheme, DutyReport, Grade
from communities.models import Community
from officers.models import Appointment
from tests.factories import AnnualAssessmentFactory, AppointmentFactory, OfficerFactory
from yushu_gov.models import AuditEntry

from .helpers import combine_and_file, evaluate, fresh, hold_reports

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessment(jiegu_officer):
    return AnnualAssessmentFactory(officer=jiegu_officer, year=2023)


def test_states_follow_the_inputs(assessment, bureau):
    assert assessment.status == AnnualAssessment.Status.OPEN
    current = hold_reports(assessment, bureau)
    assert current.status == AnnualAssessment.Status.REPORTED
    current = evaluate(assessment, bureau)
    assert current.status == AnnualAssessment.Status.EVALUATED
    assert current.weighted_score is None
    current = services.assessment_combine(assessment=current, version=current.version, by=bureau)
    assert (current.status, current.weighted_score, current.grade) == ("combined", Decimal("91.00"), "excellent")
    assert fresh(assessment).commendation_eligible is True
    # changing an input clears the result: it must be combined again
    current = services.assessment_set_performance(
        assessment=fresh(assessment), score=Decimal("70"), version=fresh(assessment).version, by=bureau
    )
    stored = fresh(assessment)
    assert (stored.status, stored.weighted_score, stored.grade) == ("evaluated", None, "")
    current = services.assessment_combine(assessment=stored, version=stored.version, by=bureau)
    assert current.weighted_score == Decimal("80.00") and current.grade == Grade.COMPETENT
    filed = services.assessment_file(assessment=fresh(assessment), version=fresh(assessment).version, by=bureau)
    assert filed.status == "filed" and filed.filed_by == bureau
    actions = list(AuditEntry.objects.for_object(assessment).values_list("action", flat=True))
    assert "assessments.assessment.combined" in actions and "assessments.assessment.filed" in actions
    assert "assessments.performance.entered" in actions and "assessments.report.street.entered" in actions


def test_cannot_combine_before_every_input(assessment, bureau):
    current = hold_reports(assessment, bureau)
    with pytest.raises(ValidationError, match="还不能综合评定"):
        services.assessment_combine(assessment=current, version=current.version, by=bureau)
    with pytest.raises(ValidationError, match="只有已综合评定"):
        services.assessment_file(assessment=current, version=current.version, by=bureau)


def test_opening_a_year_takes_everyone_who_served_in_it(reference, bureau):
    communities = list(Community.objects.all()[:5])
    serving = AppointmentFactory(community=communities[0], started_on=date(2022, 7, 1))
    ended_in_year = AppointmentFactory(
        community=communities[1], status="ended", started_on=date(2021, 3, 1), ended_on=date(2023, 2, 1)
    )
    ended_before = AppointmentFactory(
        community=communities[2], status="ended", started_on=date(2020, 1, 1), ended_on=date(2022, 12, 31)
    )
    started_after = AppointmentFactory(community=communities[3], started_on=date(2024, 1, 2))
    in_workflow = AppointmentFactory(community=communities[4], status="decided", started_on=None)
    # an officer who moved within the year: assessed once, in the later community
    mover = OfficerFactory()
    AppointmentFactory(
        officer=mover, community=communities[2], status="ended", started_on=date(2023, 1, 1), ended_on=date(2023, 6, 30)
    )
    AppointmentFactory(
        officer=mover, community=communities[3], status="ended", started_on=date(2023, 7, 1), ended_on=date(2023, 12, 1)
    )

    assert services.assessment_year_open(year=2023, by=bureau) == 3
    assessed = dict(AnnualAssessment.objects.filter(year=2023).values_list("officer_id", "community_id"))
    assert assessed == {
        serving.officer_id: communities[0].pk,
        ended_in_year.officer_id: communities[1].pk,
        mover.pk: communities[3].pk,
    }
    for absent in (ended_before, started_after, in_workflow):
        assert absent.officer_id not in assessed
    assert DutyReport.objects.filter(assessment__year=2023).count() == 6
    assert services.assessment_year_open(year=2023, by=bureau) == 0  # idempotent
    assert AssessmentScheme.objects.filter(year=2023).exists()
    assert Appointment.objects.count() == 7  # appointments are only read


def test_a_filed_result_is_refused_by_the_service(assessment, bureau):
    filed = combine_and_file(assessment, bureau)
    for call in (
        lambda: services.assessment_set_performance(
            assessment=filed, score=Decimal(50), version=filed.version, by=bureau
        ),
        lambda: services.assessment_set_business(
            assessment=filed, score=Decimal(50), quarters=["good"] * 4, version=filed.version, by=bureau
        ),
        lambda: services.report_update(
            assessment=filed, body="street", data={"held_on": None, "text": ""}, version=filed.version, by=bureau
        ),
        lambda: services.assessment_combine(assessment=filed, version=filed.version, by=bureau),
    ):
        with pytest.raises(ValidationError, match="已审定归档，不能再修改"):
            call()
    assert fresh(assessment).performance_score == Decimal("92")


def test_a_filed_result_is_refused_by_the_database(assessment, bureau):
    combine_and_file(assessment, bureau)
    for change in (
        {"performance_score": Decimal("10")},
        {"grade": Grade.BASIC},
        {"status": "open"},  # leaving "filed" any other way than reopening
        {"status": "combined", "weighted_score": Decimal("1")},  # reopening and changing at once
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            AnnualAssessment.objects.filter(pk=assessment.pk).update(**change)
    with pytest.raises(IntegrityError), transaction.atomic():
        DutyReport.objects.filter(assessment=assessment).update(evaluation=Grade.BASIC)
    with pytest.raises(IntegrityError), transaction.atomic():
        AssessmentScheme.objects.filter(year=2023).update(performance_weight=60, business_weight=40)
    stored = fresh(assessment)
    assert (stored.status, stored.performance_score, stored.grade) == ("filed", Decimal("92.00"), "excellent")
    # reopening (status only) is what the database lets through
    assert AnnualAssessment.objects.filter(pk=assessment.pk).update(status="combined") == 1


def test_the_scheme_is_locked_once_a_result_of_its_year_is_filed(assessment, bureau, city_admin):
    services.scheme_update(year=2023, data={"performance_weight": 40, "business_weight": 60}, by=city_admin)
    combine_and_file(assessment, bureau)
    assert fresh(assessment).weighted_score == Decimal("90.80")  # 92*0.4 + 90*0.6
    with pytest.raises(ValidationError, match="考核方案不能再修改"):
        services.scheme_update(year=2023, data={"performance_weight": 50, "business_weight": 50}, by=city_admin)
    services.scheme_update(year=2024, data={"excellent_cap_percent": 15}, by=city_admin)  # another year is free


def test_only_a_reason_reopens_and_the_reason_is_audited(assessment, bureau, city_admin):
    filed = combine_and_file(assessment, bureau)
    with pytest.raises(ValidationError, match="请填写重新开启的理由"):
        services.assessment_reopen(assessment=filed, reason="  ", version=filed.version, by=city_admin)
    reopened = services.assessment_reopen(
        assessment=filed, reason="业务考核得分录入错误", version=filed.version, by=city_admin
    )
    assert reopened.status == "combined" and reopened.filed_at is None
    entry = AuditEntry.objects.for_object(assessment).get(action="assessments.assessment.reopened")
    assert entry.actor == city_admin and entry.changes["reason"] == [None, "业务考核得分录入错误"]
    # editable again, and must be combined again before filing
    services.assessment_set_business(
        assessment=fresh(assessment), score=Decimal(80), quarters=["good"] * 4, version=reopened.version, by=bureau
    )
    assert fresh(assessment).status == "evaluated"


def test_the_second_of_two_concurrent_saves_gets_a_conflict(assessment, jiegu_clerk):
    opened_by_both = assessment.version
    services.assessment_set_performance(
        assessment=assessment, score=Decimal("88"), version=opened_by_both, by=jiegu_clerk
    )
    with pytest.raises(ValidationError, match="他人已修改") as caught:
        services.assessment_set_performance(
            assessment=assessment, score=Decimal("60"), version=opened_by_both, by=jiegu_clerk
        )
    assert caught.value.code == "conflict"
    stored = fresh(assessment)
    assert stored.performance_score == Decimal("88") and stored.version == opened_by_both + 1
    assert AuditEntry.objects.filter(action="assessments.performance.entered").count() == 1


def test_the_version_is_checked_in_the_update_itself(assessment, jiegu_clerk, monkeypatch):
    """Even if the row changed between the lock and the UPDATE, the UPDATE matches nothing and nothing
    is written."""
    from assessments import services as module

    real_lock = module._lock

    def lock_then_someone_saves(a, version):
        current = real_lock(a, version)
        AnnualAssessment.objects.filter(pk=a.pk).update(performance_score=Decimal("77"), version=version + 1)
        return current

    monkeypatch.setattr(module, "_lock", lock_then_someone_saves)
    with pytest.raises(ValidationError, match="他人已修改"):
        services.assessment_set_performance(assessment=assessment, score=Decimal("10"), version=1, by=jiegu_clerk)
    # the whole transaction rolled back, including the concurrent write made inside it
    assert fresh(assessment).performance_score is None


def test_changing_the_scheme_sends_combined_results_back_to_be_combined_again(assessment, bureau, city_admin):
    current = evaluate(assessment, bureau)
    current = services.assessment_combine(assessment=current, version=current.version, by=bureau)
    assert current.grade == Grade.EXCELLENT  # 91 with 50/50
    services.scheme_update(year=2023, data={"excellent_threshold": Decimal("92")}, by=city_admin)
    stored = fresh(assessment)
    assert (stored.status, stored.grade, stored.weighted_score) == ("evaluated", "", None)
    assert stored.version == current.version + 1  # a form opened before the change gets a conflict
    current = services.assessment_combine(assessment=stored, version=stored.version, by=bureau)
    assert current.grade == Grade.COMPETENT
    entry = AuditEntry.objects.get(action="assessments.scheme.changed")
    assert entry.changes["results_to_recombine"] == [None, 1]
