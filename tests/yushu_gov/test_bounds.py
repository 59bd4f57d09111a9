"""No denial of service by an ordinary user: every input is bounded, and a refusal is a clear message, never
a hung worker. The police-call import checks the archive before parsing; every free-text field has a
maximum; a PDF has a time budget; requests have a size limit."""

import io
import re
import time
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from officers.talks.models import MonthlyTalk
from yushu_gov.documents.pdf import PdfTooSlow, _renderer, render_pdf
from yushu_gov.documents.xlsx import UnsafeWorkbook, build_workbook, check_xlsx_upload
from yushu_gov.security import limits

IMPORT = reverse("communities:police_call_import")


def bomb(expanded_bytes: int, *, dimension: str = "A1:D5") -> bytes:
    """A real .xlsx whose sheet XML is padded with whitespace to `expanded_bytes` (it compresses ~1000:1)."""
    good = build_workbook("警情", ["社区", "年份", "月份", "警情接报数"], [["民主路社区", 2023, 1, 5]])
    source = zipfile.ZipFile(io.BytesIO(good))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[A-Z0-9:]+"', f'<dimension ref="{dimension}"'.encode(), data)
                head, tail = data.split(b"<sheetData>", 1)
                data = head + b"<sheetData>" + b" " * expanded_bytes + tail
            target.writestr(item.filename, data)
    return out.getvalue()


def test_a_workbook_that_expands_far_beyond_its_size_is_refused_before_parsing(client_for, reference, monkeypatch):
    content = bomb(80 * 1024 * 1024)  # 80 MB of XML (the bound is 50 MB) in well under 1 MB
    assert len(content) < 1024 * 1024
    opened = []
    real_open = zipfile.ZipFile.open
    monkeypatch.setattr(
        zipfile.ZipFile, "open", lambda self, name, *a, **k: opened.append(name) or real_open(self, name, *a, **k)
    )
    response = client_for("bureau").post(IMPORT, {"file": SimpleUploadedFile("calls.xlsx", content)})
    assert response.status_code == 200
    assert "解压后过大" in response.content.decode()
    assert opened == []  # the directory is read, no member is decompressed


def test_a_sheet_declaring_too_many_rows_or_columns_is_refused_before_parsing():
    with pytest.raises(UnsafeWorkbook, match="1048576 行"):
        check_xlsx_upload(bomb(10, dimension="A1:D1048576"), max_rows=5000, max_cols=4)
    with pytest.raises(UnsafeWorkbook, match="16384 列"):
        check_xlsx_upload(bomb(10, dimension="A1:XFD3"), max_rows=5000, max_cols=4)
    check_xlsx_upload(bomb(10, dimension="A1:D5001"), max_rows=5000, max_cols=4)  # 5,000 rows below a header


@pytest.mark.parametrize("content", [b"PK\x03\x04 not a zip", b"%PDF-1.4"])
def test_anything_but_a_workbook_is_refused_with_a_message(content, client_for, reference):
    response = client_for("bureau").post(IMPORT, {"file": SimpleUploadedFile("calls.xlsx", content)})
    assert response.status_code == 200 and "无法读取文件" in response.content.decode()


def test_a_talk_of_100000_characters_is_refused_with_a_message(client_for, jiegu_officer):
    from django.utils import timezone

    response = client_for("jiegu_clerk").post(
        reverse("talks:create"),
        {
            "officer": jiegu_officer.pk,
            "held_on": f"{timezone.localdate():%Y-%m-%d}",
            "held_time": "00:01",
            "place": "社区",
            "talker_name": "书记",
            "talker_role": "secretary",
            "topics": ["topic_safety"],
            "content": "谈" * 100_000,
        },
    )
    assert response.status_code == 200
    assert f"不超过 {limits.TALK_CONTENT} 字符 (目前字符数 100000)" in response.content.decode()
    assert not MonthlyTalk.objects.exists()


@pytest.mark.parametrize(
    "model, field, limit",
    [
        ("talks.MonthlyTalk", "content", limits.TALK_CONTENT),
        ("talks.MonthlyTalk", "officer_views", limits.TALK_NOTE),
        ("talks.MonthlyTalk", "follow_up", limits.TALK_NOTE),
        ("ledger.WorkRecord", "summary", limits.WORK_SUMMARY),
        ("officers.Appointment", "nomination_note", limits.NOTE),
        ("officers.Appointment", "closing_note", limits.NOTE),
        ("officers.AppointmentStep", "note", limits.NOTE),
        ("assessments.DutyReport", "text", limits.REPORT_TEXT),
    ],
)
def test_every_free_text_field_has_a_maximum_on_the_model(model, field, limit):
    from django.apps import apps
    from django.core.exceptions import ValidationError

    model_field = apps.get_model(model)._meta.get_field(field)
    model_field.run_validators("x" * limit)
    with pytest.raises(ValidationError):
        model_field.run_validators("x" * (limit + 1))


def test_every_text_field_of_every_form_is_bounded():
    """Every CharField of the project's forms (a field of a text widget) has a max_length."""
    import inspect

    from django import forms

    import assessments.forms
    import communities.forms
    import officers.forms
    import officers.ledger.forms
    import officers.talks.forms
    import yushu_gov.input.forms

    unbounded = []
    for module in (officers.forms, officers.talks.forms, officers.ledger.forms, assessments.forms, communities.forms,
                   yushu_gov.input.forms):  # fmt: skip
        for _name, form in inspect.getmembers(module, inspect.isclass):
            if not issubclass(form, forms.BaseForm) or form.__module__ != module.__name__:
                continue
            for field_name, field in form.base_fields.items():
                if type(field) is forms.CharField and field.max_length is None:
                    unbounded.append(f"{form.__name__}.{field_name}")
    assert unbounded == []


def test_a_pdf_past_its_time_budget_is_stopped_with_a_message(client_for, jiegu_talk, settings):
    settings.PDF_TIME_BUDGET_SECONDS = 0.001  # no document renders that fast
    started = time.monotonic()
    response = client_for("jiegu_clerk").get(reverse("talks:sheet", args=[jiegu_talk.pk]))
    assert time.monotonic() - started < 2
    assert response.status_code == 503
    assert "未能在 0.001 秒内生成 PDF" in response.content.decode()
    settings.PDF_TIME_BUDGET_SECONDS = 30  # the next document gets a fresh renderer
    response = client_for("jiegu_clerk").get(reverse("talks:sheet", args=[jiegu_talk.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_a_runaway_layout_is_killed(settings):
    settings.PDF_TIME_BUDGET_SECONDS = 1.5
    render_pdf("pdf/base.html", {})  # a warm renderer
    process = _renderer.process
    with pytest.raises(PdfTooSlow):
        _renderer.render(
            "<p>" + "谈话内容。" * 40_000 + "</p>", base_url="/", stylesheet=_stylesheet(), budget=0.5
        )  # fmt: skip
    assert process.poll() is not None  # the renderer that was busy is gone


def _stylesheet():
    from django.contrib.staticfiles import finders

    return finders.find("css/pdf.css")


def test_a_pdf_fetches_nothing_from_the_network(settings):
    content = _renderer.render(
        '<p>x</p><img src="http://169.254.169.254/latest/meta-data/">', base_url="/", stylesheet=_stylesheet(),
        budget=30,
    )  # fmt: skip
    assert content.startswith(b"%PDF")


def test_a_long_query_string_or_a_large_body_is_refused_at_once(client, reference):
    response = client.get(reverse("directory:index"), {"q": "x" * (limits.MAX_QUERY_STRING + 1)})
    assert response.status_code == 414
    response = client.generic(
        "POST", reverse("login"), b"", CONTENT_LENGTH=str(limits.MAX_REQUEST_BYTES + 1), content_type="text/plain"
    )
    assert response.status_code == 413 and "超过 12 MB" in response.content.decode()


def test_a_talk_of_the_maximum_length_prints_in_a_few_seconds(client_for, jiegu_talk, settings):
    """A long text in a table cell took WeasyPrint minutes (5,000 characters: two); the sheet now prints the
    texts as blocks below the table."""
    settings.PDF_TIME_BUDGET_SECONDS = 30
    MonthlyTalk.objects.filter(pk=jiegu_talk.pk).update(
        content="谈话内容，" * (limits.TALK_CONTENT // 5), officer_views="意见" * 1000, follow_up="跟进" * 1000
    )
    render_pdf("pdf/base.html", {})  # a warm renderer
    started = time.monotonic()
    response = client_for("jiegu_clerk").get(reverse("talks:sheet", args=[jiegu_talk.pk]))
    elapsed = time.monotonic() - started
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert elapsed < 10, elapsed
