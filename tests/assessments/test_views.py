"""The pages: who may enter what (403/404), uploads, downloads, read-only after filing, the conflict
message, the review page (cap warning, candidates, filters, query count), the export and the sheet."""

import io
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from assessments.models import AnnualAssessment, DutyReport, Grade
from communities.models import Community, PoliceStation
from tests.conftest import PDF_BYTES, download_export
from tests.factories import AnnualAssessmentFactory, OfficerFactory
from yushu_gov.models import AuditEntry

from .helpers import combine_and_file, evaluate, fresh

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessment(jiegu_officer, private_media):
    return AnnualAssessmentFactory(officer=jiegu_officer, year=2023)


def report_url(a, body):
    return reverse("assessments:report", kwargs={"pk": a.pk, "body": body})


@pytest.mark.parametrize(
    "role, body, status",
    [
        ("jiegu_clerk", "bureau", 403),  # street staff cannot enter the bureau's evaluation
        ("jiegu_clerk", "street", 200),
        ("bureau", "street", 403),  # the bureau cannot enter the street's evaluation
        ("bureau", "bureau", 200),
        ("xihang_clerk", "bureau", 404),
        ("xihang_clerk", "street", 404),
        ("city_admin", "bureau", 403),
        ("jiegu_clerk", "nonsense", 404),
    ],
)
def test_each_body_enters_its_own_report(client_for, assessment, role, body, status):
    client = client_for(role)
    assert client.get(report_url(assessment, body)).status_code == status
    response = client.post(report_url(assessment, body), {"version": 1, "held_on": "2024-01-10", "text": "x"})
    assert response.status_code == (302 if status == 200 else status)


def test_street_cannot_post_a_business_score_and_bureau_cannot_post_a_performance_score(client_for, assessment):
    url_b = reverse("assessments:business", args=[assessment.pk])
    url_p = reverse("assessments:performance", args=[assessment.pk])
    assert client_for("jiegu_clerk").post(url_b, {"version": 1, "business_score": "99"}).status_code == 403
    assert client_for("bureau").post(url_p, {"version": 1, "performance_score": "99"}).status_code == 403
    stored = fresh(assessment)
    assert stored.business_score is None and stored.performance_score is None


def test_bad_scores_get_a_chinese_message_and_keep_the_input(client_for, assessment):
    response = client_for("jiegu_clerk").post(
        reverse("assessments:performance", args=[assessment.pk]), {"version": 1, "performance_score": "101"}
    )
    assert response.status_code == 200
    assert "分数须在 0 到 100 之间" in response.content.decode()
    assert 'value="101"' in response.content.decode()


def _docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    "name, content, error",
    [
        ("report.exe", b"MZ....", "只能上传 PDF 或 Word"),
        ("report.pdf", b"MZ this is not a pdf", "文件内容与扩展名不符"),
        ("report.docx", b"PK\x03\x04not really a zip", "文件内容与扩展名不符"),
        ("report.doc", b"%PDF-1.4 a pdf named .doc", "文件内容与扩展名不符"),
        ("report.pdf", PDF_BYTES + b"0" * (10 * 1024 * 1024), "不能超过 10 MB"),
        ("report.pdf", PDF_BYTES, None),
        ("述职.docx", _docx_bytes(), None),
        ("report.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, None),
    ],
)
def test_report_uploads_are_pdf_or_word_checked_by_content(client_for, assessment, name, content, error):
    response = client_for("jiegu_clerk").post(
        report_url(assessment, "street"),
        {"version": 1, "held_on": "2024-01-12", "text": "", "file": SimpleUploadedFile(name, content)},
    )
    report = assessment.reports.get(body="street")
    if error:
        assert response.status_code == 200 and error in response.content.decode()
        assert not report.file
    else:
        assert response.status_code == 302
        assert report.file.name.startswith("private/assessments/2023/")
        assert name.rsplit(".", 1)[0] not in report.file.name  # stored under a random name, the name not kept
        assert report.download_name.startswith("2023年度述职报告-街道党工委-")


def test_uploaded_files_are_served_only_in_scope(client_for, jiegu_assessment):
    url = reverse("assessments:report_file", kwargs={"pk": jiegu_assessment.pk, "body": "street"})
    response = client_for("station_leader").get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert "attachment" in response["Content-Disposition"]
    # served under a name made from the record, never the uploaded file's own (report.pdf)
    assert "report.pdf" not in response["Content-Disposition"]
    assert response["Content-Disposition"].endswith(".pdf") and "2023" in response["Content-Disposition"]
    assert client_for("xihang_clerk").get(url).status_code == 404
    assert client_for("anonymous").get(url).status_code == 302
    # the bureau's report has no file
    other = reverse("assessments:report_file", kwargs={"pk": jiegu_assessment.pk, "body": "bureau"})
    assert client_for("bureau").get(other).status_code == 404


def test_a_filed_result_is_read_only_on_the_pages(client_for, assessment, bureau):
    combine_and_file(assessment, bureau)
    client = client_for("bureau")
    detail = client.get(reverse("assessments:detail", args=[assessment.pk])).content.decode()
    assert "只读，不能修改" in detail
    assert reverse("assessments:business", args=[assessment.pk]) not in detail
    url = reverse("assessments:business", args=[assessment.pk])
    response = client.post(url, {"version": 99, "business_score": "10", **{f"quarter{i}": "poor" for i in range(1, 5)}})
    assert response.status_code == 302
    follow = client.get(response.url).content.decode()
    assert "已审定归档，不能再修改" in follow
    assert fresh(assessment).business_score == Decimal("90")
    # only the city administrator sees the way to reopen
    assert reverse("assessments:reopen", args=[assessment.pk]) not in detail
    admin_detail = client_for("city_admin").get(reverse("assessments:detail", args=[assessment.pk])).content.decode()
    assert reverse("assessments:reopen", args=[assessment.pk]) in admin_detail


def test_reopening_through_the_page_needs_a_reason(client_for, assessment, bureau):
    combine_and_file(assessment, bureau)
    url = reverse("assessments:reopen", args=[assessment.pk])
    client = client_for("city_admin")
    version = fresh(assessment).version
    response = client.post(url, {"version": version, "reason": ""})
    assert response.status_code == 200 and "这个字段是必填项" in response.content.decode()
    assert fresh(assessment).is_filed
    assert client.post(url, {"version": version, "reason": "评议录入有误"}).status_code == 302
    assert fresh(assessment).status == "combined"
    assert client_for("bureau").post(url, {"version": version, "reason": "x"}).status_code == 403


def test_two_clerks_saving_at_once_the_second_sees_a_conflict(client_for, assessment, reference):
    from django.test import Client

    from yushu_gov.access.roles import Role

    from ..factories import UserFactory

    url = reverse("assessments:performance", args=[assessment.pk])
    first, second = client_for("jiegu_clerk"), Client()
    second.force_login(UserFactory(username="t_jiegu_2", role=Role.STREET_STAFF, street=reference["jiegu"]))
    assert 'name="version" value="1"' in first.get(url).content.decode()
    assert 'name="version" value="1"' in second.get(url).content.decode()
    assert first.post(url, {"version": 1, "performance_score": "88"}).status_code == 302
    response = second.post(url, {"version": 1, "performance_score": "66"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "他人已修改了这份考核记录" in page
    assert 'value="66"' in page  # what the second clerk typed is not lost
    assert fresh(assessment).performance_score == Decimal("88")


def test_bureau_combines_and_files_through_the_pages(client_for, assessment, jiegu_clerk):
    evaluate(assessment, jiegu_clerk)
    client = client_for("bureau")
    url = reverse("assessments:combine", args=[assessment.pk])
    assert "计算并保存综合结果" in client.get(url).content.decode()  # GET: a confirmation page
    assert fresh(assessment).status == "evaluated"
    assert client.post(url, {"version": fresh(assessment).version}).status_code == 302
    assert fresh(assessment).grade == Grade.EXCELLENT
    assert (
        client.post(
            reverse("assessments:file", args=[assessment.pk]), {"version": fresh(assessment).version}
        ).status_code
        == 302
    )
    assert fresh(assessment).is_filed
    assert AuditEntry.objects.filter(action="assessments.assessment.filed", actor__username="t_bureau").exists()


def test_the_scheme_page_refuses_changes_once_filed(client_for, assessment, bureau):
    client = client_for("city_admin")
    url = reverse("assessments:scheme", args=[2023])
    data = {
        "performance_weight": 60,
        "business_weight": 30,
        "excellent_threshold": "90",
        "competent_threshold": "75",
        "basic_threshold": "60",
        "excellent_cap_percent": 20,
        "rates_weight": 0,
        "commendation_min_grade": "excellent",
        "commendation_min_evaluation": "competent",
        "commendation_excludes_poor_quarter": "on",
    }
    response = client.post(url, data)
    assert "两项权重之和须为 100%" in response.content.decode()
    assert client.post(url, {**data, "business_weight": 40}).status_code == 302
    combine_and_file(assessment, bureau)
    assert fresh(assessment).weighted_score == Decimal("91.20")  # 92*0.6 + 90*0.4
    response = client.post(url, {**data, "performance_weight": 50, "business_weight": 50})
    assert response.status_code == 200 and "考核方案不能再修改" in response.content.decode()


# ---------------------------------------------------------------- the review page


def _year_of(n: int, *, excellent: int = 0, year: int = 2023):
    """n officers across the 结古 communities, `excellent` of them combined 优秀 and eligible."""
    communities = list(Community.objects.filter(street__name="结古街道"))
    officers = OfficerFactory.create_batch(n, station=PoliceStation.objects.get(name="结古派出所"))
    rows = AnnualAssessment.objects.bulk_create(
        [
            AnnualAssessment(
                officer=o,
                year=year,
                community=communities[i % len(communities)],
                status="combined",
                performance_score=Decimal("95") if i < excellent else Decimal("80"),
                business_score=Decimal("95") if i < excellent else Decimal("80"),
                quarter1="good",
                quarter2="good",
                quarter3="good",
                quarter4="good",
                weighted_score=Decimal("95") if i < excellent else Decimal("80"),
                grade=Grade.EXCELLENT if i < excellent else Grade.COMPETENT,
                commendation_eligible=i < excellent,
            )
            for i, o in enumerate(officers)
        ]
    )
    DutyReport.objects.bulk_create(
        [
            DutyReport(assessment=a, body=body, held_on=date(2024, 1, 10), text="述职", evaluation="competent")
            for a in rows
            for body in DutyReport.Body
        ]
    )
    return rows


def test_the_cap_warning_and_the_candidates(client_for, reference):
    _year_of(10, excellent=3)  # 30 % > 20 %
    page = client_for("bureau").get(reverse("assessments:year", args=[2023])).content.decode()
    assert "优秀比例超出上限" in page and "占 30.0%" in page
    assert page.count('class="badge badge-ok">候选') == 3
    candidates = page.split("评先评优候选人")[1].split("</ol>")[0]
    assert candidates.count("<li>") == 3
    # street staff see their street's list, without the year-wide warning
    clerk_page = client_for("jiegu_clerk").get(reverse("assessments:year", args=[2023])).content.decode()
    assert "优秀比例超出上限" not in clerk_page
    AnnualAssessment.objects.filter(grade="excellent").order_by("id").first().delete()
    AnnualAssessment.objects.filter(grade="competent").order_by("id")[0].delete()
    # 2 of 8 = 25 % still over; drop one more 优秀: 1 of 7 = 14.3 %
    AnnualAssessment.objects.filter(grade="excellent").order_by("id").first().delete()
    page = client_for("bureau").get(reverse("assessments:year", args=[2023])).content.decode()
    assert "优秀比例超出上限" not in page and "优秀占 14.3%" in page


def test_the_review_filters(client_for, reference, xihang_officer):
    _year_of(4, excellent=1)
    AnnualAssessmentFactory(officer=xihang_officer, year=2023)
    client = client_for("bureau")
    url = reverse("assessments:year", args=[2023])
    assert client.get(url).content.decode().count("/assessments/") > 5
    by_street = client.get(url, {"street": reference["xihang"].pk}).context["page"]
    assert [a.officer.name for a in by_street] == ["测试民警乙"]
    assert len(client.get(url, {"grade": "excellent"}).context["page"]) == 1
    assert len(client.get(url, {"status": "open"}).context["page"]) == 1
    assert len(client.get(url, {"station": reference["xihang_station"].pk}).context["page"]) == 1
    # street staff: their street only
    assert len(client_for("jiegu_clerk").get(url).context["page"]) == 4


def test_review_page_query_count_is_the_same_for_18_and_500_officers(client_for, reference, django_assert_num_queries):
    _year_of(18, excellent=3)
    client = client_for("bureau")
    url = reverse("assessments:year", args=[2023])
    client.get(url)  # warm the session
    # 1 session, 2 user, 3 the user's groups (role), 4 the scheme of the user's level, 5 page count, 6 the
    # states' summary, 7 grade distribution (per area), 8 the year's schemes (each level's 优秀 cap), 9 the
    # commendation candidates (officer, community joined), 10-11 the street and station filters' choices, 12 the
    # page's rows (officer, station, community, street joined), 13 their duty reports (one prefetch), 14-16 the
    # idle-timeout renewal of the session (savepoint, update, release).
    with django_assert_num_queries(16):
        response = client.get(url)
    assert response.context["page"].paginator.count == 18
    _year_of(482, excellent=90)
    with django_assert_num_queries(16):
        response = client.get(url)
    assert response.context["page"].paginator.count == 500
    assert len(response.context["page"]) == 25
    assert len(response.context["candidates"]) == 93


def test_the_export_holds_the_year(client_for, reference, jiegu_assessment, bureau):
    combine_and_file(jiegu_assessment, bureau)
    _year_of(3, excellent=1)
    response = download_export(client_for("bureau"), reverse("assessments:export", args=[2023]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][:3] == ("年度", "姓名", "警号") and "综合等次" in rows[0]
    assert len(rows) == 5
    mine = next(r for r in rows if r[1] == "测试民警甲")
    assert mine[6] == "已审定归档" and mine[-2] == "优秀" and mine[-3] == 91
    assert all("632701" not in str(cell) for row in rows for cell in row)  # no ID numbers
    # street staff export their street only
    clerk = load_workbook(
        io.BytesIO(download_export(client_for("xihang_clerk"), reverse("assessments:export", args=[2023])).content)
    )
    assert len(list(clerk.active.values)) == 1


def test_the_sheet_is_a_pdf_with_the_result(client_for, assessment, bureau):
    combine_and_file(assessment, bureau)
    response = client_for("station_leader").get(reverse("assessments:sheet", args=[assessment.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    text = text.replace(" ", "").replace("\n", "")
    assert "考核登记表" in text and "测试民警甲" in text and "91.00" in text and "优秀" in text


def test_the_home_panel_shows_the_latest_year_in_scope(client_for, jiegu_assessment, bureau):
    combine_and_file(jiegu_assessment, bureau)
    page = client_for("jiegu_clerk").get(reverse("home")).content.decode()
    assert "2023 年度" in page and reverse("assessments:year", args=[2023]) in page
    assert "尚未开启任何年度的考核" in client_for("xihang_clerk").get(reverse("home")).content.decode()
    assert "双述职双考核" not in client_for("auditor").get(reverse("home")).content.decode()


def test_the_evidence_panel_shows_the_years_talks(client_for, jiegu_assessment, jiegu_clerk):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from tests.factories import MonthlyTalkFactory

    shanghai = ZoneInfo("Asia/Shanghai")
    community = jiegu_assessment.officer.appointments.get().community
    for held in [
        datetime(2023, 1, 1, 0, 30, tzinfo=shanghai),
        datetime(2023, 6, 5, 9, tzinfo=shanghai),
        datetime(2022, 12, 31, 23, 30, tzinfo=shanghai),
        datetime(2024, 1, 1, 0, 10, tzinfo=shanghai),
    ]:
        MonthlyTalkFactory(officer=jiegu_assessment.officer, community=community, held_at=held, recorded_by=jiegu_clerk)
    response = client_for("jiegu_clerk").get(reverse("assessments:detail", args=[jiegu_assessment.pk]))
    page = response.content.decode()
    assert "2023 年度工作实绩" in page
    assert response.context["evidence"]["talk_count"] == 2  # the two talks of 2023 in Shanghai time
    assert "2023-06-05" in page and "2023-01-01" in page and "2022-12-31" not in page


def test_the_evidence_panel_counts_the_years_work_records_by_type(client_for, jiegu_assessment, reference):
    from datetime import date

    from tests.factories import WorkRecordFactory

    officer = jiegu_assessment.officer
    community = officer.appointments.get().community
    for day, kind in [(5, "patrol"), (6, "patrol"), (7, "visit")]:
        WorkRecordFactory(officer=officer, community=community, kind=kind, occurred_on=date(2023, 4, day))
    WorkRecordFactory(officer=officer, community=community, kind="patrol", occurred_on=date(2022, 4, 1))
    response = client_for("jiegu_clerk").get(reverse("assessments:detail", args=[jiegu_assessment.pk]))
    rows = {row["label"]: row["count"] for row in response.context["evidence"]["work_records_by_type"]}
    assert rows == {"治安巡逻": 2, "入户走访（敲门行动）": 1}


def test_a_station_leader_sees_only_the_station_s_officers(client_for, jiegu_assessment, xihang_officer):
    other = AnnualAssessmentFactory(officer=xihang_officer, year=2023)
    client = client_for("station_leader")
    assert client.get(reverse("assessments:detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("assessments:sheet", args=[other.pk])).status_code == 404
    assert client.get(reverse("assessments:detail", args=[jiegu_assessment.pk])).status_code == 200
    assert client.get(reverse("assessments:performance", args=[jiegu_assessment.pk])).status_code == 403
    assert [a.pk for a in client.get(reverse("assessments:year", args=[2023])).context["page"]] == [jiegu_assessment.pk]


def test_a_future_year_cannot_be_opened(client_for, jiegu_officer):
    from django.utils import timezone

    from assessments.models import AnnualAssessment

    future = timezone.localdate().year + 1
    response = client_for("bureau").post(reverse("assessments:open_year", args=[future]), follow=True)
    assert "尚未到来" in response.content.decode()
    assert not AnnualAssessment.objects.filter(year=future).exists()
