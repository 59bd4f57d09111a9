"""jiegu nominates an officer for a community of 结古街道 and completes the qualification review, in a
real browser on a phone-sized screen."""

from playwright.sync_api import expect

from officers.models import Appointment, QualificationCheck
from tests.factories import OfficerFactory


def test_jiegu_nominates_and_completes_the_qualification_review(login, demo_accounts, live_server, page):
    from communities.models import PoliceStation

    officer = OfficerFactory(name="索南达杰", station=PoliceStation.objects.get(code="jiegu"))
    page.set_viewport_size({"width": 375, "height": 800})
    login("jiegu")
    page.goto(f"{live_server.url}/officers/appointments/")
    page.get_by_role("link", name="推荐人选").click()
    page.select_option("#id_community", label="民主路社区")
    page.select_option("#id_officer", label=f"索南达杰（{officer.police_number}，结古派出所）")
    page.fill("#id_on_date", "2023年3月1日")
    page.fill("#id_reference", "街道党工委会议、派出所党支部会议")
    page.get_by_role("button", name="提交推荐").click()
    expect(page.locator(".messages")).to_contain_text("请进行资格审查")
    expect(page.locator("h1")).to_contain_text("人选推荐")

    page.get_by_role("link", name="资格审查").click()
    page.fill("#id_on_date", "2023-03-05")
    radios = page.locator("input[type=radio][value=yes]")
    assert radios.count() == 6
    for index in range(6):
        radios.nth(index).check()
    notes = page.locator(".checklist input[type=text]")
    for index in range(6):
        notes.nth(index).fill("经审查，符合")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.get_by_role("button", name="确认办理").click()
    expect(page.locator(".messages")).to_contain_text("已办理：资格审查")
    expect(page.locator("h1")).to_contain_text("资格审查通过")

    appointment = Appointment.objects.get(officer=officer)
    assert appointment.status == "reviewed"
    assert QualificationCheck.objects.filter(appointment=appointment, met=True).count() == 6
