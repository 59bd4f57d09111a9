"""The police deputy secretary's role (民警副书记): bound to his own officer record, he sees on a phone his
community's page — his requests inbox, his talks (read-only), his work records (he adds his own; the street
sees who entered each) and his duty reports — and nothing else; ending his appointment ends his access to
the community's requests."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from communities.models import Community
from officers import services as officer_services
from officers.ledger.models import WorkRecord
from tests.factories import MonthlyTalkFactory, UserFactory, WorkRecordFactory
from yushu_gov.access.roles import Role
from yushu_gov.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_the_home_page_is_his_communitys_page(client_for, officer, resident_request):
    page = client_for("officer").get(reverse("home")).content.decode()
    assert "民主路社区" in page and "民警副书记" in page
    assert 'id="inbox-new"><a href="/requests/?state=submitted">1</a>' in page
    for url in ("requests:list", "talks:list", "work:list", "work:create", "assessments:mine"):
        assert reverse(url) in page
    nav = page.split('id="site-nav"')[1].split("</nav>")[0]
    assert "群众诉求" in nav and "我的述职" in nav and "工作台账" in nav
    for other in ("党员民警", "社区与派出所", "统计分析", "审计日志", "双述职双考核"):
        assert f">{other}<" not in nav


def test_without_a_seat_the_page_says_so(client_for, officer, jiegu_officer, city_admin):
    officer_services.appointment_end(
        appointment=jiegu_officer.appointments.get(), by=city_admin, on_date=timezone.localdate(), reason="rotation"
    )
    client = client_for("officer")
    panel = client.get(reverse("home")).content.decode().split('class="card panel officer-home"')[1]
    assert "没有在任的社区党支部副书记职务" in panel and "群众诉求收件箱" not in panel
    assert list(client.get(reverse("requests:list")).context["page"]) == []


def test_he_reads_his_own_talks_only(client_for, officer, jiegu_talk, xihang_officer, jiegu_clerk):
    other = MonthlyTalkFactory(
        officer=xihang_officer, community=Community.objects.get(name="胜利路社区"), recorded_by=jiegu_clerk
    )
    client = client_for("officer")
    listed = client.get(reverse("talks:list")).content.decode()
    assert reverse("talks:detail", args=[jiegu_talk.pk]) in listed
    assert reverse("talks:detail", args=[other.pk]) not in listed
    assert client.get(reverse("talks:detail", args=[other.pk])).status_code == 404
    detail = client.get(reverse("talks:detail", args=[jiegu_talk.pk])).content.decode()
    assert reverse("talks:edit", args=[jiegu_talk.pk]) not in detail  # read-only
    assert client.post(reverse("talks:edit", args=[jiegu_talk.pk]), {}).status_code == 403
    grid = client.get(reverse("talks:grid")).content.decode()
    assert "测试民警甲" in grid and "测试民警乙" not in grid


def test_he_adds_his_own_work_record_and_the_street_sees_who_entered_it(
    client_for, officer, jiegu_officer, xihang_officer, jiegu_clerk
):
    client = client_for("officer")
    form = client.get(reverse("work:create")).context["form"]
    assert [c.name for c in form.fields["community"].queryset] == ["民主路社区"]  # his community
    assert list(form.fields["officer"].queryset) == [jiegu_officer]  # himself
    assert form.initial["officer"] == jiegu_officer.pk  # chosen for him
    today = timezone.localdate().isoformat()
    data = {"kind": "patrol", "occurred_on": today, "summary": "夜间巡逻，联系人 13912345678", "status": "done"}
    response = client.post(
        reverse("work:create"), {**data, "community": form.initial["community"], "officer": jiegu_officer.pk}
    )
    assert response.status_code == 302
    record = WorkRecord.objects.get()
    assert (record.officer, record.created_by, record.summary) == (
        jiegu_officer,
        officer,
        "夜间巡逻，联系人 139****5678",
    )
    elsewhere = Community.objects.get(name="胜利路社区")
    refused = client.post(reverse("work:create"), {**data, "community": elsewhere.pk, "officer": xihang_officer.pk})
    assert refused.status_code == 200 and WorkRecord.objects.count() == 1
    street_list = client_for("jiegu_clerk").get(reverse("work:list")).content.decode()
    assert "录入人" in street_list and str(officer) in street_list
    assert client.get(reverse("work:edit", args=[record.pk])).status_code == 403  # the street corrects records


def test_he_sees_only_his_own_work_records(client_for, officer, jiegu_officer, xihang_officer):
    mine = WorkRecordFactory(officer=jiegu_officer, community=Community.objects.get(name="民主路社区"))
    other = WorkRecordFactory(officer=xihang_officer, community=Community.objects.get(name="胜利路社区"))
    client = client_for("officer")
    assert client.get(reverse("work:detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("work:detail", args=[other.pk])).status_code == 404
    assert list(client.get(reverse("work:list")).context["page"]) == [mine]


def test_the_rest_of_the_application_is_closed_to_him(client_for, officer, jiegu_officer):
    client = client_for("officer")
    for url in (
        reverse("officers:list"),
        reverse("officers:detail", args=[jiegu_officer.pk]),
        reverse("reports:dashboard"),
        reverse("assessments:index"),
        reverse("audit_log"),
    ):
        assert client.get(url).status_code == 403, url


def test_a_user_is_bound_to_one_street_station_or_officer(reference, jiegu_officer):
    user = UserFactory.build(username="t_two", street=reference["jiegu"], officer=jiegu_officer)
    with pytest.raises(ValidationError, match="只能绑定一个行政区域、一个街道、一个派出所或一名民警"):
        user.clean()
    UserFactory.build(username="t_one", officer=jiegu_officer).clean()


def test_the_security_administrator_binds_an_account_to_an_officer(client_for, security_admin, jiegu_officer):
    account = UserFactory(username="t_new_officer", role=Role.OFFICER)
    url = reverse("admin:yushu_gov_user_change", args=[account.pk])
    client = client_for("security_admin")
    assert 'name="officer"' in client.get(url).content.decode()
    data = {"username": account.username, "full_name": "", "email": "", "role": Role.OFFICER.value, "is_active": "on"}
    refused = client.post(url, data)
    assert refused.status_code == 200 and "民警副书记须绑定本人民警档案" in refused.content.decode()
    assert client.post(url, {**data, "officer": jiegu_officer.pk}).status_code == 302
    account.refresh_from_db()
    assert account.officer == jiegu_officer
    assert AuditEntry.objects.filter(action="yushu_gov.user.changed", object_id=str(account.pk)).exists()
