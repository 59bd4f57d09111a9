"""Recording, changing and deleting talks: the clerk's form (field errors in Chinese, nothing typed lost),
the serving-in-the-street rule, the closed-month rule, the soft delete, and the audit log."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from communities.models import Community
from officers.talks.models import MonthlyTalk
from tests.factories import AppointmentFactory, MonthlyTalkFactory, OfficerFactory
from yushu_gov.models import AuditEntry
from yushu_gov.input.months import SHANGHAI, month_start


def form_data(officer, **overrides):
    today = timezone.localdate()
    data = {
        "officer": officer.pk,
        "held_on": today.isoformat(),
        "held_time": "00:00",
        "place": "街道党工委会议室",
        "talker_name": "才旦卓玛",
        "talker_role": "secretary",
        "topics": ["topic_party_building", "topic_public_order"],
        "other_topic": "",
        "content": "了解近期入户走访和矛盾纠纷排查情况。",
        "officer_views": "希望增加联合巡逻。",
        "follow_up": "下月回访。",
    }
    data.update(overrides)
    return data


def last_month_talk(officer, clerk):
    today = timezone.localdate()
    first = month_start(today.year, today.month)
    return MonthlyTalkFactory(
        officer=officer,
        community=Community.objects.get(name="民主路社区"),
        held_at=first - timedelta(days=3),
        recorded_by=clerk,
    )


def test_the_clerk_records_a_talk(client_for, jiegu_officer, jiegu_clerk):
    response = client_for("jiegu_clerk").post(reverse("talks:create"), form_data(jiegu_officer))
    assert response.status_code == 302
    assert response.url == reverse("talks:grid")
    talk = MonthlyTalk.objects.get()
    assert talk.community.name == "民主路社区"
    assert talk.recorded_by == jiegu_clerk
    assert talk.topic_labels == ["社区基层党建", "治安防控"]
    assert talk.held_on == timezone.localdate()
    entry = AuditEntry.objects.get(action="officers.talk.recorded")
    assert entry.actor == jiegu_clerk
    assert entry.object_id == str(talk.pk)
    assert entry.changes["talker_name"] == [None, "才旦卓玛"]


def test_the_form_preselects_the_officer_from_the_grid_link(client_for, jiegu_officer):
    response = client_for("jiegu_clerk").get(reverse("talks:create"), {"officer": jiegu_officer.pk})
    assert response.context["form"]["officer"].value() == jiegu_officer.pk


def test_bad_fields_get_chinese_messages_and_keep_what_was_typed(client_for, jiegu_officer):
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client_for("jiegu_clerk").post(
        reverse("talks:create"),
        form_data(jiegu_officer, held_on=tomorrow.isoformat(), topics=[], place="", content="谈话内容保留"),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["held_on"] == ["谈话日期不能晚于今天。"]
    assert errors["topics"] == ["请至少选择一项谈话议题。"]
    assert errors["place"] == ["这个字段是必填项。"]
    page = response.content.decode()
    assert "谈话内容保留" in page and "才旦卓玛" in page
    assert not MonthlyTalk.objects.exists()


def test_other_topic_needs_its_text(client_for, jiegu_officer):
    response = client_for("jiegu_clerk").post(
        reverse("talks:create"), form_data(jiegu_officer, topics=["topic_other"], other_topic="")
    )
    assert response.context["form"].errors["other_topic"] == ["选择“其他”议题时请填写议题内容。"]


def test_a_time_later_today_is_refused(client_for, jiegu_officer):
    with time_machine.travel(datetime(2026, 6, 15, 10, 0, tzinfo=SHANGHAI), tick=False):
        response = client_for("jiegu_clerk").post(
            reverse("talks:create"), form_data(jiegu_officer, held_on="2026-06-15", held_time="23:59")
        )
    assert response.context["form"].errors["held_time"] == ["谈话时间不能晚于现在。"]


def test_a_date_before_the_appointment_began_is_refused(client_for, reference):
    officer = OfficerFactory(station=reference["jiegu_station"])
    today = timezone.localdate()
    AppointmentFactory(officer=officer, community=Community.objects.get(name="新建路社区"), started_on=today)
    response = client_for("jiegu_clerk").post(
        reverse("talks:create"), form_data(officer, held_on=(today - timedelta(days=1)).isoformat())
    )
    assert response.status_code == 200
    [message] = response.context["form"].errors["held_on"]
    assert message.startswith("谈话日期不能早于该民警任职日期")
    assert not MonthlyTalk.objects.exists()


def test_an_officer_who_had_left_the_street_on_that_day_is_refused(client_for, reference):
    officer = OfficerFactory(station=reference["jiegu_station"])
    today = timezone.localdate()
    AppointmentFactory(
        officer=officer,
        community=Community.objects.get(name="新建路社区"),
        status="ended",
        started_on=today - timedelta(days=400),
        ended_on=today - timedelta(days=40),
    )
    response = client_for("jiegu_clerk").post(reverse("talks:create"), form_data(officer))
    assert response.context["form"].errors["officer"] == ["该民警在谈话当日未在本街道社区兼任副书记。"]


def test_a_xihang_clerk_cannot_record_a_jiegu_officers_talk(client_for, jiegu_officer, jiegu_talk):
    client = client_for("xihang_clerk")
    response = client.post(reverse("talks:create"), form_data(jiegu_officer))
    assert response.status_code == 200
    assert "officer" in response.context["form"].errors
    assert MonthlyTalk.objects.count() == 1
    # ... nor see, change or delete one: 404.
    assert client.get(reverse("talks:detail", args=[jiegu_talk.pk])).status_code == 404
    assert client.post(reverse("talks:edit", args=[jiegu_talk.pk]), form_data(jiegu_officer)).status_code == 404
    assert client.post(reverse("talks:delete", args=[jiegu_talk.pk]), {"reason": "x"}).status_code == 404
    assert jiegu_talk.pk not in [t.pk for t in client.get(reverse("talks:list")).context["page"]]


def test_a_talk_needs_a_topic_in_the_database(jiegu_talk):
    with pytest.raises(IntegrityError), transaction.atomic():
        MonthlyTalk.objects.filter(pk=jiegu_talk.pk).update(topic_party_building=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        MonthlyTalk.objects.filter(pk=jiegu_talk.pk).update(topic_other=True, other_topic="")


def test_the_clerk_changes_a_talk_of_the_open_month(client_for, jiegu_talk, jiegu_officer, jiegu_clerk):
    response = client_for("jiegu_clerk").post(
        reverse("talks:edit", args=[jiegu_talk.pk]),
        form_data(jiegu_officer, held_on=jiegu_talk.held_on.isoformat(), place="社区警务室"),
    )
    assert response.status_code == 302
    jiegu_talk.refresh_from_db()
    assert jiegu_talk.place == "社区警务室"
    entry = AuditEntry.objects.get(action="officers.talk.changed")
    assert entry.changes["place"] == ["社区党群服务中心", "社区警务室"]


def test_only_the_city_admin_changes_a_closed_months_talk_and_gives_a_reason(
    client_for, jiegu_officer, jiegu_clerk, city_admin
):
    talk = last_month_talk(jiegu_officer, jiegu_clerk)
    url = reverse("talks:edit", args=[talk.pk])
    data = form_data(jiegu_officer, held_on=talk.held_on.isoformat(), held_time="10:00", place="社区警务室")
    clerk = client_for("jiegu_clerk")
    assert clerk.get(url).status_code == 403
    assert clerk.post(url, data).status_code == 403
    assert clerk.post(reverse("talks:delete", args=[talk.pk]), {"reason": "录错"}).status_code == 403

    admin = client_for("city_admin")
    response = admin.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors["reason"] == ["修改已结束月份的谈话记录，须填写修改原因。"]
    talk.refresh_from_db()
    assert talk.place == "社区党群服务中心"

    response = admin.post(url, {**data, "reason": "街道报告地点录入有误"})
    assert response.status_code == 302
    talk.refresh_from_db()
    assert talk.place == "社区警务室"
    entry = AuditEntry.objects.get(action="officers.talk.changed_closed_month")
    assert entry.actor == city_admin
    assert entry.changes["reason"] == [None, "街道报告地点录入有误"]
    assert entry.changes["place"] == ["社区党群服务中心", "社区警务室"]


def test_the_clerk_cannot_move_a_talk_into_a_closed_month(client_for, jiegu_talk, jiegu_officer):
    earlier = (jiegu_talk.held_on - timedelta(days=1)).isoformat()
    response = client_for("jiegu_clerk").post(
        reverse("talks:edit", args=[jiegu_talk.pk]), form_data(jiegu_officer, held_on=earlier)
    )
    assert response.status_code == 200
    assert response.context["form"].errors["held_on"] == [
        "该月已结束，只有市级管理员可以修改或删除本月以前的谈话记录。"
    ]
    jiegu_talk.refresh_from_db()
    assert jiegu_talk.held_at == month_start(jiegu_talk.held_on.year, jiegu_talk.held_on.month)


def test_deleting_asks_first_then_is_soft_and_audited(client_for, jiegu_talk, jiegu_clerk):
    client = client_for("jiegu_clerk")
    url = reverse("talks:delete", args=[jiegu_talk.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert "确认删除" in response.content.decode()
    assert client.post(url, {"reason": ""}).context["form"].errors["reason"] == ["请填写删除原因。"]
    assert MonthlyTalk.objects.alive().count() == 1

    response = client.post(url, {"reason": "重复录入"})
    assert response.status_code == 302
    talk = MonthlyTalk.objects.get(pk=jiegu_talk.pk)  # still in the database
    assert talk.deleted_at is not None and talk.deleted_by == jiegu_clerk and talk.delete_reason == "重复录入"
    entry = AuditEntry.objects.get(action="officers.talk.deleted")
    assert entry.changes["reason"] == [None, "重复录入"]
    assert entry.changes["content"] == [jiegu_talk.content, None]
    # Gone from the pages and the grid.
    assert client.get(reverse("talks:detail", args=[talk.pk])).status_code == 404
    assert client.get(reverse("talks:list")).context["page"].paginator.count == 0
    (shown,) = client.get(reverse("talks:grid")).context["shown"]  # the clerk's street
    today = timezone.localdate()
    assert shown.rows[0].cells[today.month - 1].state == "due"


def test_the_city_admin_deletes_a_closed_months_talk(client_for, jiegu_officer, jiegu_clerk):
    talk = last_month_talk(jiegu_officer, jiegu_clerk)
    response = client_for("city_admin").post(reverse("talks:delete", args=[talk.pk]), {"reason": "谈话对象错误"})
    assert response.status_code == 302
    assert not MonthlyTalk.objects.alive().exists()


def test_the_record_sheet_is_a_pdf_with_the_talk(client_for, jiegu_talk):
    from io import BytesIO

    from pypdf import PdfReader

    response = client_for("bureau").get(reverse("talks:sheet", args=[jiegu_talk.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(BytesIO(response.content)).pages).replace(" ", "")
    assert "谈心谈话记录表" in text
    assert "测试民警甲" in text
    assert jiegu_talk.content in text.replace("\n", "")


def test_the_month_of_a_talk_recorded_at_half_past_midnight(client_for, jiegu_officer):
    """The clerk types the Shanghai time; the talk lands in that Shanghai month (16:30 UTC the day before)."""
    with time_machine.travel(datetime(2026, 6, 1, 9, 0, tzinfo=SHANGHAI), tick=False):
        response = client_for("jiegu_clerk").post(
            reverse("talks:create"), form_data(jiegu_officer, held_on="2026-06-01", held_time="00:30")
        )
        assert response.status_code == 302
        talk = MonthlyTalk.objects.get()
        assert talk.held_at == datetime(2026, 6, 1, 0, 30, tzinfo=SHANGHAI)
        (shown,) = client_for("jiegu_clerk").get(reverse("talks:grid")).context["shown"]
        assert shown.rows[0].cells[5].state == "done"


def test_a_jiegu_clerk_gets_404_for_a_xihang_talk(client_for, xihang_officer, xihang_clerk):
    talk = MonthlyTalkFactory(
        officer=xihang_officer,
        community=Community.objects.get(name="胜利路社区"),
        held_at=month_start(timezone.localdate().year, timezone.localdate().month),
        recorded_by=xihang_clerk,
    )
    client = client_for("jiegu_clerk")
    for name in ("talks:detail", "talks:edit", "talks:delete", "talks:sheet"):
        assert client.get(reverse(name, args=[talk.pk])).status_code == 404, name
    # ... and cannot record one for a 西杭 officer either: the officer is not among the choices.
    response = client.post(reverse("talks:create"), form_data(xihang_officer))
    assert response.status_code == 200 and "officer" in response.context["form"].errors
    assert MonthlyTalk.objects.count() == 1


def test_the_admin_site_lists_talks_read_only(client_for, jiegu_talk):
    client = client_for("city_admin")
    assert client.get(reverse("admin:talks_monthlytalk_changelist")).status_code == 200
    assert client.get(reverse("admin:talks_monthlytalk_add")).status_code == 403
