"""What a work record adds to the ledger's monthly counts (WorkMonth, a counter table of yushu_gov/counts): under
its community, officer and month, one to its type's count (and to the type's done count once 已办结), one to its
dispute level's count, one to 调解成功 for a done dispute resolved, and its people, households, value recovered
and aid; and the same rolled up to every area of the organisation tree above the community (AreaWorkMonth). The
ledger services keep both in their transaction (`keep`); `manage.py rebuild_summaries` recounts them."""

from django.db.models import Count, Sum
from django.db.models.functions import ExtractMonth, ExtractYear

from communities.rollups import expanded, to_areas
from yushu_gov.counts import monthly
from yushu_gov.counts.monthly import Amounts, Contribution, CounterTable, Key

from .models import AreaWorkMonth, WorkMonth, WorkRecord

K = WorkRecord.Kind


def _amounts(*, kind, severity, status, outcome, n, people, households, recovered, aid) -> Amounts:
    kind, severity = str(kind), str(severity)  # the choices' values, also when given as members
    done = status == WorkRecord.Status.DONE
    amounts = {
        kind: n,
        f"{kind}_done": n if done else 0,
        "people_reached": people or 0,
        "households_reached": households or 0,
        "value_recovered": recovered or 0,
    }
    if kind == K.DISPUTE:
        amounts[f"dispute_{severity}"] = n
        amounts["dispute_resolved"] = n if done and outcome == WorkRecord.Outcome.RESOLVED else 0
    if kind == K.AID:
        amounts["aid_amount"] = aid or 0
        amounts["aid_households"] = households or 0
    return amounts


def _key(community_id, officer_id, occurred_on) -> Key:
    return (community_id, officer_id, occurred_on.year, occurred_on.month)


def counted(record: WorkRecord) -> Contribution:
    """The record's contribution, as it stands now (in memory)."""
    return {
        _key(record.community_id, record.officer_id, record.occurred_on): _amounts(
            kind=record.kind,
            severity=record.severity,
            status=record.status,
            outcome=record.outcome,
            n=1,
            people=record.people_reached,
            households=record.households_reached,
            recovered=record.value_recovered,
            aid=record.aid_amount,
        )
    }


def recount():
    """Every record's contribution, in key order, from one grouped query read in chunks."""
    rows = (
        WorkRecord.objects.values("community_id", "officer_id", "kind", "severity", "status", "outcome")
        .annotate(
            y=ExtractYear("occurred_on"),
            m=ExtractMonth("occurred_on"),
            n=Count("id"),
            people=Sum("people_reached"),
            households=Sum("households_reached"),
            recovered=Sum("value_recovered"),
            aid=Sum("aid_amount"),
        )
        .order_by("community_id", "officer_id", "y", "m")
    )
    for row in rows.iterator(chunk_size=5000):
        key = (row["community_id"], row["officer_id"], row["y"], row["m"])
        yield (
            key,
            _amounts(
                kind=row["kind"],
                severity=row["severity"],
                status=row["status"],
                outcome=row["outcome"],
                n=row["n"],
                people=row["people"],
                households=row["households"],
                recovered=row["recovered"],
                aid=row["aid"],
            ),
        )


TABLE = CounterTable(
    model=WorkMonth, key_fields=WorkMonth.KEY_FIELDS, count_fields=WorkMonth.count_fields(), recount=recount
)


def recount_areas(streets=None):
    """The monthly counts added up per street area (one grouped query), then for every area above it; those of
    the given streets' communities only, when given."""
    fields = WorkMonth.count_fields()
    months = WorkMonth.objects.all() if streets is None else WorkMonth.objects.filter(community__street_id__in=streets)
    rows = (
        months.values("community__street__area__path", "year", "month")
        .annotate(**{f"sum_{name}": Sum(name) for name in fields})
        .order_by()
    )
    return expanded(
        (row["community__street__area__path"], row["year"], row["month"], {n: row[f"sum_{n}"] for n in fields})
        for row in rows.iterator(chunk_size=5000)
    )


AREA_TABLE = CounterTable(
    model=AreaWorkMonth,
    key_fields=AreaWorkMonth.KEY_FIELDS,
    count_fields=AreaWorkMonth.count_fields(),
    recount=recount_areas,
    rollup=True,
    recount_part=recount_areas,
)


def keep(*, added: Contribution | None = None, removed: Contribution | None = None) -> None:
    """A record's contribution after and before a write, applied to the monthly counts and to their roll-up
    up the tree, in the write's transaction."""
    added, removed = added or {}, removed or {}
    monthly.apply(TABLE, added=added, removed=removed)
    area_added, area_removed = to_areas(added, removed)
    monthly.apply(AREA_TABLE, added=area_added, removed=area_removed)
