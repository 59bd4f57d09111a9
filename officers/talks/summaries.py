"""What a talk adds to the monthly summaries (communities/summaries.py): one talk under its community, officer
and month (Asia/Shanghai), while it is not deleted."""

from django.db.models import Count
from django.db.models.functions import ExtractMonth, ExtractYear

from communities.summaries import Contribution
from yushu_gov.input.months import SHANGHAI, month_of

from .models import MonthlyTalk


def summary_of(talk: MonthlyTalk) -> Contribution:
    """The talk's contribution as it stands now (in memory): nothing once deleted."""
    if talk.deleted_at is not None:
        return {}
    year, month = month_of(talk.held_at)
    return {(talk.community_id, talk.officer_id, year, month): {"talks": 1}}


def recount():
    """Every live talk's contribution, from one grouped query (for communities.summaries.rebuild)."""
    rows = (
        MonthlyTalk.objects.alive()
        .order_by()
        .annotate(y=ExtractYear("held_at", tzinfo=SHANGHAI), m=ExtractMonth("held_at", tzinfo=SHANGHAI))
        .values_list("community_id", "officer_id", "y", "m")
        .annotate(n=Count("id"))
    )
    for community_id, officer_id, year, month, n in rows.iterator(chunk_size=5000):
        yield (community_id, officer_id, year, month), {"talks": n}
