"""The year's assessments as .xlsx (the review page's filtered list), with Chinese headers. One row per
officer who served in the year: 500 for a province, 5,000 at ten times that, so it is written in the
background too (yushu_gov/documents/export_jobs.py), from assessments read 2,000 at a time."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.messages import COMMENDATION_CANDIDATE, DUTY_SCORE, OVERALL_GRADE, OVERALL_SCORE, WORK_SCORE
from communities.messages import POLICE_STATION, STREET_LABEL
from officers.messages import ANNUAL_YEAR, CONCURRENT_COMMUNITY, POLICE_NUMBER
from yushu_gov.documents.export_jobs import ExportKind, ExportSource
from yushu_gov.input.labels import PERSON_NAME, STATUS_LABEL

from .filters import AssessmentFilter
from .models import AnnualAssessment

HEADERS = [
    ANNUAL_YEAR,
    PERSON_NAME,
    POLICE_NUMBER,
    STREET_LABEL,
    CONCURRENT_COMMUNITY,
    POLICE_STATION,
    STATUS_LABEL,
    gettext_lazy("述职日期（市公安局党委）"),
    gettext_lazy("评议（市公安局党委）"),
    gettext_lazy("述职日期（街道党工委）"),
    gettext_lazy("评议（街道党工委）"),
    DUTY_SCORE,
    WORK_SCORE,
    gettext_lazy("第一季度"),
    gettext_lazy("第二季度"),
    gettext_lazy("第三季度"),
    gettext_lazy("第四季度"),
    OVERALL_SCORE,
    OVERALL_GRADE,
    COMMENDATION_CANDIDATE,
]


def year_assessments_rows(assessments):
    """`assessments` is the review page's filtered queryset (scoped, with AssessmentQuerySet.for_review)."""
    for a in assessments.iterator(chunk_size=2000):
        bureau, street = a.bureau_report, a.street_report
        yield [
            a.year,
            a.officer.name,
            a.officer.police_number,
            a.community.street.name,
            a.community.name,
            a.officer.station.name,
            a.get_status_display(),
            bureau.held_on if bureau else None,
            bureau.get_evaluation_display() if bureau else "",
            street.held_on if street else None,
            street.get_evaluation_display() if street else "",
            a.performance_score,
            a.business_score,
            *a.quarter_displays(),
            a.weighted_score,
            a.get_grade_display(),
            a.commendation_eligible if a.grade else "",
        ]


def year_assessments_source(user, params) -> ExportSource:
    """`params`: the year (validated by the view) and the review page's filter."""
    year = int(params["year"])
    filters = params.copy()
    filters.pop("year")
    assessments = AnnualAssessment.objects.visible_to(user).of_year(year).for_review()
    assessments = AssessmentFilter(filters, queryset=assessments, user=user).qs
    return ExportSource(
        title=_("%(year)s年度考核") % {"year": year},
        headers=HEADERS,
        rows=year_assessments_rows(assessments),
        total=assessments.count(),
        filename=_("%(year)s年度双述职双考核.xlsx") % {"year": year},
        filters={"year": year, **filters.dict()},
    )


EXPORT = ExportKind(
    name="assessments.export",
    permission="assessment.view",
    title=gettext_lazy("年度双述职双考核"),
    build=year_assessments_source,
)
