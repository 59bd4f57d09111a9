"""Demo data for the year-end assessment: the demo officers' 2022 results combined and filed, and 2023
opened with a few officers part-way through. Deterministic (fixed tables, no randomness) and loaded once.
The city has set the scheme of the year just ended (relative to the day the demo loads), which the bureau
has yet to open: its to-do list says so.

The 2022 distribution with the default scheme (50/50, ≥90 / ≥75 / ≥60) is 4 优秀, 11 称职, 2 基本称职,
1 不称职 of 18: 4/18 = 22.2 % exceeds the 20 % cap, so the review page shows its warning; one 优秀 officer
has a 较差 quarter, so three are commendation candidates.
"""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from assessments import services
from assessments.models import AnnualAssessment, AssessmentScheme, DutyReport, Grade, QuarterGrade

from . import DEMO_MARK

G, FG, AV, PO = QuarterGrade.GOOD, QuarterGrade.FAIRLY_GOOD, QuarterGrade.AVERAGE, QuarterGrade.POOR
E, C, B, N = Grade.EXCELLENT, Grade.COMPETENT, Grade.BASIC, Grade.INCOMPETENT

# performance score, business score, four quarters, bureau's evaluation, street's evaluation
RESULTS_2022 = [
    (95, 93, [G, G, G, G], E, E),
    (92, 90, [G, G, FG, G], E, E),
    (91, 92, [G, FG, G, G], E, C),
    (93, 88, [G, G, PO, G], C, E),
    (88, 86, [FG, G, FG, G], C, C),
    (85, 80, [FG, FG, G, FG], C, C),
    (82, 79, [FG, FG, FG, FG], C, C),
    (80, 77, [FG, AV, FG, FG], C, C),
    (78, 76, [AV, FG, FG, AV], C, C),
    (86, 84, [G, FG, FG, G], C, E),
    (84, 82, [FG, G, FG, FG], C, C),
    (79, 75, [FG, AV, AV, FG], C, C),
    (77, 76, [AV, FG, AV, FG], C, C),
    (83, 80, [FG, FG, G, FG], C, C),
    (81, 77, [FG, FG, AV, FG], C, C),
    (70, 62, [AV, AV, FG, AV], B, B),
    (65, 60, [AV, AV, AV, PO], B, B),
    (55, 58, [AV, PO, AV, PO], B, N),
]


def _street_user(users: dict, assessment: AnnualAssessment):
    name = assessment.community.street.name
    return {"结古街道": users.get("jiegu"), "西杭街道": users.get("xihang")}.get(name) or users["admin"]


def _report(assessment, body, *, held_on, evaluation, by):
    text = f"{assessment.year}年度兼任{assessment.community.name}党支部副书记述职报告（演示）。"
    current = AnnualAssessment.objects.get(pk=assessment.pk)
    services.report_update(
        assessment=current,
        body=body,
        data={"held_on": held_on, "text": text, "evaluation": evaluation, "file": None},
        version=current.version,
        by=by,
    )


def _fill(assessment, users, row, *, year):
    perf, bus, quarters, bureau_eval, street_eval = row
    street_by, bureau_by = _street_user(users, assessment), users["bureau"]
    _report(assessment, DutyReport.Body.BUREAU, held_on=date(year + 1, 1, 10), evaluation=bureau_eval, by=bureau_by)
    _report(assessment, DutyReport.Body.STREET, held_on=date(year + 1, 1, 12), evaluation=street_eval, by=street_by)
    current = AnnualAssessment.objects.get(pk=assessment.pk)
    services.assessment_set_performance(assessment=current, score=Decimal(perf), version=current.version, by=street_by)
    current = AnnualAssessment.objects.get(pk=assessment.pk)
    services.assessment_set_business(
        assessment=current, score=Decimal(bus), quarters=list(quarters), version=current.version, by=bureau_by
    )


def _demo_assessments(year):
    return list(
        AnnualAssessment.objects.filter(year=year, officer__name__endswith=DEMO_MARK).select_related(
            "community__street"
        )
    )


@transaction.atomic
def load(*, users: dict) -> dict:
    """Returns {year: number of demo assessments created}; nothing when already loaded."""
    if AnnualAssessment.objects.filter(year=2022, officer__name__endswith=DEMO_MARK).exists():
        return {}
    bureau = users["bureau"]
    created = {2022: services.assessment_year_open(year=2022, by=bureau)}
    for assessment, row in zip(_demo_assessments(2022), RESULTS_2022, strict=False):
        _fill(assessment, users, row, year=2022)
        current = AnnualAssessment.objects.get(pk=assessment.pk)
        current = services.assessment_combine(assessment=current, version=current.version, by=bureau)
        services.assessment_file(assessment=current, version=current.version, by=bureau)

    created[2023] = services.assessment_year_open(year=2023, by=bureau)
    demo_2023 = _demo_assessments(2023)
    # Six officers have reported; three of them have every score and evaluation (ready to combine).
    for index, assessment in enumerate(demo_2023[:6]):
        if index < 3:
            _fill(assessment, users, RESULTS_2022[index * 4 + 1], year=2023)
        else:
            _report(assessment, DutyReport.Body.BUREAU, held_on=date(2024, 1, 9), evaluation="", by=bureau)
            _report(
                assessment,
                DutyReport.Body.STREET,
                held_on=date(2024, 1, 11),
                evaluation="",
                by=_street_user(users, assessment),
            )
    return created


def set_last_years_scheme() -> bool:
    """The scheme of the year just ended, with the defaults, unless that year has one or was opened already.
    Returns whether it was set."""
    year = timezone.localdate().year - 1
    if AnnualAssessment.objects.filter(year=year).exists():
        return False
    _scheme, created = AssessmentScheme.objects.get_or_create(year=year, area=None)
    return created
