from datetime import date
from decimal import Decimal

from assessments import services
from assessments.models import AnnualAssessment, DutyReport, Grade, QuarterGrade


def fresh(assessment) -> AnnualAssessment:
    return AnnualAssessment.objects.get(pk=assessment.pk)


def hold_reports(assessment, by, *, bureau_eval="", street_eval=""):
    for body, evaluation in ((DutyReport.Body.BUREAU, bureau_eval), (DutyReport.Body.STREET, street_eval)):
        current = fresh(assessment)
        services.report_update(
            assessment=current,
            body=body,
            data={"held_on": date(2024, 1, 10), "text": "述职", "evaluation": evaluation, "file": None},
            version=current.version,
            by=by,
        )
    return fresh(assessment)


def evaluate(assessment, by, *, perf="92", bus="90", quarters=None, evals=(Grade.EXCELLENT, Grade.EXCELLENT)):
    hold_reports(assessment, by, bureau_eval=evals[0], street_eval=evals[1])
    current = fresh(assessment)
    services.assessment_set_performance(assessment=current, score=Decimal(perf), version=current.version, by=by)
    current = fresh(assessment)
    services.assessment_set_business(
        assessment=current,
        score=Decimal(bus),
        quarters=quarters or [QuarterGrade.GOOD] * 4,
        version=current.version,
        by=by,
    )
    return fresh(assessment)


def combine_and_file(assessment, by, **kwargs):
    current = evaluate(assessment, by, **kwargs)
    current = services.assessment_combine(assessment=current, version=current.version, by=by)
    return services.assessment_file(assessment=current, version=current.version, by=by)
