"""A real browser on a phone-sized screen: jiegu records this month's talk with an officer and the
officer's cell for this month turns from due (待谈) to done (✓)."""

from playwright.sync_api import expect

from communities.models import Community, PoliceStation
from officers.talks.models import MonthlyTalk
from tests.factories import AppointmentFactory, OfficerFactory


def test_jiegu_records_a_talk_and_the_cell_turns_done(login, demo_accounts, live_server, page):
    from django.utils import timezone

    officer = OfficerFactory(name="浏览器民警（演示）", station=PoliceStation.objects.get(name="结古派出所"))
    AppointmentFactory(officer=officer, community=Community.objects.get(name="民主路社区"))
    month = timezone.localdate().month

    page.set_viewport_size({"width": 375, "height": 740})
    login("jiegu")
    # The home page's reminder names the officer.
    expect(page.locator(".talk-reminder")).to_contain_text("浏览器民警（演示）")
    page.click(".nav-toggle")
    page.locator("#site-nav").get_by_role("link", name="谈心谈话", exact=True).click()
    cell = page.locator(f'tr[data-officer="{officer.pk}"] td[data-month="{month}"]')
    expect(cell).to_have_class("cell-due")
    expect(cell).to_have_text("待谈")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    cell.get_by_role("link").click()
    expect(page.locator("h1")).to_have_text("记录谈心谈话")
    expect(page.locator("#id_officer")).to_have_value(str(officer.pk))
    # A mistake first: no topic. The message is in Chinese and what was typed stays.
    page.fill("#id_held_time", "00:00")
    page.fill("#id_place", "街道党工委会议室")
    page.fill("#id_talker_name", "才旦卓玛")
    page.select_option("#id_talker_role", "secretary")
    page.fill("#id_content", "了解本月入户走访情况。")
    page.click(".talk-form button[type=submit]")
    expect(page.locator(".field.has-error")).to_contain_text("请至少选择一项谈话议题。")
    expect(page.locator("#id_content")).to_have_value("了解本月入户走访情况。")
    expect(page.locator("#id_place")).to_have_value("街道党工委会议室")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    page.get_by_label("平安建设").check()
    page.get_by_label("治安防控").check()
    page.click(".talk-form button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("已记录与 浏览器民警（演示） 的谈心谈话")
    expect(cell).to_have_class("cell-done")
    expect(cell).to_have_text("✓")
    talk = MonthlyTalk.objects.get(officer=officer)
    assert talk.topic_labels == ["平安建设", "治安防控"]
