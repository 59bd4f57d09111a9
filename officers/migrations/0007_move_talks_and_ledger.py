"""The monthly talks and the work ledger move to apps of their own (officers.talks, officers.ledger).

Their tables are renamed to the new apps' names, rows and all; the models then leave this app's state, and
talks.0001 / ledger.0001 take them into theirs without touching the database."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("officers", "0006_officer_photo_random_names"),
    ]

    operations = [
        migrations.AlterModelTable(name="monthlytalk", table="talks_monthlytalk"),
        migrations.AlterModelTable(name="workrecord", table="ledger_workrecord"),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="MonthlyTalk"),
                migrations.DeleteModel(name="WorkRecord"),
            ],
        ),
    ]
