"""The evidence of the year shown beside an officer's assessment (DOMAIN.md §4.5): the monthly talks held
(谈心谈话) and the work records by type (工作台账), each scoped with visible_to(user)."""

from django.db.models import Count

from officers.models import MonthlyTalk, WorkRecord
from officers.talk_selectors import month_start


def evidence_for(*, officer, year: int, user) -> dict:
    talks = list(
        MonthlyTalk.objects.visible_to(user)
        .alive()
        .filter(officer=officer, held_at__gte=month_start(year, 1), held_at__lt=month_start(year + 1, 1))
        .order_by("-held_at")
    )
    return {
        "available": True,
        "year": year,
        "talk_count": len(talks),
        "talks": [{"held_on": talk.held_at, "topics": "、".join(talk.topic_labels)} for talk in talks],
        "work_records_by_type": work_records_by_type(officer=officer, year=year, user=user),
    }


def work_records_by_type(*, officer, year: int, user) -> list[dict]:
    """The year's work records of the officer by type, in the ledger's order of types (one query)."""
    counts = dict(
        WorkRecord.objects.visible_to(user)
        .filter(officer=officer, occurred_on__year=year)
        .order_by()
        .values_list("kind")
        .annotate(n=Count("id"))
    )
    return [{"label": label, "count": counts[kind]} for kind, label in WorkRecord.Kind.choices if kind in counts]
