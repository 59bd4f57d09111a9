"""The work ledger: entry within the user's scope, the fields each type needs (form errors, and DB
constraints behind them), masking of residents' numbers, filters, a constant query count, the audit
trail and the .xlsx export."""

import re
from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from communities.models import Community
from officers.ledger.models import WorkRecord
from tests.conftest import download_export
from yushu_gov.models import AuditEntry

from ..factories import AppointmentFactory, OfficerFactory, WorkRecordFactory

FULL_ID = re.compile(r"632701\d{11}[\dX]")


def _form(officer, community, **overrides):
    data = {
        "kind": "dispute",
        "occurred_on": "2023年5月6日",
        "community": community.pk,
        "officer": officer.pk,
        "summary": "调解两户居民因排水引发的纠纷",
        "people_reached": "4",
        "households_reached": "2",
        "value_recovered": "",
        "severity": "blue",
        "outcome": "resolved",
        "case_number": "",
        "aid_amount": "",
        "status": "done",
    }
    data.update(overrides)
    return data


@pytest.fixture
def minzhu():
    return Community.objects.get(name="民主路社区")


def test_station_leader_adds_a_mediation_record_for_an_officer_of_the_station(
    client_for, station_leader, jiegu_officer, minzhu
):
    response = client_for("station_leader").post(reverse("work:create"), _form(jiegu_officer, minzhu))
    record = WorkRecord.objects.get()
    assert response.status_code == 302 and response.url == reverse("work:detail", args=[record.pk])
    assert (record.kind, record.severity, record.outcome, record.occurred_on) == (
        "dispute",
        "blue",
        "resolved",
        date(2023, 5, 6),
    )
    assert record.created_by == station_leader
    entry = AuditEntry.objects.get(action="officers.work_record.created")
    assert entry.actor == station_leader and entry.object_id == str(record.pk)
    assert entry.changes["severity"] == [None, "blue"]


def test_station_leader_cannot_pick_another_stations_officer(client_for, xihang_officer, minzhu):
    response = client_for("station_leader").post(reverse("work:create"), _form(xihang_officer, minzhu))
    assert response.status_code == 200
    assert "officer" in response.context["form"].errors
    assert not WorkRecord.objects.exists()


def test_street_clerk_cannot_record_in_another_street(client_for, xihang_officer):
    shengli = Community.objects.get(name="胜利路社区")
    response = client_for("jiegu_clerk").post(reverse("work:create"), _form(xihang_officer, shengli))
    form = response.context["form"]
    assert "community" in form.errors and "officer" in form.errors
    assert not WorkRecord.objects.exists()


def test_the_officer_must_serve_in_the_community(client_for, jiegu_officer):
    other = Community.objects.get(name="新建路社区")  # in 结古街道, but not 测试民警甲's seat
    response = client_for("jiegu_clerk").post(reverse("work:create"), _form(jiegu_officer, other))
    assert "未在 新建路社区 任职" in str(response.context["form"].errors["officer"])
    assert not WorkRecord.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"severity": ""}, "severity", "纠纷等级"),
        ({"outcome": ""}, "outcome", "调解结果"),
        ({"kind": "case", "severity": "", "outcome": ""}, "case_number", "案件编号"),
        ({"kind": "aid", "severity": "", "outcome": ""}, "aid_amount", "慰问金额"),
        ({"kind": "aid", "aid_amount": "-5"}, "aid_amount", "不小于0元"),
        ({"value_recovered": "-1"}, "value_recovered", "负数"),
        ({"occurred_on": "2999-01-01"}, "occurred_on", "晚于今天"),
        ({"occurred_on": "五月"}, "occurred_on", ""),
    ],
)
def test_each_type_needs_its_fields_and_nothing_typed_is_lost(
    client_for, jiegu_officer, minzhu, overrides, field, message
):
    response = client_for("jiegu_clerk").post(reverse("work:create"), _form(jiegu_officer, minzhu, **overrides))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert "调解两户居民因排水引发的纠纷" in response.content.decode()
    assert not WorkRecord.objects.exists()


def test_fields_of_other_types_are_cleared(client_for, jiegu_officer, minzhu):
    client_for("jiegu_clerk").post(
        reverse("work:create"),
        _form(jiegu_officer, minzhu, kind="patrol", severity="red", outcome="resolved", case_number="123"),
    )
    record = WorkRecord.objects.get()
    assert (record.kind, record.severity, record.outcome, record.case_number, record.aid_amount) == (
        "patrol",
        "",
        "",
        "",
        None,
    )


def test_residents_id_and_phone_numbers_are_masked_before_saving(client_for, jiegu_officer, minzhu):
    summary = "帮助居民（身份证632701199001011233，电话13912345678）办理低保"
    client_for("jiegu_clerk").post(
        reverse("work:create"), _form(jiegu_officer, minzhu, kind="difficulty", summary=summary, severity="")
    )
    record = WorkRecord.objects.get()
    assert record.summary == "帮助居民（身份证632701********1233，电话139****5678）办理低保"
    entry = AuditEntry.objects.get(action="officers.work_record.created")
    assert "632701199001011233" not in str(entry.changes) and "13912345678" not in str(entry.changes)


@pytest.mark.parametrize(
    ("fields", "constraint"),
    [
        ({"kind": "dispute", "severity": ""}, "work_record_dispute_has_severity"),
        ({"kind": "patrol", "severity": "red"}, "work_record_dispute_has_severity"),
        ({"kind": "patrol", "outcome": "resolved"}, "work_record_outcome_only_for_disputes"),
        (
            {"kind": "dispute", "severity": "red", "status": "done", "outcome": ""},
            "work_record_done_dispute_has_outcome",
        ),
        ({"kind": "case", "case_number": ""}, "work_record_case_has_number"),
        ({"kind": "aid", "aid_amount": None}, "work_record_aid_has_amount"),
        ({"kind": "aid", "aid_amount": Decimal("-1")}, "work_record_aid_has_amount"),
        ({"value_recovered": Decimal("-1")}, "work_record_value_recovered_not_negative"),
    ],
)
def test_the_rules_are_database_constraints(jiegu_officer, minzhu, fields, constraint):
    with pytest.raises(IntegrityError), transaction.atomic():
        WorkRecordFactory(officer=jiegu_officer, community=minzhu, **fields)


def test_street_clerk_changes_a_record_and_the_change_is_in_its_history(
    client_for, jiegu_clerk, jiegu_work_record, jiegu_officer, minzhu
):
    client = client_for("jiegu_clerk")
    response = client.post(
        reverse("work:edit", args=[jiegu_work_record.pk]),
        _form(jiegu_officer, minzhu, severity="red", occurred_on="2023-05-10"),
    )
    assert response.status_code == 302
    jiegu_work_record.refresh_from_db()
    assert jiegu_work_record.severity == "red"
    entry = AuditEntry.objects.get(action="officers.work_record.changed")
    assert entry.changes["severity"] == ["yellow", "red"] and entry.actor == jiegu_clerk
    page = client.get(reverse("work:detail", args=[jiegu_work_record.pk])).content.decode()
    assert "修改工作台账" in page and "officers.work_record.changed" not in page


def _summaries(response):
    return sorted(r.summary for r in response.context["page"])


@pytest.fixture
def ledger(jiegu_officer, xihang_officer, minzhu):
    shengli = Community.objects.get(name="胜利路社区")
    WorkRecordFactory(officer=jiegu_officer, community=minzhu, summary="甲巡逻", occurred_on=date(2023, 1, 5))
    WorkRecordFactory(
        officer=jiegu_officer,
        community=minzhu,
        kind="case",
        case_number="632701202300000123",
        summary="甲案件",
        occurred_on=date(2023, 3, 5),
    )
    WorkRecordFactory(officer=xihang_officer, community=shengli, summary="乙巡逻", occurred_on=date(2022, 8, 1))
    WorkRecordFactory(
        officer=xihang_officer,
        community=shengli,
        kind="aid",
        aid_amount=Decimal("500"),
        summary="=乙慰问",
        occurred_on=date(2023, 2, 1),
    )


def test_list_is_scoped_by_role(client_for, ledger):
    url = reverse("work:list")
    everyone = ["=乙慰问", "乙巡逻", "甲巡逻", "甲案件"]
    assert _summaries(client_for("city_admin").get(url)) == sorted(everyone)
    assert _summaries(client_for("bureau").get(url)) == sorted(everyone)
    assert _summaries(client_for("jiegu_clerk").get(url)) == ["甲巡逻", "甲案件"]
    assert _summaries(client_for("xihang_clerk").get(url)) == ["=乙慰问", "乙巡逻"]
    assert _summaries(client_for("station_leader").get(url)) == ["甲巡逻", "甲案件"]


def test_list_filters(client_for, ledger, reference, jiegu_officer):
    client = client_for("city_admin")
    url = reverse("work:list")
    assert _summaries(client.get(url, {"kind": "case"})) == ["甲案件"]
    assert _summaries(client.get(url, {"street": reference["xihang"].pk})) == ["=乙慰问", "乙巡逻"]
    minzhu = Community.objects.get(name="民主路社区")
    assert _summaries(client.get(url, {"community": minzhu.pk})) == ["甲巡逻", "甲案件"]
    assert _summaries(client.get(url, {"officer": jiegu_officer.pk})) == ["甲巡逻", "甲案件"]
    assert _summaries(client.get(url, {"date_from": "2023-02-01", "date_to": "2023-03-31"})) == ["=乙慰问", "甲案件"]
    assert _summaries(client.get(url, {"date_to": "2022-12-31"})) == ["乙巡逻"]


def test_list_paginates(client_for, jiegu_officer, minzhu):
    WorkRecordFactory.create_batch(30, officer=jiegu_officer, community=minzhu)
    response = client_for("city_admin").get(reverse("work:list"))
    assert len(response.context["page"]) == 25 and response.context["page"].paginator.count == 30


@pytest.mark.parametrize("role", ["city_admin", "jiegu_clerk", "station_leader"])
def test_list_query_count_is_the_same_for_1_and_40_records(
    role, client_for, jiegu_officer, minzhu, django_assert_num_queries
):
    # 9 queries: session, user, the user's groups (role); the page's capped count; the filter form's
    # streets (the community and the officer are search-as-you-type fields: no options to read); the
    # page's records (community, street, officer and author joined); the session's save (savepoint,
    # update, release).
    client = client_for(role)
    WorkRecordFactory(officer=jiegu_officer, community=minzhu)
    client.get(reverse("work:list"))  # warm the session (and the to-do count the navigation keeps in it)
    with django_assert_num_queries(9):
        client.get(reverse("work:list"))
    for officer in OfficerFactory.create_batch(3, station=jiegu_officer.station):
        AppointmentFactory(officer=officer, community=minzhu, status="ended", ended_on=date(2023, 1, 1))
        WorkRecordFactory.create_batch(13, officer=officer, community=minzhu)
    with django_assert_num_queries(9):
        response = client.get(reverse("work:list"))
    assert response.context["page"].paginator.count == 40
    # A picked officer (?officer=id, as the search-as-you-type field sends it) costs one query: his name.
    with django_assert_num_queries(10):
        picked = client.get(reverse("work:list"), {"officer": officer.pk})
    assert picked.context["page"].paginator.count == 13
    assert f'value="{officer.name}"' in picked.content.decode()


def test_export_has_chinese_headers_text_numbers_and_escaped_formulas(client_for, ledger):
    response = download_export(client_for("city_admin"), reverse("work:export"), {"date_from": "2023-01-01"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    headers = [c.value for c in sheet[1]]
    assert headers[:7] == ["日期", "工作类型", "街道", "社区", "民警", "警号", "工作内容"]
    rows = {r[6]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert set(rows) == {"甲巡逻", "甲案件", "'=乙慰问"}  # 乙巡逻 (2022) filtered out; formula escaped
    case = rows["甲案件"]
    assert case[headers.index("案件编号")] == "632701202300000123"
    assert case[headers.index("工作类型")] == "治安案件查处"
    assert rows["'=乙慰问"][headers.index("慰问金额（元）")] == 500
    column = sheet[get_column_letter(headers.index("案件编号") + 1)]
    case_cell = next(c for c in column if c.value == "632701202300000123")
    assert case_cell.data_type == "s"


def test_export_is_scoped_and_never_holds_full_numbers(client_for, jiegu_officer, minzhu, ledger):
    client_for("jiegu_clerk").post(
        reverse("work:create"),
        _form(jiegu_officer, minzhu, kind="difficulty", severity="", summary="居民632701199001011233求助"),
    )
    response = download_export(client_for("jiegu_clerk"), reverse("work:export"))
    sheet = load_workbook(BytesIO(response.content)).active
    text = " ".join(str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None)
    assert "乙巡逻" not in text and "甲巡逻" in text
    assert "632701********1233" in text and not FULL_ID.search(text.replace("632701202300000123", ""))


def test_a_record_must_fall_within_the_officers_time_in_the_community(client_for, jiegu_officer, minzhu):
    from officers.models import Appointment

    Appointment.objects.filter(officer=jiegu_officer).update(
        status="ended", ended_on=date(2023, 6, 30), end_reason="rotation"
    )
    client = client_for("jiegu_clerk")
    after = client.post(reverse("work:create"), _form(jiegu_officer, minzhu, occurred_on="2023-07-01"))
    assert "在 2023-07-01 未在 民主路社区 任职" in str(after.context["form"].errors["officer"])
    before_start = client.post(reverse("work:create"), _form(jiegu_officer, minzhu, occurred_on="2022-06-30"))
    assert "未在 民主路社区 任职" in str(before_start.context["form"].errors["officer"])
    assert (
        client.post(reverse("work:create"), _form(jiegu_officer, minzhu, occurred_on="2023-06-30")).status_code == 302
    )
    assert WorkRecord.objects.count() == 1
