"""The police-call import bounded before openpyxl parses anything (等保): the expanded size is bounded by what
5,000 rows of 4 columns need, and the shared strings, styles, rows and cells are counted by streaming the XML.
A 1.4 MB upload of tiny shared strings cost 92 MB of memory and 12 s before."""

import io
import zipfile

import pytest
from openpyxl import Workbook

from communities import services

SST = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'


def workbook(*, strings: int = 0, styles: int = 0, extra_rows: int = 0) -> bytes:
    """The import template with one good row, and `strings` more shared strings, `styles` more cell styles,
    `extra_rows` more empty rows (none of them referenced by a cell the import reads)."""
    book = Workbook()
    sheet = book.active
    sheet.append(["社区", "年份", "月份", "警情接报数"])
    sheet.append(["民主路社区", 2023, 1, 5])
    for _ in range(extra_rows):
        sheet.append([None, None, None, 0])
    plain = io.BytesIO()
    book.save(plain)
    source = zipfile.ZipFile(io.BytesIO(plain.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/_rels/workbook.xml.rels" and strings:
                data = data.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                    b'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
                )
            if item.filename == "[Content_Types].xml" and strings:
                data = data.replace(
                    b"</Types>",
                    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
                    b'officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
                )
            if item.filename == "xl/styles.xml" and styles:
                data = data.replace(b"</cellXfs>", b'<xf numFmtId="0" fontId="0"/>' * styles + b"</cellXfs>")
            archive.writestr(item, data)
        if strings:
            archive.writestr(
                "xl/sharedStrings.xml", SST + b"".join(b"<si><t>%07d</t></si>" % n for n in range(strings)) + b"</sst>"
            )
    return out.getvalue()


def test_the_template_with_a_few_strings_still_reads():
    assert len(services.read_police_call_workbook(workbook(strings=100))) == 1


def test_a_shared_strings_bomb_of_1_4_mb_is_refused_before_parsing():
    content = workbook(strings=550_000)
    assert 1_200_000 < len(content) < 2 * 1024 * 1024  # passes the form's 2 MB limit
    with pytest.raises(services.ImportErrors) as refused:
        services.read_police_call_workbook(content)
    assert "解压后过大" in refused.value.messages[0]


def test_more_shared_strings_than_cells_are_refused():
    with pytest.raises(services.ImportErrors) as refused:
        services.read_police_call_workbook(workbook(strings=25_000))
    assert "超过导入上限" in refused.value.messages[0]


def test_thousands_of_styles_are_refused():
    with pytest.raises(services.ImportErrors) as refused:
        services.read_police_call_workbook(workbook(styles=5_000))
    assert "超过导入上限" in refused.value.messages[0]
