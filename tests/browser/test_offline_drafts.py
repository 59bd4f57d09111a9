"""Every form that shows the offline banner keeps what was typed: the network goes (context.set_offline), the
user types, the network comes back and the page is reloaded — the text is there again; sent while offline,
the form is kept and sent by itself once the network is back, and the server saves one record. The talk and
work-record forms, the resident's request form and the officer's 述职 form."""

from datetime import date

import pytest
from playwright.sync_api import expect

from assessments.models import DutyReport
from communities.models import Community, PoliceStation
from officers.ledger.models import WorkRecord
from officers.resident_requests.models import ResidentRequest
from officers.talks.models import MonthlyTalk
from tests.factories import AnnualAssessmentFactory, AppointmentFactory, OfficerFactory
from yushu_gov.models import User

from .conftest import PHONE

PROMISE = "正在填写的内容会保存在本机"


def _officer():
    officer = OfficerFactory(name="离线测试民警（演示）", station=PoliceStation.objects.get(name="结古派出所"))
    AppointmentFactory(officer=officer, community=Community.objects.get(name="民主路社区"))
    return officer


def _offline_then_back(page, context, url, fill, check, submit, count):
    """Offline: the banner promises the draft; typed text survives a reload once back online; sent offline,
    it goes by itself once online, and exactly one record is saved."""
    page.goto(url)
    context.set_offline(True)
    expect(page.locator(".offline-notice")).to_be_visible()
    expect(page.locator(".offline-notice")).to_contain_text(PROMISE)
    fill(page)
    context.set_offline(False)
    page.reload()
    expect(page.locator(".draft-note")).to_contain_text("已恢复上次未提交成功的内容")
    check(page)
    assert count() == 0

    context.set_offline(True)
    submit(page)
    expect(page.locator(".draft-note").first).to_contain_text("网络恢复后将自动提交")
    page.wait_for_timeout(300)
    assert count() == 0
    with page.expect_navigation():
        context.set_offline(False)  # the browser's "online" event: drafts.js sends the kept form
    page.wait_for_load_state()
    assert count() == 1
    # Opened again, the form is empty: the draft went with the saved form.
    page.goto(url)
    expect(page.locator(".draft-note")).to_have_count(0)
    assert count() == 1


def test_the_talk_form(login, demo_accounts, live_server, page, context):
    officer = _officer()
    page.set_viewport_size(PHONE)
    login("jiegu")

    def fill(p):
        p.fill("#id_held_time", "00:00")
        p.fill("#id_place", "社区警务室")
        p.fill("#id_talker_name", "才旦卓玛")
        p.select_option("#id_talker_role", "secretary")
        p.get_by_label("平安建设").check()
        p.fill("#id_content", "离线时写下的谈话内容。")

    def check(p):
        expect(p.locator("#id_content")).to_have_value("离线时写下的谈话内容。")

    _offline_then_back(
        page, context, f"{live_server.url}/talks/new/?officer={officer.pk}", fill, check,
        lambda p: p.locator(".talk-form button[type=submit]").click(), MonthlyTalk.objects.count,
    )  # fmt: skip


def test_the_work_record_form(login, demo_accounts, live_server, page, context):
    officer = _officer()
    page.set_viewport_size(PHONE)
    login("jiegu")

    def fill(p):
        p.select_option("#id_kind", label="矛盾纠纷调解")
        p.fill("#id_occurred_on", date.today().isoformat())  # noqa: DTZ011
        # Offline no suggestions come: the community's full name typed is enough (the server reads it).
        p.fill("#id_community_1", "民主路社区")
        p.select_option("#id_officer", label=str(officer))
        p.fill("#id_summary", "离线时记下的调解经过")
        p.fill("#id_people_reached", "4")
        p.select_option("#id_severity", label="黄色（较大）")
        p.select_option("#id_outcome", label="调解成功")
        p.select_option("#id_status", label="已办结")

    def check(p):
        expect(p.locator("#id_summary")).to_have_value("离线时记下的调解经过")

    _offline_then_back(
        page, context, f"{live_server.url}/work/new/", fill, check,
        lambda p: p.locator("form[data-draft] button[type=submit]").first.click(), WorkRecord.objects.count,
    )  # fmt: skip


def test_the_residents_request_form(demo_accounts, live_server, page, context, settings):
    settings.RESIDENT_REQUEST_MIN_FILL_SECONDS = 0
    _officer()
    page.set_viewport_size(PHONE)

    def fill(p):
        p.get_by_label("设施").check()
        p.fill("#id_description", "离线时写下的问题：路灯坏了")

    def check(p):
        expect(p.locator("#id_description")).to_have_value("离线时写下的问题：路灯坏了")
        expect(p.get_by_label("设施")).to_be_checked()

    _offline_then_back(
        page, context, f"{live_server.url}/resident/minzhulu/", fill, check,
        lambda p: p.locator(".request-form button[type=submit]").click(), ResidentRequest.objects.count,
    )  # fmt: skip
    assert ResidentRequest.objects.get().description == "离线时写下的问题：路灯坏了"


def test_the_officers_duty_report_form(login, demo_accounts, live_server, page, context):
    officer = _officer()
    User.objects.filter(username="officer").update(officer=officer)
    assessment = AnnualAssessmentFactory(officer=officer, year=date.today().year)  # noqa: DTZ011
    page.set_viewport_size(PHONE)
    login("officer")

    def fill(p):
        p.fill("#id_text", "离线时写下的述职报告。")

    def check(p):
        expect(p.locator("#id_text")).to_have_value("离线时写下的述职报告。")

    def saved():
        return DutyReport.objects.filter(assessment=assessment, text="离线时写下的述职报告。").count()

    _offline_then_back(
        page, context, f"{live_server.url}/assessments/{assessment.pk}/report/street/write/", fill, check,
        lambda p: p.get_by_role("button", name="保存草稿").click(), saved,
    )  # fmt: skip


@pytest.mark.parametrize("path", ["/directory/"])
def test_a_page_without_a_draft_form_makes_no_promise(path, demo_accounts, live_server, page, context):
    page.goto(f"{live_server.url}{path}")
    context.set_offline(True)
    expect(page.locator(".offline-notice")).to_be_visible()
    expect(page.locator(".offline-notice")).not_to_contain_text(PROMISE)
