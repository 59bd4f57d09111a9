"""Reads of the year-end assessment: who served in a year, the evidence shown beside an assessment (the
year's monthly talks, work records and residents' requests), the grade distribution with the 优秀 cap, and
whether a year's scheme is still open to change; which level's scheme applies to an area (issue 20)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Min, Q
from django.utils.translation import gettext as _

from communities.models import Area
from communities.settings_tree import nearest, pick
from officers.ledger.models import WorkRecord
from officers.models import Appointment
from officers.resident_requests.models import ResidentRequest
from officers.resident_requests.selectors import rates_of, request_rates
from officers.talks.models import MonthlyTalk
from yushu_gov.input.months import MIN_YEAR, period_bounds

from .models import AnnualAssessment, AssessmentScheme, Grade


def officers_served_in(year: int):
    """The terms (serving or ended) that overlap the year, in the order the year's last seat wins."""
    return (
        Appointment.objects.held_between(date(year, 1, 1), date(year, 12, 31))
        .select_related("officer", "community")
        .order_by("officer_id", "started_on", "id")
    )


def years_with_terms(until: int) -> list[int]:
    """The years up to `until` in which at least one officer held a seat (any of them may be opened for the
    dual assessment). Two queries: the earliest start, then one conditional count per year."""
    held = Appointment.objects.held_between(date(MIN_YEAR, 1, 1), date(until, 12, 31))
    first = held.aggregate(first=Min("started_on"))["first"]
    if first is None:
        return []
    years = range(first.year, until + 1)
    counts = held.aggregate(
        **{
            f"y{year}": Count("pk", filter=Q(started_on__lte=date(year, 12, 31)) & (
                Q(ended_on__isnull=True) | Q(ended_on__gte=date(year, 1, 1))
            ))
            for year in years
        }
    )  # fmt: skip
    return [year for year in years if counts[f"y{year}"]]


def applicable_scheme(year: int, area) -> AssessmentScheme:
    """The scheme that applies in `area` (None: the deployment) for the year: its own level's, else the nearest
    level above's, else the deployment's default (unsaved, with the defaults, when the year has none). One
    query. Read only: services.scheme_for_area makes the default row."""
    row, _source = nearest(AssessmentScheme.objects.filter(year=year), area)
    return row or AssessmentScheme(year=year)


def area_of_community(community_id: int) -> Area:
    """The city or county the community lies in (its street's area). One query."""
    return Area.objects.get(streets__communities=community_id)


def scheme_locked(year: int, area=None) -> bool:
    """A level's scheme (changing it, setting it or giving it up) is fixed once a result of that year under that
    level is filed; the deployment's default once any result of the year is (migration 0008's trigger says the
    same of an UPDATE)."""
    filed = AnnualAssessment.objects.filter(year=year, status=AnnualAssessment.Status.FILED)
    if area is not None:
        filed = filed.filter(community__street__area__path__startswith=area.path)
    return filed.exists()


def scheme_locked_message(year: int) -> str:
    return _("%(year)s年度已有审定归档的考核结果，考核方案不能再修改。") % {"year": year}


@dataclass(frozen=True)
class YearSummary:
    """The grades of a set of assessments (combined or filed) and the 优秀 share against the year's cap."""

    counts: dict
    total: int
    excellent_share: float  # percent, one decimal
    over_cap: bool
    over_cap_at: list[str]  # the levels whose results exceed their scheme's cap (their scheme's name)


def year_summary(assessments, year: int) -> YearSummary:
    """The 优秀-cap rule: the share of 优秀 among the graded results may not exceed the cap of the scheme they
    were graded by (each level's own, issue 20: the results under a level that set its scheme are counted
    against its cap, the rest against the cap of the level above); above it the review page warns (the cap is a
    warning, not a refusal: the bureau decides). Two queries: the grades per area, the year's schemes."""
    counts = dict.fromkeys(Grade.values, 0)
    rows = assessments.exclude(grade="").order_by().values_list("grade", "community__street__area__path")
    schemes = list(AssessmentScheme.objects.filter(year=year).select_related("area"))
    default = AssessmentScheme(year=year)
    groups: dict[int | None, list] = {}  # scheme id -> [scheme, 优秀, graded]
    for grade, path, n in rows.annotate(n=Count("id")):
        counts[grade] += n
        scheme = pick(schemes, path) or default
        group = groups.setdefault(scheme.pk, [scheme, 0, 0])
        group[1] += n if grade == Grade.EXCELLENT else 0
        group[2] += n
    total = sum(counts.values())
    share = counts[Grade.EXCELLENT] * 100 / total if total else 0
    over = [str(s) for s, excellent, graded in groups.values() if excellent * 100 > s.excellent_cap_percent * graded]
    return YearSummary(counts, total, round(share, 1), bool(over), over)


def evidence_for(*, officer, year: int, user) -> dict:
    """The evidence of the year beside an officer's assessment (DOMAIN.md §4.5): the monthly talks held, the
    work records by type and the rates of the residents' requests he handled, each scoped with visible_to(user)."""
    start, end = period_bounds(year)
    talks = list(
        MonthlyTalk.objects.visible_to(user)
        .alive()
        .filter(officer=officer, held_at__gte=start, held_at__lt=end)
        .order_by("-held_at")
    )
    return {
        "available": True,
        "year": year,
        "talk_count": len(talks),
        "talks": [{"held_on": talk.held_at, "topics": "、".join(talk.topic_labels)} for talk in talks],
        "work_records_by_type": work_records_by_type(officer=officer, year=year, user=user),
        "requests": request_rates(user=user, year=year, officer_id=officer.pk, breakdown=False).total,
    }


def rates_score(*, officer, year: int):
    """The mean of the officer's three rates of the year (响应率, 办结率, 满意率, those that apply), in percent;
    None when no request of his counts for any of them. Over all his requests, whoever asks."""
    start, end = period_bounds(year)
    requests = ResidentRequest.objects.filter(officer=officer, submitted_at__gte=start, submitted_at__lt=end)
    rates = rates_of(requests)
    values = [v for v in (rates.response_rate, rates.resolve_rate, rates.satisfaction_rate) if v is not None]
    return (sum(values, Decimal(0)) / len(values)).quantize(Decimal("0.01")) if values else None


def work_records_by_type(*, officer, year: int, user) -> list[dict]:
    """The year's work records of the officer by type, in the ledger's order of types (one query)."""
    counts = dict(
        WorkRecord.objects.visible_to(user)
        .filter(officer=officer)
        .in_year(year)
        .order_by()
        .values_list("kind")
        .annotate(n=Count("id"))
    )
    return [{"label": label, "count": counts[kind]} for kind, label in WorkRecord.Kind.choices if kind in counts]
