"""What an assessment waits for, and from whom: the street (its performance score, its report held and
evaluated) or the bureau (its business score, the four quarters, its report held and evaluated). The to-do
items count them, the year page filters by them (?waiting=street|bureau) and sums them up for a phone."""

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from .models import AnnualAssessment, DutyReport

WAITING_CHOICES = [("street", _("待街道录入履职评分和评议")), ("bureau", _("待公安局录入业务考核和评议"))]


def _report_missing(body: str):
    """The assessment's report to `body` is not yet held, or not yet evaluated."""
    return Exists(
        DutyReport.objects.filter(assessment=OuterRef("pk"), body=body).filter(
            Q(held_on__isnull=True) | Q(evaluation="")
        )
    )


def with_waiting(queryset):
    """The assessments annotated with whether each body's report is still missing."""
    return queryset.annotate(street_missing=_report_missing("street"), bureau_missing=_report_missing("bureau"))


def waiting_q(who: str) -> Q:
    """On `with_waiting` rows: the entries of `who` ("street" or "bureau") not yet made."""
    if who == "street":
        return Q(performance_score__isnull=True) | Q(street_missing=True)
    quarters = Q(quarter1="") | Q(quarter2="") | Q(quarter3="") | Q(quarter4="")
    return Q(business_score__isnull=True) | quarters | Q(bureau_missing=True)


def waiting_for(queryset, who: str):
    """The unfiled assessments of `queryset` that wait for `who`."""
    return with_waiting(queryset.exclude(status=AnnualAssessment.Status.FILED)).filter(waiting_q(who))


def year_states(assessments) -> dict:
    """One query: how many assessments are in each state, and how many wait for the street and the bureau."""
    not_filed = ~Q(status=AnnualAssessment.Status.FILED)
    figures = {status: Count("id", filter=Q(status=status)) for status in AnnualAssessment.Status.values}
    figures["street"] = Count("id", filter=not_filed & waiting_q("street"))
    figures["bureau"] = Count("id", filter=not_filed & waiting_q("bureau"))
    return with_waiting(assessments.order_by()).aggregate(total=Count("id"), **figures)
