"""The year's assessments as .xlsx (the review page's filtered list), with Chinese headers."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yushu_gov.xlsx import build_workbook

HEADERS = [
    gettext_lazy("年度"),
    gettext_lazy("姓名"),
    gettext_lazy("警号"),
    gettext_lazy("街道"),
    gettext_lazy("兼任社区"),
    gettext_lazy("派出所"),
    gettext_lazy("状态"),
    gettext_lazy("述职日期（市公安局党委）"),
    gettext_lazy("评议（市公安局党委）"),
    gettext_lazy("述职日期（街道党工委）"),
    gettext_lazy("评议（街道党工委）"),
    gettext_lazy("履职评分"),
    gettext_lazy("业务考核得分"),
    gettext_lazy("第一季度"),
    gettext_lazy("第二季度"),
    gettext_lazy("第三季度"),
    gettext_lazy("第四季度"),
    gettext_lazy("综合得分"),
    gettext_lazy("综合等次"),
    gettext_lazy("评先评优候选"),
]


def year_assessments(assessments, *, year: int) -> bytes:
    """`assessments` is the review page's filtered queryset (scoped, with AssessmentQuerySet.for_review)."""

    def rows():
        for a in assessments:
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

    return build_workbook(_("%(year)s年度考核") % {"year": year}, HEADERS, rows())
