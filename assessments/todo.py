"""The to-do items (yushu_gov/home/todo.py) of the year-end assessment: the entries waiting for the user's role
(the street's performance score and 评议, the bureau's business score, quarters and 评议), results ready to
combine or to file, years whose scheme is set but which nobody has opened, and the scheme of the year just
ended. At most three queries."""

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.settings_tree import chain_ids
from yushu_gov.access.rights import can
from yushu_gov.home.todo import TodoItem

from .models import AnnualAssessment, AssessmentScheme
from .waiting import waiting_q, with_waiting

# A year's entries are to-do items while the year is current or just ended; an older year's leftovers are the
# year page's to show (its summary and filters), not every clerk's home page.
YEARS_ON_THE_LIST = 2


def _year_url(year: int, **query: str) -> str:
    url = reverse("assessments:year", args=[year])
    return f"{url}?{'&'.join(f'{key}={value}' for key, value in query.items())}" if query else url


def assessment_entries(request) -> list[TodoItem]:
    user = request.user
    street, bureau = can(user, "assessment.street_enter"), can(user, "assessment.bureau_enter")
    approves = can(user, "assessment.approve")
    items = []
    if street or bureau or approves:
        who = "street" if street else "bureau" if bureau else ""
        missing = waiting_q(who) if who else Q(pk__in=[])
        first_year = timezone.localdate().year - YEARS_ON_THE_LIST + 1
        rows = (
            with_waiting(AnnualAssessment.objects.visible_to(user).filter(year__gte=first_year))
            .exclude(status=AnnualAssessment.Status.FILED)
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
                items.append(TodoItem(label, _year_url(year, waiting=who), row["missing"]))
            if approves and row["evaluated"]:
                label = _("%(year)s年度考核可综合评定") % {"year": year}
                items.append(TodoItem(label, _year_url(year, status="evaluated"), row["evaluated"]))
            if approves and row["combined"]:
                label = _("%(year)s年度考核待审定归档") % {"year": year}
                items.append(TodoItem(label, _year_url(year, status="combined"), row["combined"]))
    if approves:  # the bureau opens a year once the city has set its scheme
        opened = AnnualAssessment.objects.filter(year=OuterRef("year"))
        years = AssessmentScheme.objects.filter(year__lte=timezone.localdate().year).exclude(Exists(opened))
        for year in years.order_by("-year").values_list("year", flat=True).distinct():
            url = reverse("assessments:open_year", args=[year])
            items.append(TodoItem(_("考核方案已设定，待开启%(year)s年度考核") % {"year": year}, url))
    if can(user, "assessment.scheme"):  # the city sets the scheme of the year just ended
        last_year = timezone.localdate().year - 1
        # Set at his level or above (a level inherits it; issue 20), or as the deployment's default.
        levels = Q(area__isnull=True) | Q(area_id__in=chain_ids(user.area))
        if not AssessmentScheme.objects.filter(levels, year=last_year).exists():
            url = reverse("assessments:scheme", args=[last_year])
            items.append(TodoItem(_("待设定%(year)s年度考核方案") % {"year": last_year}, url))
    return items
