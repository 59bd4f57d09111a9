"""The public directory on a resident's phone: from the login page to the community, by pinyin, a header for
residents, a tap-to-call work phone, and the Tibetan name beside the Chinese."""

from django.utils import timezone
from playwright.sync_api import expect

from communities.models import Community, PoliceStation
from tests.factories import AppointmentFactory, OfficerFactory

from .conftest import PHONE, wide_elements


def test_a_resident_finds_the_deputy_secretary_and_calls(demo_accounts, live_server, page):
    officer = OfficerFactory(
        name="尼玛扎西（演示）", name_bo="ཉི་མ་བཀྲ་ཤིས།", station=PoliceStation.objects.get(name="结古派出所"),
        work_phone="0976-8822110", directory_consent_at=timezone.now(),
    )  # fmt: skip
    AppointmentFactory(officer=officer, community=Community.objects.get(code="minzhulu"))
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/login/")
    page.get_by_role("link", name="查找社区民警副书记").click()
    expect(page.locator(".brand")).to_have_text("玉树市 · 找社区民警副书记")
    assert "管理系统" not in page.title()
    page.fill("#directory-q", "mzl")
    page.get_by_role("button", name="搜索").click()
    expect(page.locator(".community-link")).to_have_count(1)
    expect(page.locator(".community-link")).to_have_text("民主路社区")
    call = page.locator("a.tel")
    expect(call).to_have_attribute("href", "tel:09768822110")
    page.locator(".community-link").click()
    expect(page.locator("span[lang=bo]").first).to_have_text("ཉི་མ་བཀྲ་ཤིས།")
    expect(page.locator("a.tel")).to_have_text("0976-8822110")
    assert wide_elements(page) == []
    page.get_by_role("link", name="打印联系卡").click()
    expect(page.locator(".qr svg")).to_be_visible()
    assert wide_elements(page) == []
