"""A real browser: `bureau` enters a business score, combines and files the result, then finds it
read-only (on a 375-pixel-wide phone screen)."""

from datetime import date
from decimal import Decimal

from playwright.sync_api import expect

from assessments import services
from assessments.models import AnnualAssessment, DutyReport, Grade
from communities.models import Community
from tests.factories import AnnualAssessmentFactory, AppointmentFactory, OfficerFactory


def _ready_for_the_bureau(users):
    community = Community.objects.get(name="民主路社区")
    officer = OfficerFactory(name="浏览器测试民警（演示）")
    AppointmentFactory(officer=officer, community=community, started_on=date(2022, 7, 1))
    assessment = AnnualAssessmentFactory(officer=officer, year=2023, community=community)
    for body, by in ((DutyReport.Body.BUREAU, users["bureau"]), (DutyReport.Body.STREET, users["jiegu"])):
        current = AnnualAssessment.objects.get(pk=assessment.pk)
        services.report_update(
            assessment=current,
            body=body,
            data={"held_on": date(2024, 1, 10), "text": "述职报告", "evaluation": Grade.EXCELLENT, "file": None},
            version=current.version,
            by=by,
        )
    current = AnnualAssessment.objects.get(pk=assessment.pk)
    services.assessment_set_performance(
        assessment=current, score=Decimal("94"), version=current.version, by=users["jiegu"]
    )
    return assessment


def test_bureau_enters_the_business_score_combines_files_and_finds_it_read_only(
    login, demo_accounts, live_server, page
):
    assessment = _ready_for_the_bureau(demo_accounts)
    page.set_viewport_size({"width": 375, "height": 740})
    login("bureau")
    page.goto(f"{live_server.url}/assessments/year/2023/")
    expect(page.locator("h1")).to_have_text("2023 年度双述职双考核")
    # On a phone the year page shows its summary; a link of it lists just the records waiting.
    page.get_by_role("link", name="待公安局录入业务考核和评议").click()
    page.get_by_role("link", name="浏览器测试民警（演示）").click()
    expect(page.locator(".status-badge")).to_have_text("已述职")

    page.get_by_role("link", name="录入业务考核").click()
    # The browser itself refuses 101 (min/max on the field); the server's message is tested in test_views.
    expect(page.locator("#id_business_score")).to_have_attribute("max", "100")
    page.fill("#id_business_score", "90")
    for quarter in range(1, 5):
        page.select_option(f"#id_quarter{quarter}", "good")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".messages")).to_contain_text("已保存业务考核得分")
    expect(page.locator("#business-score")).to_have_text("90.00")
    expect(page.locator(".status-badge")).to_have_text("已评议评分")

    page.get_by_role("link", name="综合评定").click()
    page.get_by_role("button", name="计算并保存综合结果").click()
    expect(page.locator("#weighted-score")).to_have_text("92.00")
    expect(page.locator("#grade")).to_have_text("优秀")

    page.get_by_role("link", name="审定归档").click()
    page.get_by_role("button", name="审定并归档").click()
    expect(page.locator(".messages")).to_contain_text("已审定归档")
    expect(page.locator(".locked-note")).to_contain_text("只读，不能修改")
    expect(page.get_by_role("link", name="录入业务考核")).to_have_count(0)
    expect(page.get_by_role("link", name="填写述职与评议")).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    # Going to the form directly: refused with the explanation, nothing changed.
    page.goto(f"{live_server.url}/assessments/{assessment.pk}/business/")
    expect(page.locator(".messages")).to_contain_text("已审定归档，不能再修改")
    stored = AnnualAssessment.objects.get(pk=assessment.pk)
    assert stored.is_filed and stored.business_score == Decimal("90") and stored.grade == Grade.EXCELLENT
