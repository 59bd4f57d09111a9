from django.db.models import Count

from .models import AnnualAssessment


def summary_context(request) -> dict:
    """The latest year in the user's scope and how many of its assessments are in each state (2 queries)."""
    visible = AnnualAssessment.objects.visible_to(request.user)
    year = visible.order_by("-year").values_list("year", flat=True).first()
    counts = dict.fromkeys(AnnualAssessment.Status.values, 0)
    if year is not None:
        rows = visible.filter(year=year).order_by().values("status").annotate(n=Count("id"))
        counts.update({row["status"]: row["n"] for row in rows})
    states = [(label, counts[value]) for value, label in AnnualAssessment.Status.choices]
    return {"assessment_year": year, "assessment_states": states}
