"""The shared PDF and Excel helpers produce real files: a PDF whose text layer holds the Chinese text,
and a workbook that keeps long digit strings and formula-like text as text."""

from datetime import date
from io import BytesIO

from openpyxl import load_workbook
from pypdf import PdfReader

from yushu_gov.documents.pdf import render_pdf
from yushu_gov.documents.xlsx import build_workbook, safe_cell


def test_pdf_holds_the_chinese_text(tmp_path, settings):
    engine = dict(settings.TEMPLATES[0])
    engine["DIRS"] = [*engine["DIRS"], tmp_path]
    settings.TEMPLATES = [engine]  # assignment resets the template engines
    (tmp_path / "doc.html").write_text(
        '{% extends "pdf/base.html" %}{% block content %}<h1>任命书</h1><p>{{ name }}同志任民主路社区党支部副书记。</p>'
        "{% endblock %}",
        encoding="utf-8",
    )
    content = render_pdf("doc.html", {"name": "扎西多杰"})
    assert content.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)
    assert "扎西多杰同志任民主路社区党支部副书记" in text.replace(" ", "").replace("\n", "")


def test_workbook_keeps_long_numbers_and_escapes_formulas():
    content = build_workbook(
        "台账",
        ["编号", "内容", "人数", "日期"],
        [["632701199001011233", '=HYPERLINK("x")', 12, date(2023, 5, 1)], ["0123", "@SUM(A1)", 3, None]],
    )
    sheet = load_workbook(BytesIO(content)).active
    assert [c.value for c in sheet[1]] == ["编号", "内容", "人数", "日期"]
    assert sheet["A2"].value == "632701199001011233"
    assert sheet["A2"].data_type == "s"
    assert sheet["B2"].value == '\'=HYPERLINK("x")'
    assert sheet["C2"].value == 12
    assert sheet["A3"].value == "0123"
    assert sheet["B3"].value == "'@SUM(A1)"


def test_safe_cell():
    assert safe_cell("-5") == "'-5"
    assert safe_cell("+86 139") == "'+86 139"
    assert safe_cell(-5) == -5
    assert safe_cell(True) == "是"
    assert safe_cell("普通文本") == "普通文本"
