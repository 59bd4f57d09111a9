"""The officer's two duty reports (述职报告) of the year, which he writes or uploads himself and submits to the
street and the bureau: a draft he may change, a submission he may not; the bodies then hold and evaluate them;
a filed result stays locked, by the service and by the database's triggers (which the migration that added
`submitted_at` kept)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from assessments import services
from assessments.models import DutyReport
from tests.factories import AnnualAssessmentFactory
from yushu_gov.models import AuditEntry

from ..conftest import PDF_BYTES, close_download
from .helpers import combine_and_file, fresh

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessment(jiegu_officer):
    return AnnualAssessmentFactory(officer=jiegu_officer, year=2023)


def _write(client, assessment, body, data):
    return client.post(reverse("assessments:report_write", args=[assessment.pk, body]), data)


def test_he_drafts_then_submits_his_street_report(client_for, officer, assessment, private_media):
    client = client_for("officer")
    mine = client.get(reverse("assessments:mine")).content.decode()
    assert "2023 年度" in mine and "撰写述职报告" in mine
    url = reverse("assessments:report_write", args=[assessment.pk, "street"])
    assert client.get(url).status_code == 200
    response = _write(client, assessment, "street", {"version": assessment.version, "text": "初稿", "save": ""})
    assert response.status_code == 302
    report = DutyReport.objects.get(assessment=assessment, body="street")
    assert (report.text, report.submitted_at) == ("初稿", None)
    upload = SimpleUploadedFile("述职报告.pdf", PDF_BYTES, content_type="application/pdf")
    data = {"version": fresh(assessment).version, "text": "一年来，联系 13912345678", "file": upload, "submit": ""}
    # 提交 cannot be undone: it asks first, saying so, with what was typed kept as a draft.
    asked = _write(client, assessment, "street", data)
    assert asked.status_code == 200 and "本人不能再修改" in asked.content.decode()
    report.refresh_from_db()
    assert report.submitted_at is None and report.file.name.endswith(".pdf")
    confirm = {"version": fresh(assessment).version, "text": report.text, "confirmed": "1", "submit": ""}
    assert _write(client, assessment, "street", confirm).status_code == 302
    report.refresh_from_db()
    assert report.submitted_at is not None and report.file.name.endswith(".pdf")
    assert "述职报告" not in report.file.name  # stored under a generated name, never the uploaded one
    assert report.text == "一年来，联系 139****5678"
    assert report.held_on is None and fresh(assessment).status == "open"  # the street holds the 述职 next
    assert list(AuditEntry.objects.for_object(assessment).values_list("action", flat=True).order_by("id")) == [
        "assessments.report.street.drafted",
        "assessments.report.street.drafted",
        "assessments.report.street.submitted",
    ]
    # submitted: no longer his to change
    again = _write(client, assessment, "street", {"version": fresh(assessment).version, "text": "改", "save": ""})
    assert again.status_code == 409 and DutyReport.objects.get(pk=report.pk).text == "一年来，联系 139****5678"
    file_url = reverse("assessments:report_file", args=[assessment.pk, "street"])
    download = client.get(file_url)
    assert download.status_code == 200
    close_download(download)
    # the street sees what he submitted, and when
    detail = client_for("jiegu_clerk").get(reverse("assessments:detail", args=[assessment.pk])).content.decode()
    assert "本人提交" in detail and f"{report.submitted_at:%Y}" in detail and "一年来" in detail


def test_an_empty_report_cannot_be_submitted(officer, assessment):
    with pytest.raises(ValidationError) as caught:
        services.report_write(
            assessment=assessment,
            body="bureau",
            data={"text": "  "},
            submit=True,
            version=assessment.version,
            by=officer,
        )
    assert "请填写述职报告内容" in str(caught.value)


def test_only_his_own_assessment(client_for, officer, xihang_officer, private_media):
    other = AnnualAssessmentFactory(officer=xihang_officer, year=2023)
    assert client_for("officer").get(reverse("assessments:report_write", args=[other.pk, "street"])).status_code == 404
    with pytest.raises(ValidationError, match="只能撰写本人的述职报告"):
        services.report_write(assessment=other, body="street", data={"text": "x"}, submit=False, version=1, by=officer)
    assert client_for("jiegu_clerk").get(reverse("assessments:mine")).status_code == 403


def test_once_held_by_the_body_the_report_is_the_bodys(client_for, officer, assessment, jiegu_clerk):
    services.report_update(
        assessment=assessment,
        body="street",
        data={"held_on": date(2024, 1, 10), "text": "街道整理的述职", "evaluation": "", "file": None},
        version=assessment.version,
        by=jiegu_clerk,
    )
    page = client_for("officer").get(reverse("assessments:mine")).content.decode()
    assert "已述职" in page and reverse("assessments:report_write", args=[assessment.pk, "street"]) not in page
    with pytest.raises(ValidationError, match="已提交或述职已举行"):
        current = fresh(assessment)
        services.report_write(
            assessment=current, body="street", data={"text": "x"}, submit=True, version=current.version, by=officer
        )


def test_a_filed_result_is_locked_for_him_by_the_service_and_the_database(officer, assessment, bureau):
    filed = combine_and_file(assessment, bureau)
    with pytest.raises(ValidationError, match="已审定归档"):
        services.report_write(
            assessment=filed, body="street", data={"text": "x"}, submit=False, version=filed.version, by=officer
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        DutyReport.objects.filter(assessment=filed).update(text="改写")
    if connection.vendor == "sqlite":  # the column was added without rebuilding the table: triggers kept
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'assessments_dutyreport'"
            )
            assert {row[0] for row in cursor.fetchall()} == {
                "yushu_report_filed_locked_insert",
                "yushu_report_filed_locked_update",
            }


def test_two_pages_at_once_the_second_gets_a_conflict(officer, assessment):
    version = assessment.version
    services.report_write(
        assessment=assessment, body="street", data={"text": "一"}, submit=False, version=version, by=officer
    )
    with pytest.raises(ValidationError, match="他人已修改"):
        services.report_write(
            assessment=assessment, body="bureau", data={"text": "二"}, submit=False, version=version, by=officer
        )


def test_his_report_sent_twice_is_saved_once(client_for, officer, assessment, private_media):
    # The draft sent again once the network is back, after the first answer was lost: the same key, an old
    # version — saved once, without a conflict.
    client = client_for("officer")
    url = reverse("assessments:report_write", args=[assessment.pk, "street"])
    key = client.get(url).context["form"].initial["idem_key"]
    data = {"version": assessment.version, "text": "离线写的初稿", "save": "", "idem_key": key}
    assert _write(client, assessment, "street", data).status_code == 302
    assert _write(client, assessment, "street", data).status_code == 302
    actions = list(AuditEntry.objects.for_object(assessment).values_list("action", flat=True))
    assert actions == ["assessments.report.street.drafted"]
    assert DutyReport.objects.get(assessment=assessment, body="street").text == "离线写的初稿"
