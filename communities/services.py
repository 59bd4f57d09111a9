"""Writes to the organisation tree (an area and its path; a subtree moved under another parent), and to the
police-call figures (警情接报数): typed in one at a time, or imported from the bureau's .xlsx. An import checks
every row first and saves nothing unless every row is good."""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from io import BytesIO

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _
from django.utils.translation import override

from communities.messages import COMMUNITY_LABEL, YEAR_LABEL
from yushu_gov.audit.log import audit_log
from yushu_gov.documents.xlsx import UNREADABLE, UnsafeWorkbook, check_xlsx_upload
from yushu_gov.input.labels import INCIDENT_COUNT, MONTH_LABEL
from yushu_gov.input.months import MAX_YEAR, MIN_YEAR

from . import counts, rollups
from .models import AREA_NAME_TAKEN, PATH_SEPARATOR, Area, Community, PoliceCallCount

# The template's headers (communities/exports.py). The import reads a sheet headed in Chinese or in the
# user's language.
IMPORT_HEADERS = [COMMUNITY_LABEL, YEAR_LABEL, MONTH_LABEL, INCIDENT_COUNT]
IMPORT_MAX_ROWS = 5000


def area_create(*, code: str, name: str, kind: str, parent: Area | None = None, **fields) -> Area:
    """Adds an area to the tree under `parent` (None: a root) with its materialised path: the parent's path and
    its own id. Two statements: the id is known once the row is in. It moves only through area_move."""
    with transaction.atomic():
        area = Area.objects.create(
            code=code, name=name, kind=kind, parent=parent, depth=0 if parent is None else parent.depth + 1,
            path=f"new-{code}", **fields,
        )  # fmt: skip
        area.path = f"{parent.path if parent else ''}{area.pk}{PATH_SEPARATOR}"
        area.save(update_fields=["path"])
    return area


@transaction.atomic
def area_move(*, area: Area, new_parent: Area | None, by=None) -> Area:
    """Hangs `area` and everything below it under `new_parent` (None: makes it a root): one UPDATE rewrites the
    subtree's paths (the new prefix joined to what followed the old one, on SQLite and PostgreSQL alike) and
    depths. A plain string replace would be wrong: the old path "1.5." also occurs inside "1.5.21.5.". Refuses
    a move under the area itself or below it. The streets, stations and accounts follow their areas (they hold
    the area's id, not its path). Audited when `by` is given (a person's act)."""
    area = Area.objects.select_for_update().get(pk=area.pk)
    if new_parent is not None:
        new_parent = Area.objects.get(pk=new_parent.pk)  # its path as it stands now
        if new_parent.path.startswith(area.path):
            raise ValidationError(_("不能把区域“%(area)s”移到它自己或它的下级之下。") % {"area": area.name})
    before = area.parent_id
    old_path = area.path
    new_path = f"{new_parent.path if new_parent else ''}{area.pk}{PATH_SEPARATOR}"
    shift = (0 if new_parent is None else new_parent.depth + 1) - area.depth
    try:
        with transaction.atomic():
            Area.objects.filter(path__startswith=old_path).update(
                path=Concat(Value(new_path), Substr("path", len(old_path) + 1)), depth=F("depth") + shift
            )
            Area.objects.filter(pk=area.pk).update(parent=new_parent)
    except IntegrityError:
        raise ValidationError(AREA_NAME_TAKEN) from None
    area.refresh_from_db()
    rollups.subtree_moved(area.pk, old_path, area.path)  # the subtree's figures now count under its new parent
    if by is not None:
        audit_log(
            actor=by, action="communities.area.moved", obj=area,
            changes={"parent": [before, area.parent_id], "path": [old_path, area.path]},
        )  # fmt: skip
    return area


@dataclass
class ImportRow:
    number: int  # the row's number in the sheet (the header is row 1)
    community: object
    year: object
    month: object
    count: object


@dataclass
class ImportResult:
    created: int = 0
    months: list = field(default_factory=list)  # the (year, month) pairs the file held
    replaced: dict = field(default_factory=dict)  # (year, month) -> number of rows replaced


class ImportErrors(ValidationError):
    """Every bad row's message, in row order."""


def read_police_call_workbook(content: bytes) -> list[ImportRow]:
    """The data rows of the first sheet (empty rows skipped). Raises ImportErrors for an unreadable file
    or wrong headers. The archive's expanded sizes and the sheet's declared rows and columns are checked
    before anything is parsed (an .xlsx of 2 MB can expand to gigabytes), the sheet is read in read-only
    mode, only the template's columns, and never more rows than an import may hold."""
    from openpyxl import load_workbook

    try:
        check_xlsx_upload(content, max_rows=IMPORT_MAX_ROWS, max_cols=len(IMPORT_HEADERS))
    except UnsafeWorkbook as exc:
        raise ImportErrors([str(exc)]) from exc
    try:
        sheet = load_workbook(BytesIO(content), read_only=True, data_only=True).worksheets[0]
    except Exception as exc:  # openpyxl raises many kinds of errors for a file that is not a workbook
        raise ImportErrors([str(UNREADABLE)]) from exc
    rows = sheet.iter_rows(max_col=len(IMPORT_HEADERS), values_only=True)
    header = [str(v).strip() if v is not None else "" for v in next(rows, ())][: len(IMPORT_HEADERS)]
    expected = [str(h) for h in IMPORT_HEADERS]
    with override("zh-hans"):
        chinese = [str(h) for h in IMPORT_HEADERS]
    if header not in (expected, chinese):
        raise ImportErrors([_("第1行表头应为：%(headers)s。请使用页面提供的模板。") % {"headers": "、".join(expected)}])
    result = []
    for number, values in enumerate(rows, start=2):
        if number > IMPORT_MAX_ROWS * 2:  # a sheet whose declared size lied: blank rows count too
            raise _too_many_rows()
        values = list(values[: len(IMPORT_HEADERS)]) + [None] * (len(IMPORT_HEADERS) - len(values))
        if all(v is None or str(v).strip() == "" for v in values):
            continue
        result.append(ImportRow(number, *values))
        if len(result) > IMPORT_MAX_ROWS:
            raise _too_many_rows()
    if not result:
        raise ImportErrors([_("文件中没有数据行。")])
    return result


# A community's calls in one month; far above any real figure, well inside the database's integer range.
MAX_MONTHLY_CALLS = 100_000


def _too_many_rows() -> ImportErrors:
    return ImportErrors([_("文件行数超过 %(max)s 行，请分批导入。") % {"max": IMPORT_MAX_ROWS}])


def _whole_number(value, *, suffix: str = "") -> int | None:
    """An integer from a cell: 12, 12.0, "12", "12月". None when it is not a whole number."""
    if value is None:
        return None
    if isinstance(value, bool):
        return None
    text = str(value).strip()
    if suffix and text.endswith(suffix):
        text = text[: -len(suffix)].strip()
    try:
        number = Decimal(text)
        if not number.is_finite() or number != number.to_integral_value():
            return None  # Infinity, NaN, 12.5
    except InvalidOperation:
        return None
    return int(number)


@transaction.atomic
def police_calls_import(*, rows: list[ImportRow], by) -> ImportResult:
    """Checks every row — the community exists in the user's scope, year and month are valid, the count is
    a whole number not below zero, no community and month appears twice — and raises ImportErrors with all
    the problems by row number. Only when every row is good, replaces the figures of each month in the file
    (all of that month's figures in the user's scope) with the file's."""
    communities = {c.name: c for c in Community.objects.visible_to(by)}
    errors: list[str] = []
    seen: dict[tuple, int] = {}
    good: list[PoliceCallCount] = []
    for row in rows:
        problems = []
        name = str(row.community).strip() if row.community is not None else ""
        community = communities.get(name)
        if not name:
            problems.append(_("社区名称为空"))
        elif community is None:
            problems.append(_("社区“%(name)s”不存在或不在您的管辖范围") % {"name": name})
        year = _whole_number(row.year, suffix="年")
        month = _whole_number(row.month, suffix="月")
        if year is None or not MIN_YEAR <= year <= MAX_YEAR:
            problems.append(_("年份“%(value)s”无效（应为如 2023 的四位数字）") % {"value": row.year or ""})
        if month is None or not 1 <= month <= 12:
            problems.append(
                _("月份“%(value)s”无效（应为1至12）") % {"value": row.month if row.month is not None else ""}
            )
        count = _whole_number(row.count)
        if row.count is None or str(row.count).strip() == "":
            problems.append(_("警情接报数为空"))
        elif count is None:
            problems.append(_("警情接报数“%(value)s”不是整数") % {"value": row.count})
        elif count < 0:
            problems.append(_("警情接报数不能为负数（%(value)s）") % {"value": count})
        elif count > MAX_MONTHLY_CALLS:
            problems.append(_("警情接报数“%(value)s”过大，请核对") % {"value": count})
        if community is not None and year is not None and month is not None:
            key = (community.pk, year, month)
            if key in seen:
                problems.append(_("与第%(other)s行重复（同一社区同一月份）") % {"other": seen[key]})
            else:
                seen[key] = row.number
        if problems:
            errors.append(_("第%(row)s行：%(problems)s。") % {"row": row.number, "problems": "；".join(problems)})
        else:
            good.append(PoliceCallCount(community=community, year=year, month=month, count=count, updated_by=by))
    if errors:
        raise ImportErrors(errors)

    months = sorted({(c.year, c.month) for c in good})
    result = ImportResult(created=len(good), months=months)
    in_scope = PoliceCallCount.objects.visible_to(by)
    replaced: dict[int, tuple] = {}
    for year, month in months:
        ids = list(in_scope.filter(year=year, month=month).values_list("pk", flat=True))
        # Lock the month's rows (a plain query: FOR UPDATE cannot follow a scope's DISTINCT).
        rows = PoliceCallCount.objects.select_for_update().filter(pk__in=ids)
        replaced |= {pk: (c, y, m) for pk, c, y, m in rows.values_list("pk", "community_id", "year", "month")}
        if ids:
            result.replaced[(year, month)] = len(ids)
    touched = {*replaced.values(), *((c.community_id, c.year, c.month) for c in good)}
    with counts.kept(touched):
        PoliceCallCount.objects.filter(pk__in=list(replaced)).delete()
        try:
            with transaction.atomic():
                PoliceCallCount.objects.bulk_create(good)
        except IntegrityError:
            # Another import of the same month committed in between (the unique constraint caught it).
            raise ImportErrors([_("同一月份的数据刚被他人导入或录入，未保存任何数据，请稍后重新导入。")]) from None
    audit_log(
        actor=by,
        action="communities.police_calls.imported",
        changes={
            "rows": [None, len(good)],
            "months": [None, [f"{y}-{m:02d}" for y, m in months]],
            "replaced": [None, {f"{y}-{m:02d}": n for (y, m), n in result.replaced.items()}],
        },
    )
    return result


@transaction.atomic
def police_call_count_set(*, community: Community, year: int, month: int, count: int, by) -> PoliceCallCount:
    """Records (or corrects) one community's figure for one month."""
    record = PoliceCallCount.objects.select_for_update().filter(community=community, year=year, month=month).first()
    if record is None:
        record = PoliceCallCount(community=community, year=year, month=month, count=count, updated_by=by)
        record.full_clean()
        try:
            with transaction.atomic(), counts.kept([(community.pk, year, month)]):
                record.save()
        except IntegrityError:
            raise ValidationError(_("该社区该月的警情接报数刚被他人录入，请刷新页面后再修改。")) from None
        audit_log(
            actor=by, action="communities.police_call_count.created", obj=record, changes={"count": [None, count]}
        )
        return record
    before = record.count
    if before == count:
        return record
    record.count = count
    record.updated_by = by
    record.full_clean()
    with counts.kept([(community.pk, year, month)]):
        record.save(update_fields=["count", "updated_by", "updated_at"])
    audit_log(actor=by, action="communities.police_call_count.changed", obj=record, changes={"count": [before, count]})
    return record
