"""The frictions of a real walk, smoothed, checked on a 375-pixel-wide phone screen in Chromium."""

from datetime import date
from decimal import Decimal

from playwright.sync_api import expect

from assessments.models import AnnualAssessment
from communities.models import Community
from tests.factories import AnnualAssessmentFactory, AppointmentFactory, OfficerFactory

from .conftest import PHONE


def test_the_assessment_year_page_on_a_phone_is_a_summary_with_filters(login, demo_accounts, live_server, page):
    for index, community in enumerate(Community.objects.order_by("pk")[:6]):
        officer = OfficerFactory(name=f"年度测试民警{index}")
        AppointmentFactory(officer=officer, community=community, started_on=date(2022, 7, 1))
        AnnualAssessmentFactory(officer=officer, year=2023)
    AnnualAssessment.objects.filter(officer__name="年度测试民警0").update(performance_score=Decimal(90))
    page.set_viewport_size(PHONE)
    login("bureau")
    page.goto(f"{live_server.url}/assessments/year/2023/")
    expect(page.locator(".year-states")).to_contain_text("待述职")
    expect(page.locator(".year-list")).to_be_hidden()  # not every card on a phone
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 2000, height
    page.get_by_role("link", name="待公安局录入业务考核和评议").click()
    expect(page.locator(".year-list")).to_be_visible()
    expect(page.locator(".assessment-table tbody tr")).to_have_count(6)
    page.go_back()
    page.get_by_role("link", name="显示全部 6 人").click()
    expect(page.locator(".assessment-table tbody tr")).to_have_count(6)


def test_the_work_record_form_offers_the_officers_of_the_community_on_the_day(login, demo_accounts, live_server, page):
    minzhu = Community.objects.get(name="民主路社区")
    before = OfficerFactory(name="前任民警")
    AppointmentFactory(officer=before, community=minzhu, status="ended", ended_on=date(2023, 6, 30))
    AppointmentFactory(officer=OfficerFactory(name="现任民警"), community=minzhu, started_on=date(2023, 7, 1))
    AppointmentFactory(officer=OfficerFactory(name="邻社区民警"), community=Community.objects.get(name="新建路社区"))
    page.set_viewport_size(PHONE)
    login("jiegu")
    page.goto(f"{live_server.url}/work/new/")
    officer = page.locator("#id_officer option")
    page.fill("#id_community_1", "民主路")  # the community is picked by search-as-you-type
    page.locator(".lookup-list [role=option]", has_text="民主路社区").click()
    expect(page.locator("#id_officer option:checked")).to_contain_text("现任民警")
    expect(officer).to_have_count(2)  # the blank choice and the serving officer
    page.fill("#id_occurred_on", "2023-06-30")
    page.locator("#id_occurred_on").dispatch_event("change")
    expect(page.locator("#id_officer option:checked")).to_contain_text("前任民警")
    expect(officer).to_have_count(2)


def test_the_officer_confirms_an_irreversible_report_submission(login, demo_accounts, live_server, page):
    officer = OfficerFactory(name="述职测试民警")
    AppointmentFactory(officer=officer, community=Community.objects.get(name="民主路社区"))
    account = demo_accounts["officer"]
    account.officer = officer
    account.save()
    assessment = AnnualAssessmentFactory(officer=officer, year=2023)
    page.set_viewport_size(PHONE)
    login("officer")
    page.goto(f"{live_server.url}/assessments/{assessment.pk}/report/street/write/")
    page.fill("#id_text", "一年来的工作")
    page.get_by_role("button", name="提交", exact=True).click()
    expect(page.locator(".final-warning")).to_contain_text("本人不能再修改")
    page.get_by_role("button", name="确认提交（不能再修改）").click()
    expect(page.locator(".messages")).to_contain_text("已提交向")
    assert assessment.reports.get(body="street").submitted_at is not None


def test_the_street_registers_the_term_with_consent_and_residents_then_find_him(
    login, demo_accounts, live_server, page
):
    from officers import services as officer_services
    from officers.models import Appointment as Seat
    from tests.officers.test_workflow import advance

    community = Community.objects.get(code="hongweilu")
    for station in community.street.stations.all():
        station.phone = "0976-882 2110"
        station.save()
    nominated = officer_services.appointment_nominate(
        officer=OfficerFactory(name="新任民警"),
        community=community,
        by=demo_accounts["jiegu"],
        on_date=date(2023, 3, 1),
    )
    filed = advance(nominated, "filed", clerk=demo_accounts["jiegu"], admin=demo_accounts["admin"])
    page.set_viewport_size(PHONE)
    # Before: the residents' page gives the station's duty phone.
    page.goto(f"{live_server.url}/directory/hongweilu/")
    expect(page.locator("a.tel").first).to_have_attribute("href", "tel:09768822110")
    login("jiegu")
    page.goto(f"{live_server.url}/officers/appointments/{filed.pk}/serve/")
    expect(page.locator("#id_meeting_on")).to_have_value("2023-03-25")  # the four dates from the filing date
    expect(page.locator("#id_oath_on")).to_have_value("2023-03-25")
    page.check("#id_consent")
    page.get_by_role("button", name="确认办理").click()
    expect(page.locator(".messages")).to_contain_text("已办理")
    assert Seat.objects.get(pk=filed.pk).status == "serving"
    page.goto(f"{live_server.url}/directory/hongweilu/")
    expect(page.locator(".officer-card")).to_contain_text("新任民警")


def test_the_street_reminds_the_officer_of_an_overdue_request_from_its_to_do_item(
    login, demo_accounts, live_server, page, private_media
):
    from datetime import timedelta

    from django.utils import timezone

    from officers.resident_requests import services as request_services
    from officers.resident_requests.models import ResidentRequest

    community = Community.objects.get(name="民主路社区")
    AppointmentFactory(officer=OfficerFactory(name="诉求民警", work_phone="0976-882 3001"), community=community)
    item = request_services.request_submit(
        community=community, data={"category": "facility", "description": "路灯坏了", "contact_consent": False}
    )
    ResidentRequest.objects.filter(pk=item.pk).update(  # two days old, a day past its response deadline
        submitted_at=timezone.now() - timedelta(days=2), respond_by=timezone.now() - timedelta(days=1)
    )
    page.set_viewport_size(PHONE)
    login("jiegu")
    page.locator("#todo").get_by_role("link", name="逾期未办结的群众诉求").click()
    page.get_by_role("link", name=item.number).click()
    expect(page.locator("a.tel")).to_have_attribute("href", "tel:09768823001")
    page.get_by_role("link", name="督办", exact=True).click()
    page.fill("#id_note", "请今天联系群众")
    page.get_by_role("button", name="确认办理").click()
    expect(page.locator(".messages")).to_contain_text("已督办")
    expect(page.locator(".timeline")).to_contain_text("街道督办提醒")
