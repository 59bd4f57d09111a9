"""The change history as a clerk reads it: whole values (never split one character each side of the arrow),
the actions' Chinese names, the fields' verbose names, choice labels and local times; the auditor's filters by
action and user, and the .xlsx export."""

from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from zoneinfo import ZoneInfo

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from openpyxl import load_workbook

from assessments import services as assessment_services
from officers.talks import services as talk_services
from tests.conftest import download_export
from yushu_gov.documents import export_jobs
from yushu_gov.audit.log import action_label, audit_log, change_rows
from yushu_gov.models import AuditEntry

SH = ZoneInfo("Asia/Shanghai")


def test_an_old_entry_with_bare_values_reads_whole(jiegu_assessment, client_for):
    """Entries written before every change was [old, new]: 状态 "o → p", 综合得分 "9 → 3", "优 → 秀"."""
    AuditEntry.objects.create(
        actor_name="t_bureau",
        action="assessments.assessment.combined",
        content_type=ContentType.objects.get_for_model(jiegu_assessment),
        object_id=str(jiegu_assessment.pk),
        changes={"status": "open", "weighted_score": "93.00", "reason": "优秀"},
    )
    html = client_for("bureau").get(reverse("assessments:detail", args=[jiegu_assessment.pk])).content.decode()
    assert '<span class="field-name">状态</span>: 待述职' in html
    assert '<span class="field-name">综合得分</span>: 93.00' in html
    assert '<span class="field-name">原因</span>: 优秀' in html
    for split in ("o → p", "9 → 3", "优 → 秀"):
        assert split not in html


def test_new_entries_store_old_and_new(jiegu_assessment, city_admin, bureau):
    assessment = jiegu_assessment
    assessment_services.assessment_set_business(
        assessment=assessment, score=Decimal(88), quarters=["good"] * 4, version=1, by=bureau
    )
    entry = audit_log(actor=city_admin, action="test.bare", obj=assessment, changes={"reason": "理由"})
    assert entry.changes == {"reason": [None, "理由"]}
    rows = change_rows(AuditEntry.objects.get(action="assessments.business.entered"))
    by_label = {row.label: row for row in rows}
    assert by_label["业务考核得分"].new == "88" and not by_label["业务考核得分"].has_old
    assert by_label["第一季度平时考核"].new == "好"


def test_actions_fields_and_times_as_a_clerk_reads_them(jiegu_officer, jiegu_clerk, jiegu_assessment, client_for):
    talk = talk_services.talk_record(
        by=jiegu_clerk,
        street_id=jiegu_officer.appointments.get().community.street_id,
        data={
            "officer": jiegu_officer,
            "held_at": datetime(2023, 5, 4, 10, tzinfo=SH),
            "place": "社区",
            "talker_name": "书记",
            "talker_role": "secretary",
            "topic_safety": True,
            "content": "谈话",
        },
    )
    html = client_for("jiegu_clerk").get(reverse("talks:detail", args=[talk.pk])).content.decode()
    assert "记录谈心谈话" in html and "officers.talk.recorded" not in html
    assert '<span class="field-name">谈话时间</span>: 2023-05-04 10:00' in html  # Shanghai time, not ISO
    assert "2023-05-04T02:00:00" not in html
    assert '<span class="field-name">谈话人职务</span>: 街道党工委书记' in html
    # A duty report's fields, logged on its assessment, by the report's own verbose names.
    assessment_services.report_update(
        assessment=jiegu_assessment,
        body="bureau",
        data={"held_on": date(2024, 1, 10), "text": "述职", "evaluation": "excellent"},
        version=jiegu_assessment.version,
        by=jiegu_clerk,
    )
    entry = AuditEntry.objects.get(action="assessments.report.bureau.entered")
    labels = {row.label: row.new for row in change_rows(entry)}
    assert labels["述职日期"] == "2024-01-10" and labels["评议等次"] == "优秀"
    assert action_label(entry.action) == "录入向市公安局党委的述职及评议"


def test_unknown_and_admin_actions_have_readable_names():
    assert action_label("communities.community.changed") == "修改社区（系统管理）"
    assert action_label("export.work.export") == "导出工作台账"
    assert action_label("export.something.new") == "导出文件（something.new）"
    assert action_label("something.new") == "something.new"


def test_the_auditor_filters_by_action_and_user(client_for, city_admin, jiegu_clerk):
    jiegu_clerk.full_name = "结古办事员"
    jiegu_clerk.save()
    audit_log(actor=city_admin, action="officers.officer.created", changes={})
    audit_log(actor=jiegu_clerk, action="officers.appointment.nominated", changes={})
    audit_log(actor=jiegu_clerk, action="officers.talk.changed_closed_month", changes={})
    audit_log(actor=jiegu_clerk, action="officers.talk.changed", changes={})
    client = client_for("auditor")
    page = client.get(reverse("audit_log"), {"action": "officers.talk.changed"}).context["page"]
    assert [e.action for e in page] == ["officers.talk.changed"]  # a registered action: exactly that one
    page = client.get(reverse("audit_log"), {"action": "officers.talk."}).context["page"]
    assert len(page) == 2  # a group of actions
    page = client.get(reverse("audit_log"), {"actor": "结古"}).context["page"]
    assert {e.actor_name for e in page} == {"t_jiegu"}
    html = client.get(reverse("audit_log")).content.decode()
    assert '<option value="officers.talk.recorded">记录谈心谈话</option>' in html
    assert '<option value="officers.talk.">谈心谈话（全部）</option>' in html


def test_the_auditor_exports_the_filtered_log(client_for, city_admin, nominated_appointment, auditor):
    audit_log(actor=city_admin, action="officers.officer.created", changes={})
    response = download_export(client_for("auditor"), reverse("audit_log_export"), {"actor": "t_jiegu"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    assert [c.value for c in sheet[1]] == ["时间", "账号", "操作", "对象类型", "对象", "变更内容", "IP 地址"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 1 and rows[0][1:4] == ("t_jiegu", "人选推荐", "任职（席位）")
    assert "社区：红卫路社区" in rows[0][5] and "民警：测试民警丙" in rows[0][5]
    export = AuditEntry.objects.get(action="export.audit")
    assert export.actor == auditor and export.changes == {"filters": [None, {"actor": "t_jiegu"}], "rows": [None, 1]}


def test_the_whole_log_is_exported_without_a_cap(client_for, city_admin, monkeypatch):
    """The export streams in the background: the former 10,000-row cap is gone (progress is reported as it
    goes, here every 2 rows)."""
    monkeypatch.setattr(export_jobs, "PROGRESS_EVERY", 2)
    for _n in range(5):
        audit_log(actor=city_admin, action="officers.officer.created", changes={})
    client = client_for("auditor")  # logging in is an entry too
    total = AuditEntry.objects.count()
    response = download_export(client, reverse("audit_log_export"))
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(min_row=2, values_only=True))
    assert len(rows) == total == response.job.rows_done
    assert AuditEntry.objects.get(action="export.audit").changes["rows"] == [None, total]


def test_a_value_shaped_like_a_time_but_not_one_is_shown_as_it_is(city_admin):
    entry = audit_log(actor=city_admin, action="test.note", changes={"note": [None, "2023-13-45T10:00"]})
    assert change_rows(entry)[0].new == "2023-13-45T10:00"
