"""A real browser: 结古派出所's leader adds a mediation record on a phone-sized screen, and the
dashboard's dispute count goes up by one."""

from datetime import date

from playwright.sync_api import expect

from communities.models import Community, PoliceStation
from tests.factories import AppointmentFactory, OfficerFactory


def _dispute_count(page) -> int:
    return int(page.locator("#fig-disputes").inner_text())


def test_station_adds_a_mediation_record_and_the_dashboard_counts_it(login, demo_accounts, live_server, page):
    officer = OfficerFactory(name="浏览器测试民警", station=PoliceStation.objects.get(name="结古派出所"))
    AppointmentFactory(officer=officer, community=Community.objects.get(name="民主路社区"))
    year = date.today().year  # noqa: DTZ011 (the record is dated today, in the form's own terms)
    page.set_viewport_size({"width": 375, "height": 740})
    login("station")

    page.goto(f"{live_server.url}/reports/?year={year}")
    before = _dispute_count(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # charts and tables fit the phone
    expect(page.locator("figure.chart svg").first).to_be_visible()

    page.click(".nav-toggle")
    page.locator("#site-nav").get_by_role("link", name="工作台账", exact=True).click()
    page.get_by_role("link", name="录入", exact=True).click()
    # Only the fields the chosen type needs are shown (static/js/work_form.js).
    page.select_option("#id_kind", label="帮扶慰问")
    expect(page.locator("#id_aid_amount")).to_be_visible()
    expect(page.locator("#id_severity")).to_be_hidden()
    page.select_option("#id_kind", label="矛盾纠纷调解")
    expect(page.locator("#id_severity")).to_be_visible()
    expect(page.locator("#id_case_number")).to_be_hidden()
    page.fill("#id_occurred_on", date.today().isoformat())  # noqa: DTZ011
    # The community is a search-as-you-type field (yushu_gov/lists/lookups.py): type, pick; the officer list
    # then holds the community's officers on the day (officers/ledger/officer_choices.py).
    page.fill("#id_community_1", "minzhu")
    page.locator(".lookup-list [role=option]", has_text="民主路社区").click()
    expect(page.locator(f"#id_officer option[value='{officer.pk}']")).to_have_count(1)
    page.select_option("#id_officer", value=str(officer.pk))
    page.fill("#id_summary", "调解两户居民因停车位引发的纠纷，双方达成和解")
    page.fill("#id_people_reached", "4")
    page.select_option("#id_severity", label="黄色（较大）")
    page.select_option("#id_outcome", label="调解成功")
    page.select_option("#id_status", label="已办结")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".messages")).to_contain_text("已录入")
    expect(page.locator("h1")).to_contain_text("矛盾纠纷调解")

    page.goto(f"{live_server.url}/reports/?year={year}")
    assert _dispute_count(page) == before + 1
    expect(page.locator("#table-disputes-total")).to_have_text(str(before + 1))
