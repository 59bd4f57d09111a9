"""Excel workbooks (台账) with Chinese headers, safe to open: long digit strings are written as text
(Excel turns 18-digit numbers into 6.32701E+17), and cell values that start with =, +, - or @ are
escaped so that Excel never runs them as formulas."""

from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

from django.http import HttpResponse
from django.utils import timezone
from django.utils.encoding import escape_uri_path
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
