"""The move of the monthly counts out of communities.MonthlySummary into the talks' TalkMonth and the ledger's
WorkMonth keeps every total: a database migrated up to just before the move, with summaries in it, migrates to
the new layout with the same count per community, officer and month and the same column totals; and back
again (the data migrations are reversible) with the same totals in MonthlySummary."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Sum

from tests.migrating import latest, migrate_to

BEFORE = [("communities", "0005_monthly_summary"), ("talks", "0003_list_indexes"), ("ledger", "0003_list_indexes")]
WORK = ("difficulty", "dispute", "dispute_done", "dispute_red", "dispute_resolved", "patrol", "patrol_done")
AMOUNTS = ("people_reached", "households_reached", "value_recovered", "aid_amount", "aid_households")


def _totals(model, fields) -> dict:
    return {name: value or 0 for name, value in model.objects.aggregate(**{f: Sum(f) for f in fields}).items()}


def _by_key(model, officer_field, fields) -> dict:
    rows = model.objects.values_list("community_id", officer_field, "year", "month", *fields)
    return {tuple(row[:4]): dict(zip(fields, row[4:], strict=True)) for row in rows if any(row[4:])}


@pytest.mark.django_db(transaction=True)
def test_the_monthly_counts_move_to_the_talks_and_the_ledger_with_every_total():
    old = migrate_to(BEFORE)
    try:
        Street = old.get_model("communities", "Street")
        Community = old.get_model("communities", "Community")
        Station = old.get_model("communities", "PoliceStation")
        Officer = old.get_model("officers", "Officer")
        Summary = old.get_model("communities", "MonthlySummary")

        street = Street.objects.create(code="s", name="街道")
        first = Community.objects.create(code="c1", name="社区一", street=street)
        second = Community.objects.create(code="c2", name="社区二", street=street)
        station = Station.objects.create(code="p", name="派出所")
        officers = [
            Officer.objects.create(
                name=f"民警{n}",
                gender="male",
                ethnicity="tibetan",
                police_number=f"70000{n}",
                id_number=f"63270119880517001{n}",
                mobile=f"1380000000{n}",
                station=station,
                party_status="full",
                party_member_since=date(2010, 7, 1),
            )  # fmt: skip
            for n in (1, 2)
        ]
        rows = [
            # talks and work in one row, talks only, work only, a row left at zero by the services
            dict(community=first, officer_key=officers[0].pk, year=2023, month=1, talks=2, dispute=3, dispute_done=2,
                 dispute_red=1, dispute_resolved=2, people_reached=40, value_recovered=Decimal("1200.50")),
            dict(community=first, officer_key=officers[0].pk, year=2023, month=2, talks=1),
            dict(community=second, officer_key=officers[1].pk, year=2022, month=12, patrol=5, patrol_done=4,
                 difficulty=1, households_reached=7, aid_amount=Decimal("300.00"), aid_households=3),
            dict(community=second, officer_key=officers[1].pk, year=2023, month=3),
        ]  # fmt: skip
        Summary.objects.bulk_create(Summary(**row) for row in rows)
        talks_before = _by_key(Summary, "officer_key", ("talks",))
        work_before = _by_key(Summary, "officer_key", WORK + AMOUNTS)
        totals_before = _totals(Summary, ("talks", *WORK, *AMOUNTS))
        assert totals_before["talks"] == 3 and totals_before["value_recovered"] == Decimal("1200.50")
    finally:
        new = migrate_to(latest())

    TalkMonth = new.get_model("talks", "TalkMonth")
    WorkMonth = new.get_model("ledger", "WorkMonth")
    assert _by_key(TalkMonth, "officer_id", ("talks",)) == talks_before
    assert _by_key(WorkMonth, "officer_id", WORK + AMOUNTS) == work_before
    assert {**_totals(TalkMonth, ("talks",)), **_totals(WorkMonth, WORK + AMOUNTS)} == totals_before
    assert (TalkMonth.objects.count(), WorkMonth.objects.count()) == (2, 2)  # the row at zero holds nothing
    assert "communities_monthlysummary" not in connection.introspection.table_names()

    # And back: the counts return to MonthlySummary, with the same totals.
    try:
        old = migrate_to(BEFORE)
        Summary = old.get_model("communities", "MonthlySummary")
        assert _by_key(Summary, "officer_key", ("talks",)) == talks_before
        assert _by_key(Summary, "officer_key", WORK + AMOUNTS) == work_before
        assert _totals(Summary, ("talks", *WORK, *AMOUNTS)) == totals_before
    finally:
        migrate_to(latest())
