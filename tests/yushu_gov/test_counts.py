"""The counter tables (yushu_gov/counts/monthly.py) and the two that are registered, the talks' TalkMonth and
the ledger's WorkMonth: kept by the write services in the same transaction, equal to a recount from the raw
records after writes, edits that move a record between months, communities, officers, types and states, and
deletes; `rebuild()` gives the same table as the one kept step by step, reading and writing in chunks."""

from datetime import date, datetime
from decimal import Decimal
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db.models.query import QuerySet

from communities.models import AreaCallMonth, Community
from officers.ledger.models import AreaWorkMonth, WorkMonth, WorkRecord
from officers.ledger.services import work_record_create, work_record_update
from officers.talks import counts as talk_counts
from officers.talks import services as talk_services
from officers.talks.models import AreaTalkMonth, MonthlyTalk, StreetTalkMonth, TalkMonth
from yushu_gov.counts import monthly

from ..factories import AppointmentFactory, OfficerFactory

SH = ZoneInfo("Asia/Shanghai")


def test_the_work_columns_are_the_ledgers_types_and_levels():
    columns = set(WorkMonth.count_fields())
    for kind in WorkRecord.Kind.values:
        assert {kind, f"{kind}_done"} <= columns, kind
    for severity in WorkRecord.Severity.values:
        assert f"dispute_{severity}" in columns, severity


def _work(clerk, **data) -> WorkRecord:
    defaults = {"summary": "工作", "status": WorkRecord.Status.DONE}
    return work_record_create(by=clerk, data={**defaults, **data})


def _talk(clerk, officer, street_id, held_at) -> MonthlyTalk:
    return talk_services.talk_record(
        by=clerk,
        street_id=street_id,
        data={
            "officer": officer,
            "held_at": held_at,
            "place": "社区",
            "talker_name": "书记",
            "talker_role": "secretary",
            "topic_safety": True,
            "content": "谈话",
            "officer_views": "",
            "follow_up": "",
        },
    )


def _both(read) -> dict:
    """Both registered tables, read with `read` (monthly.stored or monthly.recounted), one dict per key."""
    rows: dict = {}
    for table in monthly.registered():
        for key, amounts in read(table):
            rows.setdefault(key, {}).update(amounts)
    return rows


def _stored() -> dict:
    return _both(monthly.stored)


def _recounted() -> dict:
    return _both(monthly.recounted)


def test_both_apps_register_their_table_and_the_roll_ups_come_last():
    assert [table.label for table in monthly.registered()] == [
        "ledger.WorkMonth",
        "talks.TalkMonth",
        "communities.AreaCallMonth",  # the roll-ups up the tree, recounted after the tables they read
        "ledger.AreaWorkMonth",
        "resident_requests.AreaRequestMonth",
        "resident_requests.AreaResolveTime",
        "talks.AreaTalkMonth",
        "talks.StreetTalkMonth",
    ]


def test_the_places_floor_and_the_kernel_name_no_talk_and_no_work_record():
    """The counts live with the apps that own the words: communities' models have no count field, and the
    counter-table code of the kernel names no record of any app."""
    models = apps.get_app_config("communities").get_models()
    fields = {f.name for model in models for f in model._meta.concrete_fields}
    assert not fields & {"talks", "officer_key", *WorkMonth.count_fields()}
    for path in (Path(settings.BASE_DIR) / "yushu_gov" / "counts").glob("*.py"):
        source = path.read_text().lower()
        for word in ("talk", "officer", "communit", "ledger", "work"):
            assert word not in source, (path.name, word)


def _row(community, officer, year, month) -> dict:
    return _stored().get((community.pk, officer.pk, year, month), {})


@pytest.fixture
def two_seats(jiegu_officer, reference):
    """民主路社区 (jiegu_officer) and 红卫路社区 (another officer), both in 结古街道."""
    minzhu = Community.objects.get(name="民主路社区")
    hongwei = Community.objects.get(name="红卫路社区")
    other = OfficerFactory(name="测试民警丙", station=reference["jiegu_station"])
    AppointmentFactory(officer=other, community=hongwei)
    return minzhu, jiegu_officer, hongwei, other


def test_work_records_written_and_moved_through_the_services_keep_their_counts(two_seats, jiegu_clerk):
    minzhu, officer, hongwei, other = two_seats
    dispute = _work(
        jiegu_clerk,
        kind="dispute",
        severity="red",
        status="in_progress",
        occurred_on=date(2023, 3, 5),
        community=minzhu,
        officer=officer,
        people_reached=3,
    )
    _work(
        jiegu_clerk,
        kind="aid",
        aid_amount=Decimal("200.50"),
        households_reached=2,
        occurred_on=date(2023, 3, 9),
        community=minzhu,
        officer=officer,
    )
    patrol = _work(jiegu_clerk, kind="patrol", occurred_on=date(2023, 3, 9), community=minzhu, officer=officer)
    march = _row(minzhu, officer, 2023, 3)
    assert march == {
        "dispute": 1,
        "dispute_red": 1,
        "aid": 1,
        "aid_done": 1,
        "aid_amount": Decimal("200.50"),
        "aid_households": 2,
        "patrol": 1,
        "patrol_done": 1,
        "people_reached": 3,
        "households_reached": 2,
    }

    # The dispute moves to April, is done and resolved, and changes level: March loses it, April gains it.
    work_record_update(
        record=dispute,
        by=jiegu_clerk,
        data={"occurred_on": date(2023, 4, 1), "status": "done", "outcome": "resolved", "severity": "yellow"},
    )
    assert "dispute" not in _row(minzhu, officer, 2023, 3)
    assert _row(minzhu, officer, 2023, 4) == {
        "dispute": 1,
        "dispute_done": 1,
        "dispute_yellow": 1,
        "dispute_resolved": 1,
        "people_reached": 3,
    }
    # The patrol becomes a case of the other community, its officer and another year.
    work_record_update(
        record=patrol,
        by=jiegu_clerk,
        data={
            "kind": "case",
            "case_number": "A1",
            "community": hongwei,
            "officer": other,
            "occurred_on": date(2022, 12, 31),
        },
    )
    assert "patrol" not in _row(minzhu, officer, 2023, 3)
    assert _row(hongwei, other, 2022, 12) == {"case": 1, "case_done": 1}
    # A change the summaries do not count (the text) writes nothing to them.
    before = _stored()
    work_record_update(record=patrol, by=jiegu_clerk, data={"summary": "改写"})
    assert _stored() == before

    assert _stored() == _recounted()


def test_talks_recorded_moved_and_deleted_through_the_services_keep_their_counts(two_seats, jiegu_clerk, city_admin):
    minzhu, officer, _hongwei, _other = two_seats
    street_id = minzhu.street_id
    first = _talk(jiegu_clerk, officer, street_id, datetime(2023, 5, 4, 10, tzinfo=SH))
    _talk(jiegu_clerk, officer, street_id, datetime(2023, 5, 20, 10, tzinfo=SH))
    # 00:30 on 1 June in Shanghai is still 31 May in UTC: it counts for June.
    june = _talk(jiegu_clerk, officer, street_id, datetime(2023, 6, 1, 0, 30, tzinfo=SH))
    assert _row(minzhu, officer, 2023, 5) == {"talks": 2}
    assert _row(minzhu, officer, 2023, 6) == {"talks": 1}

    # Moved to another (closed) month by the city administrator, then one deleted.
    talk_services.talk_update(
        talk=first, by=city_admin, data={"held_at": datetime(2023, 7, 3, 9, tzinfo=SH)}, reason="日期录错"
    )
    assert _row(minzhu, officer, 2023, 5) == {"talks": 1}
    assert _row(minzhu, officer, 2023, 7) == {"talks": 1}
    talk_services.talk_delete(talk=june, by=city_admin, reason="重复录入")
    assert _row(minzhu, officer, 2023, 6) == {}
    assert _stored() == _recounted()


def test_rebuild_gives_the_table_kept_step_by_step(two_seats, jiegu_clerk):
    minzhu, officer, hongwei, other = two_seats
    for day in (1, 2, 3):
        _work(jiegu_clerk, kind="visit", occurred_on=date(2023, 1, day), community=minzhu, officer=officer)
    _work(
        jiegu_clerk, kind="hazard", occurred_on=date(2023, 2, 1), community=hongwei, officer=other, status="in_progress"
    )
    _talk(jiegu_clerk, other, hongwei.street_id, datetime(2023, 2, 2, 9, tzinfo=SH))
    kept = _stored()
    assert kept[(minzhu.pk, officer.pk, 2023, 1)] == {"visit": 3, "visit_done": 3}

    written = monthly.rebuild_all()
    assert TalkMonth.objects.count() + WorkMonth.objects.count() == 3  # 2 work rows, 1 talk row
    # The two work months rolled up to 玉树市 and to 玉树州 (no police-call figures here); the two seats' terms
    # in the talks' compliance roll-ups (one street, and up the tree).
    talk_rollups = StreetTalkMonth.objects.count() + AreaTalkMonth.objects.count()
    assert written == 3 + AreaWorkMonth.objects.count() + AreaCallMonth.objects.count() + talk_rollups
    assert (AreaWorkMonth.objects.count(), AreaCallMonth.objects.count()) == (4, 0) and talk_rollups > 0
    assert _stored() == kept
    # In batches of one row: the same table.
    for table in monthly.registered():
        monthly.rebuild(table, batch_size=1)
    assert _stored() == kept


def test_rebuild_summaries_recounts_records_inserted_in_bulk(two_seats):
    minzhu, officer, _hongwei, _other = two_seats
    WorkRecord.objects.bulk_create(
        WorkRecord(kind="patrol", occurred_on=date(2023, 8, day), community=minzhu, officer=officer, summary="巡逻")
        for day in (1, 2)
    )
    out = StringIO()
    with pytest.raises(SystemExit):  # the bulk insert bypassed the services: the check finds the difference
        call_command("rebuild_summaries", "--check", stdout=out, stderr=out)
    call_command("rebuild_summaries", stdout=out)
    assert _row(minzhu, officer, 2023, 8) == {"patrol": 2, "patrol_done": 2}
    call_command("rebuild_summaries", "--check", stdout=out)
    assert "match the records" in out.getvalue()


def test_a_row_created_meanwhile_by_another_writer_is_added_to(two_seats, monkeypatch):
    """The create-on-miss path: the UPDATE finds no row, the INSERT then meets the row another writer created
    in between (the unique constraint answers), and the amounts are added to that row."""
    minzhu, officer, _hongwei, _other = two_seats
    key = (minzhu.pk, officer.pk, 2023, 9)
    TalkMonth.objects.create(community_id=minzhu.pk, officer_id=officer.pk, year=2023, month=9, talks=1)
    real_update = QuerySet.update
    missed = []

    def update_missing_once(self, **kwargs):
        if self.model is TalkMonth and not missed:
            missed.append(1)
            return 0  # as if the other writer had not committed yet
        return real_update(self, **kwargs)

    monkeypatch.setattr(QuerySet, "update", update_missing_once)
    monthly.apply(talk_counts.TABLE, added={key: {"talks": 2}})
    assert missed == [1]
    assert _stored()[key] == {"talks": 3}
    assert TalkMonth.objects.filter(community_id=minzhu.pk, month=9).count() == 1


def test_the_recount_streams_are_merged_in_key_order_and_refused_out_of_order():
    pairs = [((1, 1, 2023, 1), {"a": 1}), ((1, 1, 2023, 1), {"a": 2, "b": 0}), ((1, 2, 2023, 1), {"a": 0})]
    assert list(monthly.merged(pairs)) == [((1, 1, 2023, 1), {"a": 3})]  # zeros and empty rows dropped
    with pytest.raises(ValueError, match="out of key order"):
        list(monthly.merged([((2, 1, 2023, 1), {"a": 1}), ((1, 1, 2023, 1), {"a": 1})]))


def test_the_check_counts_missing_extra_and_different_rows(two_seats, jiegu_clerk):
    minzhu, officer, hongwei, other = two_seats
    _work(jiegu_clerk, kind="visit", occurred_on=date(2023, 1, 5), community=minzhu, officer=officer)
    _work(jiegu_clerk, kind="visit", occurred_on=date(2023, 2, 5), community=minzhu, officer=officer)
    table = next(t for t in monthly.registered() if t.model is WorkMonth)
    assert monthly.differences(table) == 0
    WorkMonth.objects.filter(month=1).update(visit=5)  # different
    WorkMonth.objects.filter(month=2).delete()  # missing
    WorkMonth.objects.create(community=hongwei, officer=other, year=2022, month=3, patrol=1)  # extra
    assert monthly.differences(table) == 3
