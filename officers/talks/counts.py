"""What a talk adds to the talks' monthly counts (TalkMonth, a counter table of yushu_gov/counts): one talk
under its community, officer and month (Asia/Shanghai), while it is not deleted. The talk services keep the
table in their transaction (`monthly.apply(TABLE, …)`); `manage.py rebuild_summaries` recounts it."""

from django.db.models import Count
from django.db.models.functions import ExtractMonth, ExtractYear

from yushu_gov.counts.monthly import Contribution, CounterTable
from yushu_gov.input.months import SHANGHAI, month_of

from .models import MonthlyTalk, TalkMonth


def counted(talk: MonthlyTalk) -> Contribution:
    """The talk's contribution as it stands now (in memory): nothing once deleted."""
    if talk.deleted_at is not None:
        return {}
    year, month = month_of(talk.held_at)
    return {(talk.community_id, talk.officer_id, year, month): {"talks": 1}}


def recount():
    """Every live talk's contribution, in key order, from one grouped query read in chunks."""
    rows = (
        MonthlyTalk.objects.alive()
        .annotate(y=ExtractYear("held_at", tzinfo=SHANGHAI), m=ExtractMonth("held_at", tzinfo=SHANGHAI))
        .values_list("community_id", "officer_id", "y", "m")
        .annotate(n=Count("id"))
        .order_by("community_id", "officer_id", "y", "m")
    )
    for community_id, officer_id, year, month, n in rows.iterator(chunk_size=5000):
        yield (community_id, officer_id, year, month), {"talks": n}


TABLE = CounterTable(
    model=TalkMonth, key_fields=TalkMonth.KEY_FIELDS, count_fields=TalkMonth.COUNT_FIELDS, recount=recount
)
