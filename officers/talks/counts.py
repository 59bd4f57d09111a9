"""What a talk adds to the talks' monthly counts (TalkMonth, a counter table of yushu_gov/counts): one talk
under its community, officer and month (Asia/Shanghai), while it is not deleted. The talk services keep the
table in their transaction (`keep`), with the compliance roll-ups that follow from it (rollup.py);
`manage.py rebuild_summaries` recounts it."""

from django.db.models import Count
from django.db.models.functions import ExtractMonth, ExtractYear

from communities.models import Community
from yushu_gov.counts import monthly
from yushu_gov.counts.monthly import Contribution, CounterTable
from yushu_gov.input.months import SHANGHAI, month_of

from . import rollup
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


def keep(*, added: Contribution | None = None, removed: Contribution | None = None) -> None:
    """A talk's contribution after and before a write, applied to the monthly counts and to the compliance
    roll-ups of its (officer, street) pairs, in the write's transaction."""
    added, removed = added or {}, removed or {}
    keys = [*added, *removed]
    streets = dict(Community.objects.filter(pk__in={key[0] for key in keys}).values_list("pk", "street_id"))
    with rollup.kept((key[1], streets.get(key[0])) for key in keys):
        monthly.apply(TABLE, added=added, removed=removed)
