"""Excel workbooks (台账) with Chinese headers, safe to open: long digit strings are written as text
(Excel turns 18-digit numbers into 6.32701E+17), and cell values that start with =, +, - or @ are
escaped so that Excel never runs them as formulas.

Two writers: `build_workbook` holds a small sheet in memory (a template, a few hundred rows);
`write_workbook` streams any number of rows to a file in openpyxl's write-only mode, in constant memory
(the background exports, yushu_gov/documents/export_jobs.py)."""

import re
import zipfile
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

from django.http import HttpResponse
from django.utils import timezone
from django.utils.encoding import escape_uri_path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# What a clerk is told when an uploaded file is not a workbook we can read (here and in each import).
UNREADABLE = gettext_lazy("无法读取文件：请上传由模板填写的 .xlsx 文件。")
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


# --- Streaming: any number of rows, in constant memory ------------------------------------------------------

# A sheet holds at most 1,048,576 rows; a longer export continues on a second sheet (header repeated).
EXCEL_MAX_ROWS = 1_048_576
_ILLEGAL_XML = re.compile(r"[\000-\010\013\014\016-\037]")  # control characters XML cannot carry
_MAX_CELL_TEXT = 32_767  # Excel's limit for one cell


def _xml_text(text: str) -> str:
    if _ILLEGAL_XML.search(text):
        text = _ILLEGAL_XML.sub("", text)
    return text[:_MAX_CELL_TEXT].replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class _StreamingSheet(WriteOnlyWorksheet):
    """openpyxl's write-only sheet, with each row written as one piece of XML.

    openpyxl serialises every cell through an ElementTree element (about 8 µs a cell on this machine: a
    500,000-row ledger of 16 columns spent 65 s in it alone); this writes the same XML (inline strings, the
    workbook's style ids) as one string per row, through the same incremental file writer, inside the
    <sheetData> element that openpyxl opens and closes. Where that writer is lxml's, which takes no raw
    text, the rows go through openpyxl's own path, with WriteOnlyCells carrying the same styles."""

    fast = True  # False: every row through openpyxl's own path (what lxml's writer gets; the tests compare both)

    def set_styles(self, *, header: int, text: int, date: int, datetime: int) -> None:
        self._styles = {"header": header, "text": text, "date": date, "datetime": datetime}
        self._letters = [get_column_letter(n) for n in range(1, 16385)]

    def _row_xml(self, values, row_number: int, header: bool) -> str:
        styles, letters = self._styles, self._letters
        text_style = styles["header"] if header else styles["text"]
        parts = [f'<row r="{row_number}">']
        for index, value in enumerate(values):
            if value is None or value == "":
                continue
            ref = f"{letters[index]}{row_number}"
            if isinstance(value, str):
                space = ' xml:space="preserve"' if value != value.strip() else ""
                parts.append(
                    f'<c r="{ref}" s="{text_style}" t="inlineStr"><is><t{space}>{_xml_text(value)}</t></is></c>'
                )
            elif isinstance(value, datetime):
                parts.append(f'<c r="{ref}" s="{styles["datetime"]}" t="n"><v>{to_excel(value)}</v></c>')
            elif isinstance(value, date):
                parts.append(f'<c r="{ref}" s="{styles["date"]}" t="n"><v>{to_excel(value)}</v></c>')
            else:  # int, float, Decimal (safe_cell turned everything else into text)
                parts.append(f'<c r="{ref}" t="n"><v>{value}</v></c>')
        parts.append("</row>")
        return "".join(parts)

    def _styled_cells(self, values, header: bool) -> list:
        """openpyxl's own path (lxml's writer): the same values as styled WriteOnlyCells (None: no cell)."""
        cells = []
        for value in values:
            if value is None or value == "":
                cells.append(None)
                continue
            if isinstance(value, str):
                value = _ILLEGAL_XML.sub("", value)[:_MAX_CELL_TEXT]
            cell = WriteOnlyCell(self, value)
            if isinstance(value, str):
                cell.number_format = "@"
                if header:
                    cell.font = Font(bold=True)
                    cell.fill = PatternFill("solid", fgColor="F2F2F2")
                    cell.alignment = Alignment(horizontal="center", vertical="center")
            elif isinstance(value, datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(value, date):
                cell.number_format = "yyyy-mm-dd"
            cells.append(cell)
        return cells

    def _write_rows(self):
        try:
            xf = self._writer.xf.send(True)
        except StopIteration:
            self._already_saved()
        raw = getattr(xf, "_file", None) if self.fast else None  # et_xmlfile's writer: its output function
        with xf.element("sheetData"):
            row_number = 1
            try:
                while True:
                    values = yield
                    if raw is not None:
                        raw(self._row_xml(values, row_number, row_number == 1))
                    else:
                        cells = self._values_to_row(self._styled_cells(values, row_number == 1), row_number)
                        self._writer.write_row(xf, cells, row_number)
                    row_number += 1
            except GeneratorExit:
                pass
        self._writer.xf.send(None)


def _style_id(sheet, *, number_format: str, bold: bool = False) -> int:
    """Registers a cell style in the workbook and returns its id (as openpyxl would for a styled cell)."""
    cell = WriteOnlyCell(sheet, "")
    cell.number_format = number_format
    if bold:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="F2F2F2")
        cell.alignment = Alignment(horizontal="center", vertical="center")
    return cell.style_id


def write_workbook(
    target,
    *,
    title: str,
    headers: list[str],
    rows,
    column_widths: list[int] | None = None,
    progress=None,
    progress_every: int = 5000,
    max_rows_per_sheet: int = EXCEL_MAX_ROWS - 1,
) -> int:
    """Streams `rows` (iterables of values, read lazily) into an .xlsx at `target` (a path or a binary file) in
    openpyxl's write-only mode: memory stays flat whatever the row count. Cells are made safe as in
    build_workbook (safe_cell: formulas escaped, text kept as text). `progress(rows_written)` is called every
    `progress_every` rows. Returns the number of data rows written."""
    headers = [str(header) for header in headers]
    title = str(title)[:25]
    workbook = Workbook(write_only=True)

    def new_sheet(number: int) -> _StreamingSheet:
        sheet = _StreamingSheet(parent=workbook, title=title if number == 1 else f"{title} ({number})")
        workbook._add_sheet(sheet)
        sheet.set_styles(
            header=_style_id(sheet, number_format="@", bold=True),
            text=_style_id(sheet, number_format="@"),
            date=_style_id(sheet, number_format="yyyy-mm-dd"),
            datetime=_style_id(sheet, number_format="yyyy-mm-dd hh:mm"),
        )
        for index, header in enumerate(headers, start=1):
            width = column_widths[index - 1] if column_widths and index <= len(column_widths) else None
            sheet.column_dimensions[get_column_letter(index)].width = width or max(10, len(header) * 2 + 4)
        sheet.freeze_panes = "A2"
        sheet.append(headers)
        return sheet

    sheets = 1
    sheet = new_sheet(sheets)
    written = on_sheet = 0
    for row in rows:
        if on_sheet == max_rows_per_sheet:
            sheets += 1
            sheet, on_sheet = new_sheet(sheets), 0
        sheet.append([safe_cell(value) for value in row])
        written += 1
        on_sheet += 1
        if progress is not None and written % progress_every == 0:
            progress(written)
    workbook.save(target)
    return written


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
# An import's workbook is small: its parts, expanded, may hold at most this much per cell it may have, plus
# the fixed parts (styles, theme, properties). openpyxl holds every shared string and style in memory even in
# read-only mode, so their counts are bounded too, by streaming the XML before openpyxl sees it.
EXPANDED_BYTES_PER_CELL = 256
EXPANDED_FIXED_BYTES = 1024 * 1024
MAX_STYLES = 2000
_CELL_RE = re.compile(rb"<(?:\w+:)?c[\s>/]")
_ROW_RE = re.compile(rb"<(?:\w+:)?row[\s>/]")
_STRING_RE = re.compile(rb"<(?:\w+:)?si[\s>/]")
_STYLE_RE = re.compile(rb"<(?:\w+:)?xf[\s>/]")
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


def count_tags(archive: zipfile.ZipFile, member: str, pattern: re.Pattern, *, stop: int) -> int:
    """How many times `pattern` (an opening tag) occurs in a member's XML, streamed in 64 KB pieces (constant
    memory); counting stops past `stop`."""
    count, tail = 0, b""
    with archive.open(member) as stream:
        while count <= stop and (piece := stream.read(65536)):
            text = tail + piece
            cut = text.rfind(b"<")  # a tag cut in two is counted with the next piece
            cut = len(text) if cut == -1 else cut
            count += len(pattern.findall(text, 0, cut))
            tail = text[cut:]
        count += len(pattern.findall(tail))
    return count


def _tags_within(archive: zipfile.ZipFile, members, *, max_rows: int, max_cols: int) -> None:
    """Rows and cells of every sheet, shared strings and cell styles, counted before openpyxl parses them."""
    max_cells = (max_rows + 1) * max_cols
    for member in members:
        name = member.filename
        if name.startswith("xl/worksheets/") and name.endswith(".xml"):
            limits = ((_ROW_RE, max_rows * 2 + 1), (_CELL_RE, max_cells * 4))
        elif name == "xl/sharedStrings.xml":
            limits = ((_STRING_RE, max_cells),)
        elif name == "xl/styles.xml":
            limits = ((_STYLE_RE, MAX_STYLES),)
        else:
            continue
        for pattern, limit in limits:
            if count_tags(archive, name, pattern, stop=limit) > limit:
                raise UnsafeWorkbook(
                    _(
                        "表格的行、单元格或样式数量超过导入上限（%(max)s 行），不是正常的导入表格，已拒绝。"
                        "请使用页面提供的模板，分批导入。"
                    )
                    % {"max": max_rows}
                )


def check_xlsx_upload(content: bytes, *, max_rows: int, max_cols: int) -> None:
    """Refuses (UnsafeWorkbook) an .xlsx upload whose archive would expand beyond the bounds above or beyond
    what `max_rows` rows of `max_cols` columns need, whose sheets declare more than `max_rows` data rows (below
    a header) or far more columns than an import reads, or whose rows, cells, shared strings or styles, counted
    by streaming, pass their bounds: all before openpyxl parses anything."""
    try:
        archive = zipfile.ZipFile(BytesIO(content))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise UnsafeWorkbook(str(UNREADABLE)) from exc
    with archive:
        total = sum(m.file_size for m in members)
        budget = EXPANDED_FIXED_BYTES + (max_rows + 1) * max_cols * EXPANDED_BYTES_PER_CELL
        too_big = len(members) > MAX_MEMBERS or total > min(MAX_UNCOMPRESSED_BYTES, budget)
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
                    raise UnsafeWorkbook(str(UNREADABLE)) from exc
                if dimension and (dimension[0] > max_rows + 1 or dimension[1] > max_cols * 4):
                    raise UnsafeWorkbook(
                        _("表格有 %(rows)s 行、%(cols)s 列，超过导入上限（%(max)s 行）。请分批导入。")
                        % {"rows": dimension[0], "cols": dimension[1], "max": max_rows}
                    )
        try:
            _tags_within(archive, members, max_rows=max_rows, max_cols=max_cols)
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise UnsafeWorkbook(str(UNREADABLE)) from exc


def data_rows(content: bytes) -> int | None:
    """How many data rows (below the header) a workbook written by build_workbook holds, read from its sheet's
    <dimension> without parsing it (the audit entry of an export records it)."""
    try:
        with zipfile.ZipFile(BytesIO(content)) as archive:
            dimension = sheet_dimension(archive, "xl/worksheets/sheet1.xml")
    except (zipfile.BadZipFile, KeyError, OSError):
        return None
    return max(dimension[0] - 1, 0) if dimension else None
