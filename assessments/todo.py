"""The to-do items (yushu_gov/home/todo.py) of the year-end assessment: the entries waiting for the user's role
(the street's performance score and 评议, the bureau's business score, quarters and 评议), results ready to
combine or to file, years whose scheme is set but which nobody has opened, and the scheme of the year just
ended. At most three queries."""

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from yushu_gov.access.rights import can
from yushu_gov.home.todo import TodoItem

from .models import AnnualAssessment, AssessmentScheme, DutyReport


def _report_missing(body: str):
    """The assessment's report to `body` is not yet held, or not yet evaluated."""
    return Exists(
        DutyReport.objects.filter(assessment=OuterRef("pk"), body=body).filter(
            Q(held_on__isnull=True) | Q(evaluation="")
        )
    )


def _year_url(year: int, status: str = "") -> str:
    url = reverse("assessments:year", args=[year])
    return f"{url}?status={status}" if status else url


def assessment_entries(request) -> list[TodoItem]:
    user = request.user
    street, bureau = can(user, "assessment.street_enter"), can(user, "assessment.bureau_enter")
    approves = can(user, "assessment.approve")
    items = []
    if street or bureau or approves:
        missing = Q()
        if street:
            missing = Q(performance_score__isnull=True) | Q(street_missing=True)
        if bureau:
            quarters = Q(quarter1="") | Q(quarter2="") | Q(quarter3="") | Q(quarter4="")
            missing = Q(business_score__isnull=True) | quarters | Q(bureau_missing=True)
        rows = (
            AnnualAssessment.objects.visible_to(user)
            .exclude(status=AnnualAssessment.Status.FILED)
            .annotate(street_missing=_report_missing("street"), bureau_missing=_report_missing("bureau"))
            .order_by()
            .values("year")
            .annotate(
                missing=Count("id", filter=missing, distinct=True),
                evaluated=Count("id", filter=Q(status="evaluated"), distinct=True),
                combined=Count("id", filter=Q(status="combined"), distinct=True),
            )
            .order_by("-year")
        )
        for row in rows:
            year = row["year"]
            if row["missing"]:
                if street:
                    label = _("%(year)s年度考核待录入街道履职评分和评议") % {"year": year}
                else:
                    label = _("%(year)s年度考核待录入业务考核和评议") % {"year": year}
                items.append(TodoItem(label, _year_url(year), row["missing"]))
            if approves and row["evaluated"]:
                label = _("%(year)s年度考核可综合评定") % {"year": year}
                items.append(TodoItem(label, _year_url(year, "evaluated"), row["evaluated"]))
            if approves and row["combined"]:
                label = _("%(year)s年度考核待审定归档") % {"year": year}
                items.append(TodoItem(label, _year_url(year, "combined"), row["combined"]))
    if approves:  # the bureau opens a year once the city has set its scheme
        opened = AnnualAssessment.objects.filter(year=OuterRef("year"))
        years = AssessmentScheme.objects.filter(year__lte=timezone.localdate().year).exclude(Exists(opened))
        for year in years.order_by("-year").values_list("year", flat=True):
            url = reverse("assessments:open_year", args=[year])
            items.append(TodoItem(_("考核方案已设定，待开启%(year)s年度考核") % {"year": year}, url))
    if can(user, "assessment.scheme"):  # the city sets the scheme of the year just ended
        last_year = timezone.localdate().year - 1
        if not AssessmentScheme.objects.filter(year=last_year).exists():
            url = reverse("assessments:scheme", args=[last_year])
            items.append(TodoItem(_("待设定%(year)s年度考核方案") % {"year": last_year}, url))
    return items
