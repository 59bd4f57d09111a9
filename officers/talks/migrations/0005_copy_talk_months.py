"""The talks' monthly counts move out of communities.MonthlySummary into the talks' own TalkMonth: every
row with talks is copied (its officer number becomes a real foreign key); communities.0006 then drops the old
table. Reversible: going back, the counts are written into the re-created MonthlySummary again (beside the
ledger's, which ledger.0005 writes back the same way)."""

from django.db import migrations

BATCH = 2000
KEY = ("community_id", "officer_key", "year", "month")


def copy_forward(apps, schema_editor):
    Summary = apps.get_model("communities", "MonthlySummary")
    TalkMonth = apps.get_model("talks", "TalkMonth")
    rows = Summary.objects.exclude(talks=0).order_by("pk").values_list(*KEY, "talks").iterator(chunk_size=BATCH)
    batch = []
    for community_id, officer_id, year, month, talks in rows:
        batch.append(TalkMonth(community_id=community_id, officer_id=officer_id, year=year, month=month, talks=talks))
        if len(batch) >= BATCH:
            TalkMonth.objects.bulk_create(batch)
            batch = []
    TalkMonth.objects.bulk_create(batch)


def copy_back(apps, schema_editor):
    Summary = apps.get_model("communities", "MonthlySummary")
    TalkMonth = apps.get_model("talks", "TalkMonth")
    rows = TalkMonth.objects.order_by("pk").values_list("community_id", "officer_id", "year", "month", "talks")
    for community_id, officer_id, year, month, talks in rows.iterator(chunk_size=BATCH):
        Summary.objects.update_or_create(
            community_id=community_id, officer_key=officer_id, year=year, month=month, defaults={"talks": talks}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("communities", "0005_monthly_summary"),
        ("talks", "0004_talkmonth"),
    ]

    operations = [migrations.RunPython(copy_forward, copy_back)]
