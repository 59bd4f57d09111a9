"""Weak mobile networks (3,700 m): the talk form keeps an unsent draft in the browser and restores it after a
dropped connection; sending it again after the answer was lost saves once (the idempotency key travels with
the draft); a double tap saves once; the page says when it is offline."""

from playwright.sync_api import expect

from communities.models import Community, PoliceStation
from officers.talks.models import MonthlyTalk
from tests.factories import AppointmentFactory, OfficerFactory

from .conftest import PHONE


def _officer():
    officer = OfficerFactory(name="高原民警（演示）", station=PoliceStation.objects.get(name="结古派出所"))
    AppointmentFactory(officer=officer, community=Community.objects.get(name="民主路社区"))
    return officer


def _fill(page):
    page.fill("#id_held_time", "00:00")  # today, never in the future
    page.fill("#id_place", "社区警务室")
    page.fill("#id_talker_name", "才旦卓玛")
    page.select_option("#id_talker_role", "secretary")
    page.get_by_label("平安建设").check()
    page.fill("#id_content", "了解本月入户走访情况。")


def test_a_draft_survives_a_dropped_connection_and_a_retry_saves_once(login, demo_accounts, live_server, page):
    officer = _officer()
    page.set_viewport_size(PHONE)
    login("jiegu")
    form_url = f"{live_server.url}/talks/new/?officer={officer.pk}"
    page.goto(form_url)
    _fill(page)
    key = page.locator("input[name=idem_key]").input_value()

    # The connection drops while the form is sent: the browser gets no answer.
    page.route("**/talks/new/**", lambda route: route.abort() if route.request.method == "POST" else route.continue_())
    page.locator(".talk-form button[type=submit]").click()
    page.wait_for_timeout(500)
    page.unroute("**/talks/new/**")
    assert MonthlyTalk.objects.count() == 0

    # Back on the form: what was typed is there again, with the same key.
    page.goto(form_url)
    expect(page.locator(".draft-note")).to_contain_text("已恢复上次未提交成功的内容")
    expect(page.locator("#id_content")).to_have_value("了解本月入户走访情况。")
    expect(page.get_by_label("平安建设")).to_be_checked()
    assert page.locator("input[name=idem_key]").input_value() == key

    # This time the server saves it, but the answer is lost on the way back.
    def save_then_drop(route):
        if route.request.method == "POST":
            route.fetch()
            route.abort()
        else:
            route.continue_()

    page.route("**/talks/new/**", save_then_drop)
    page.locator(".talk-form button[type=submit]").click()
    page.wait_for_timeout(500)
    page.unroute("**/talks/new/**")
    assert MonthlyTalk.objects.count() == 1

    # No answer came; the clerk tries again (the browser sends the same form once more): saved once, and said so.
    page.reload()
    expect(page.locator(".messages")).to_contain_text("这份谈话记录刚才已经保存，没有重复保存。")
    assert MonthlyTalk.objects.count() == 1
    # The form opened again starts empty, with a new key: the saved draft went with the first page after it.
    page.goto(form_url)
    expect(page.locator(".draft-note")).to_have_count(0)
    expect(page.locator("#id_content")).to_have_value("")
    assert page.locator("input[name=idem_key]").input_value() != key


def test_a_form_saved_whose_answer_was_lost_says_so_when_opened_again(login, demo_accounts, live_server, page):
    officer = _officer()
    page.set_viewport_size(PHONE)
    login("jiegu")
    form_url = f"{live_server.url}/talks/new/?officer={officer.pk}"
    page.goto(form_url)
    _fill(page)

    def save_then_drop(route):
        if route.request.method == "POST":
            route.fetch()
            route.abort()
        else:
            route.continue_()

    page.route("**/talks/new/**", save_then_drop)
    page.locator(".talk-form button[type=submit]").click()
    page.wait_for_timeout(500)
    page.unroute("**/talks/new/**")
    page.goto(form_url)
    expect(page.locator(".draft-note")).to_contain_text("上次填写的内容已经保存成功，无需再次提交。")
    expect(page.locator("#id_content")).to_have_value("")
    assert MonthlyTalk.objects.count() == 1


def test_a_double_tap_saves_once(login, demo_accounts, live_server, page):
    officer = _officer()
    page.set_viewport_size(PHONE)
    login("jiegu")
    page.goto(f"{live_server.url}/talks/new/?officer={officer.pk}")
    _fill(page)
    page.locator(".talk-form button[type=submit]").dblclick()
    expect(page.locator(".messages")).to_contain_text("已记录与 高原民警（演示） 的谈心谈话")
    assert MonthlyTalk.objects.count() == 1


def test_the_page_says_when_it_is_offline_and_keeps_the_form(login, demo_accounts, live_server, page, context):
    officer = _officer()
    page.set_viewport_size(PHONE)
    login("jiegu")
    page.goto(f"{live_server.url}/talks/new/?officer={officer.pk}")
    notice = page.locator(".offline-notice")
    expect(notice).to_be_hidden()
    context.set_offline(True)
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("网络已断开")
    _fill(page)
    page.locator(".talk-form button[type=submit]").click()  # not sent into the void: kept
    expect(page.locator("#id_content")).to_have_value("了解本月入户走访情况。")
    expect(page.locator(".draft-note")).to_contain_text("网络恢复后将自动提交")
    context.set_offline(False)  # and sent by itself once the network is back (tests/browser/test_offline_drafts.py)
    expect(page.locator(".messages")).to_contain_text("已记录与")
    assert MonthlyTalk.objects.count() == 1
