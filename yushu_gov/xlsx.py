"""Excel workbooks (台账) with Chinese headers, safe to open: long digit strings are written as text
(Excel turns 18-digit numbers into 6.32701E+17), and cell values that start with =, +, - or @ are
escaped so that Excel never runs them as formulas."""

import re
import zipfile
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

from django.http import HttpResponse
from django.utils import timezone
from django.utils.encoding import escape_uri_path
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """A value ready for a cell: numbers and dates as they are; text escaped and kept as text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float | Decimal):
        return value
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, date):
        return value
    text = str(value)
    if text.startswith(_FORMULA_STARTS):
        return "'" + text
    return text


def build_workbook(title: str, headers: list[str], rows, *, column_widths: list[int] | None = None) -> bytes:
    """One sheet: a bold header row, then the rows (iterables of values). Text cells use the text format,
    so Excel keeps long digit strings (ID numbers, case numbers) exactly as written."""
    headers = [str(header) for header in headers]  # translatable headers arrive as lazy strings
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(title)[:31]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="F2F2F2")
        cell.alignment = Alignment(horizontal="center", vertical="center")
    for row_number, row in enumerate(rows, start=2):
        values = [safe_cell(v) for v in row]
        sheet.append(values)
        # sheet[sheet.max_row] would rescan every cell for each row (quadratic); address the row directly.
        cells = (sheet.cell(row=row_number, column=column) for column in range(1, len(values) + 1))
        for cell, value in zip(cells, values, strict=True):
            if isinstance(value, str):
                cell.number_format = "@"
            elif isinstance(value, datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(value, date):
                cell.number_format = "yyyy-mm-dd"
    for index, header in enumerate(headers, start=1):
        width = (column_widths or [])[index - 1] if column_widths and index <= len(column_widths) else None
        sheet.column_dimensions[get_column_letter(index)].width = width or max(10, len(header) * 2 + 4)
    sheet.freeze_panes = "A2"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{escape_uri_path(filename)}"
    return response


# --- Reading uploads safely, and counting what was written -------------------------------------------------

# An upload is an archive of XML files: a few kilobytes can expand to gigabytes ("zip bomb"). These bounds are
# checked on the archive's directory before anything is decompressed or parsed.
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024  # the whole workbook, expanded
MAX_MEMBER_BYTES = 30 * 1024 * 1024  # any one file inside it
MAX_COMPRESSION_RATIO = 100  # a real sheet compresses 5–20 times
MAX_MEMBERS = 200
_DIMENSION_RE = re.compile(rb'<(?:\w+:)?dimension ref="([A-Z]{1,3})(\d{1,7})(?::([A-Z]{1,3})(\d{1,7}))?"')


class UnsafeWorkbook(ValueError):
    """An upload refused before parsing; the message says why, in the user's language."""


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters.decode():
        number = number * 26 + ord(letter) - 64
    return number


def sheet_dimension(archive: zipfile.ZipFile, member: str) -> tuple[int, int] | None:
    """(rows, columns) as the sheet declares them in its <dimension> element (the first few kilobytes of its
    XML), or None when it does not declare them."""
    with archive.open(member) as stream:
        head = stream.read(4096)
    match = _DIMENSION_RE.search(head)
    if match is None:
        return None
    first_col, first_row, last_col, last_row = match.groups()
    last_col, last_row = last_col or first_col, last_row or first_row
    return int(last_row), _column_number(last_col)


def check_xlsx_upload(content: bytes, *, max_rows: int, max_cols: int) -> None:
    """Refuses (UnsafeWorkbook) an .xlsx upload whose archive would expand beyond the bounds above, or whose
    sheets declare more than `max_rows` data rows (below a header) or far more columns than an import reads,
    before anything is decompressed or parsed."""
    try:
        archive = zipfile.ZipFile(BytesIO(content))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise UnsafeWorkbook(_("无法读取文件：请上传由模板填写的 .xlsx 文件。")) from exc
    with archive:
        total = sum(m.file_size for m in members)
        too_big = len(members) > MAX_MEMBERS or total > MAX_UNCOMPRESSED_BYTES
        for member in members:
            ratio = member.file_size / max(member.compress_size, 1)
            if member.file_size > MAX_MEMBER_BYTES or (
                member.file_size > 1024 * 1024 and ratio > MAX_COMPRESSION_RATIO
            ):
                too_big = True
        if too_big:
            raise UnsafeWorkbook(
                _("文件解压后过大（%(mb)s MB），不是正常的导入表格，已拒绝。请使用页面提供的模板，按月分批导入。")
                % {"mb": total // (1024 * 1024)}
            )
        for member in members:
            if member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml"):
                try:
                    dimension = sheet_dimension(archive, member.filename)
                except (zipfile.BadZipFile, OSError, EOFError) as exc:
                    raise UnsafeWorkbook(_("无法读取文件：请上传由模板填写的 .xlsx 文件。")) from exc
                if dimension and (dimension[0] > max_rows + 1 or dimension[1] > max_cols * 4):
                    raise UnsafeWorkbook(
                        _("表格有 %(rows)s 行、%(cols)s 列，超过导入上限（%(max)s 行）。请分批导入。")
                        % {"rows": dimension[0], "cols": dimension[1], "max": max_rows}
                    )


def data_rows(content: bytes) -> int | None:
    """How many data rows (below the header) a workbook written by build_workbook holds, read from its sheet's
    <dimension> without parsing it (the audit entry of an export records it)."""
    try:
        with zipfile.ZipFile(BytesIO(content)) as archive:
            dimension = sheet_dimension(archive, "xl/worksheets/sheet1.xml")
    except (zipfile.BadZipFile, KeyError, OSError):
        return None
    return max(dimension[0] - 1, 0) if dimension else None
