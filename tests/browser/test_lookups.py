"""A real browser: the work ledger's officer filter is a search-as-you-type field — type initials, pick the
suggestion, and the list shows that officer's records only; the field fits a phone."""

from datetime import date

from playwright.sync_api import expect

from communities.models import Community, PoliceStation
from tests.factories import AppointmentFactory, OfficerFactory, WorkRecordFactory

from .conftest import PHONE


def test_the_clerk_picks_an_officer_by_typing_his_initials(login, demo_accounts, live_server, page):
    station = PoliceStation.objects.get(name="结古派出所")
    minzhu, xinjian = Community.objects.get(name="民主路社区"), Community.objects.get(name="新建路社区")
    wanted = OfficerFactory(name="索南达杰", station=station)
    other = OfficerFactory(name="扎西多杰", station=station)
    AppointmentFactory(officer=wanted, community=minzhu)
    AppointmentFactory(officer=other, community=xinjian)
    WorkRecordFactory(officer=wanted, community=minzhu, summary="索南的巡逻", occurred_on=date(2024, 3, 1))
    WorkRecordFactory(officer=other, community=xinjian, summary="扎西的巡逻", occurred_on=date(2024, 3, 2))
    page.set_viewport_size(PHONE)
    login("jiegu")
    page.goto(f"{live_server.url}/work/")
    page.locator("details.filter-fold summary").click()
    page.fill("#id_officer_1", "sndj")
    suggestion = page.locator(".lookup-list [role=option]", has_text="索南达杰")
    expect(suggestion).to_be_visible()
    suggestion.click()
    expect(page.locator("#id_officer_0")).to_have_value(str(wanted.pk))
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_url(f"**/work/?*officer={wanted.pk}*")
    expect(page.locator("table.table")).to_contain_text("索南的巡逻")
    expect(page.locator("table.table")).not_to_contain_text("扎西的巡逻")
    assert "officer_q" not in page.url  # the pick is sent, not the text
    expect(page.locator("#id_officer_1")).to_have_value("索南达杰")  # the pick's name is shown again
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
