"""A real browser, on 375-pixel-wide phone screens: a resident opens the page the community's QR card leads to
and reports a problem without an account; the `officer` account accepts and resolves it; the resident looks
the request up with the tracking code and rates it."""

from playwright.sync_api import expect

from communities.models import Community
from officers.resident_requests.models import ResidentRequest
from tests.factories import AppointmentFactory, OfficerFactory
from yushu_gov.models import User

PHONE = {"width": 375, "height": 740}


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url


def test_a_resident_reports_the_officer_resolves_and_the_resident_rates(
    login, demo_accounts, live_server, page, browser, settings
):
    settings.RESIDENT_REQUEST_MIN_FILL_SECONDS = 0  # a robot-fast test; the minimum fill time has its own tests
    community = Community.objects.get(code="hongweilu")
    officer = OfficerFactory(name="浏览器测试民警（演示）")
    AppointmentFactory(officer=officer, community=community)
    User.objects.filter(username="officer").update(officer=officer)

    # The resident: the QR card's page, then "反映诉求".
    first_visit = browser.new_context(viewport=PHONE, locale="zh-CN")
    resident = first_visit.new_page()
    resident.goto(f"{live_server.url}/directory/hongweilu/card/")
    qr_target = resident.locator(".qr .mono").inner_text()
    resident.goto(qr_target)
    expect(resident.locator("h1")).to_contain_text("红卫路社区")
    resident.get_by_role("link", name="反映诉求").first.click()
    _fits(resident)
    resident.get_by_label("设施").check()
    resident.fill("#id_description", "3号楼门口的路灯坏了一个多月，晚上出行不安全")
    resident.fill("#id_location", "3号楼门口")
    resident.fill("#id_resident_phone", "13912345678")
    resident.check("#id_contact_consent")
    resident.get_by_role("button", name="提交诉求").click()
    code = resident.locator("#tracking-code").inner_text().strip()
    assert code.startswith("YS-") and len(code) == len("YS-2026-000001-7KQF-M2XD")
    _fits(resident)

    # The officer: his page, the inbox, 受理, 办结.
    page.set_viewport_size(PHONE)
    login("officer")
    expect(page.locator("#inbox-new")).to_have_text("1")
    page.get_by_role("link", name="群众诉求收件箱").click()
    _fits(page)
    page.get_by_role("link", name=code.rsplit("-", 2)[0]).click()  # the number, without the secret
    expect(page.locator("#resident-contact")).to_contain_text("13912345678")  # the handling officer sees it
    page.get_by_role("link", name="受理", exact=True).click()
    page.get_by_role("button", name="确认办理").click()
    expect(page.locator(".messages")).to_contain_text("已受理")
    page.get_by_role("link", name="办结答复").click()
    page.fill("#id_reply", "已联系供电所，路灯已于今日修复。")
    page.get_by_role("button", name="确认办理").click()
    expect(page.locator(".messages")).to_contain_text("已办结并答复群众")
    expect(page.locator("h1 .badge").first).to_have_text("已办结")
    _fits(page)

    # The resident comes back later, on another browser session: the code, the reply, the rating.
    expect(resident.get_by_role("link", name="查看办理进度")).to_be_visible()
    first_visit.close()
    later = browser.new_context(viewport=PHONE, locale="zh-CN")
    resident = later.new_page()
    resident.goto(f"{live_server.url}/directory/hongweilu/")
    resident.get_by_role("link", name="查询办理进度").click()
    resident.fill("#id_code", code.lower())  # typed as it comes
    resident.get_by_role("button", name="查询").click()
    expect(resident.locator("#request-status")).to_have_text("已办结")
    expect(resident.locator("#request-reply")).to_have_text("已联系供电所，路灯已于今日修复。")
    assert "13912345678" not in resident.content() and "139****5678" not in resident.content()
    resident.get_by_label("满意", exact=True).check()
    resident.get_by_role("button", name="提交评价").click()
    expect(resident.locator(".messages")).to_contain_text("感谢您的评价")
    expect(resident.locator("#request-status")).to_have_text("已评价")
    _fits(resident)
    later.close()

    item = ResidentRequest.objects.get()
    assert (item.status, item.rating, item.community, item.officer) == ("closed", "satisfied", community, officer)
    assert list(item.steps.values_list("kind", flat=True)) == ["submitted", "accepted", "resolved", "rated"]
