"""The ledger's monthly counts move out of communities.MonthlySummary into the ledger's own WorkMonth: every
row with work records is copied, column for column (its officer number becomes a real foreign key);
communities.0006 then drops the old table. Reversible: going back, the counts are written into the re-created
MonthlySummary again (beside the talks', which talks.0005 writes back the same way)."""

from django.db import migrations

BATCH = 2000
KINDS = ("difficulty", "dispute", "case", "patrol", "hazard", "visit", "publicity", "poverty_watch", "aid")
COUNTS = (
    *KINDS,
    *(f"{kind}_done" for kind in KINDS),
    "dispute_blue",
    "dispute_yellow",
    "dispute_red",
    "dispute_resolved",
    "people_reached",
    "households_reached",
    "value_recovered",
    "aid_amount",
    "aid_households",
)


def copy_forward(apps, schema_editor):
    Summary = apps.get_model("communities", "MonthlySummary")
    WorkMonth = apps.get_model("ledger", "WorkMonth")
    rows = (
        Summary.objects.exclude(**dict.fromkeys(COUNTS, 0))  # rows with at least one count
        .order_by("pk")
        .values_list("community_id", "officer_key", "year", "month", *COUNTS)
        .iterator(chunk_size=BATCH)
    )
    batch = []
    for community_id, officer_id, year, month, *counts in rows:
        amounts = dict(zip(COUNTS, counts, strict=True))
        batch.append(WorkMonth(community_id=community_id, officer_id=officer_id, year=year, month=month, **amounts))
        if len(batch) >= BATCH:
            WorkMonth.objects.bulk_create(batch)
            batch = []
    WorkMonth.objects.bulk_create(batch)


def copy_back(apps, schema_editor):
    Summary = apps.get_model("communities", "MonthlySummary")
    WorkMonth = apps.get_model("ledger", "WorkMonth")
    rows = WorkMonth.objects.order_by("pk").values_list("community_id", "officer_id", "year", "month", *COUNTS)
    for community_id, officer_id, year, month, *counts in rows.iterator(chunk_size=BATCH):
        Summary.objects.update_or_create(
            community_id=community_id,
            officer_key=officer_id,
            year=year,
            month=month,
            defaults=dict(zip(COUNTS, counts, strict=True)),
        )


class Migration(migrations.Migration):
    dependencies = [
        ("communities", "0005_monthly_summary"),
        ("ledger", "0004_workmonth"),
    ]

    operations = [migrations.RunPython(copy_forward, copy_back)]
