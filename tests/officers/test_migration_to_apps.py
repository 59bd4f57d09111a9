"""The move of the monthly talks and the work ledger out of the officers app keeps every row: a database
migrated up to just before the move, with talks, work records and their audit history in it, migrates to
the new layout with the same rows, the same ids, and the history still attached to each record."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from tests.migrating import latest, migrate_to

BEFORE = [("officers", "0006_officer_photo_random_names"), ("yushu_gov", "0002_audit_append_only")]


@pytest.mark.django_db(transaction=True)
def test_talks_and_work_records_survive_the_move_with_their_history():
    old = migrate_to(BEFORE)
    try:
        Street = old.get_model("communities", "Street")
        Community = old.get_model("communities", "Community")
        Station = old.get_model("communities", "PoliceStation")
        User = old.get_model("yushu_gov", "User")
        Officer = old.get_model("officers", "Officer")
        Talk = old.get_model("officers", "MonthlyTalk")
        Record = old.get_model("officers", "WorkRecord")
        ContentType = old.get_model("contenttypes", "ContentType")
        Entry = old.get_model("yushu_gov", "AuditEntry")

        street = Street.objects.create(code="s", name="街道")
        community = Community.objects.create(code="c", name="社区", street=street)
        station = Station.objects.create(code="p", name="派出所")
        clerk = User.objects.create(username="clerk")
        officer = Officer.objects.create(
            name="民警", gender="male", ethnicity="tibetan", police_number="700001",
            id_number="632701198805170011", mobile="13800000001", station=station,
            party_status="full", party_member_since=date(2010, 7, 1),
        )  # fmt: skip
        talks = [
            Talk.objects.create(
                officer=officer,
                community=community,
                held_at=datetime(2023, m, 3, 10, tzinfo=ZoneInfo("UTC")),
                place="社区",
                talker_name="书记",
                talker_role="secretary",
                topic_safety=True,
                content=f"第{m}次谈话",
                recorded_by=clerk,
            )  # fmt: skip
            for m in (1, 2, 3)
        ]
        record = Record.objects.create(
            kind="dispute", severity="yellow", outcome="resolved", occurred_on=date(2023, 5, 1),
            community=community, officer=officer, summary="调解纠纷", status="done", created_by=clerk,
        )  # fmt: skip
        talk_type = ContentType.objects.get_or_create(app_label="officers", model="monthlytalk")[0]
        record_type = ContentType.objects.get_or_create(app_label="officers", model="workrecord")[0]
        Entry.objects.create(
            actor=clerk, actor_name="clerk", action="officers.talk.recorded", content_type=talk_type,
            object_id=str(talks[0].pk), object_repr="民警 · 2023-01-03",
        )  # fmt: skip
        Entry.objects.create(
            actor=clerk, actor_name="clerk", action="officers.work_record.created", content_type=record_type,
            object_id=str(record.pk), object_repr="调解纠纷",
        )  # fmt: skip
        talk_ids = [t.pk for t in talks]
    finally:
        migrate_to(latest())

    from officers.ledger.models import WorkRecord
    from officers.talks.models import MonthlyTalk
    from yushu_gov.models import AuditEntry

    assert list(MonthlyTalk.objects.order_by("pk").values_list("pk", "content")) == [
        (pk, f"第{m}次谈话") for pk, m in zip(talk_ids, (1, 2, 3), strict=True)
    ]
    moved = WorkRecord.objects.get()
    assert (moved.pk, moved.summary, moved.severity) == (record.pk, "调解纠纷", "yellow")
    # The audit history follows the records to their new apps.
    [entry] = AuditEntry.objects.for_object(MonthlyTalk.objects.get(pk=talk_ids[0]))
    assert entry.action == "officers.talk.recorded"
    [entry] = AuditEntry.objects.for_object(moved)
    assert entry.action == "officers.work_record.created"
    tables = connection.introspection.table_names()
    assert {"talks_monthlytalk", "ledger_workrecord"} <= set(tables)
    assert not {"officers_monthlytalk", "officers_workrecord"} & set(tables)
