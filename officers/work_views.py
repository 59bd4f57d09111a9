"""The work ledger (工作台账): list with filters, add, view, change, and the .xlsx export."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from yushu_gov.access import can, get_object_for, require
from yushu_gov.models import AuditEntry
from yushu_gov.pagination import paginate
from yushu_gov.xlsx import build_workbook, xlsx_response

from . import services
from .filters import WorkRecordFilter
from .forms import WorkRecordForm
from .models import WorkRecord

EXPORT_HEADERS = [
    "日期",
    "工作类型",
    "街道",
    "社区",
    "民警",
    "警号",
    "工作内容",
    "涉及人数",
    "涉及户数",
    "挽回损失（元）",
    "纠纷等级",
    "调解结果",
    "案件编号",
    "慰问金额（元）",
    "状态",
    "录入人",
]


def _records():
    return WorkRecord.objects.select_related("community__street", "officer", "created_by")


def get_work_record_for(request, pk: int, *, action: str | None = None) -> WorkRecord:
    """The record in the user's scope: 404 outside it, 403 in it without `action`."""
    return get_object_for(request, _records(), view="work.view", action=action, pk=pk)


def _filtered(request):
    records = _records().visible_to(request.user)
    return WorkRecordFilter(request.GET or None, queryset=records, user=request.user)


@login_required
def work_list(request):
    require(request.user, "work.view")
    filterset = _filtered(request)
    page = paginate(request, filterset.qs)
    return render(
        request,
        "work/list.html",
        {"filter": filterset, "page": page, "can_create": can(request.user, "work.create")},
    )


EXPORT_FIELDS = [
    "occurred_on",
    "kind",
    "community__street__name",
    "community__name",
    "officer__name",
    "officer__police_number",
    "summary",
    "people_reached",
    "households_reached",
    "value_recovered",
    "severity",
    "outcome",
    "case_number",
    "aid_amount",
    "status",
    "created_by__full_name",
    "created_by__username",
]


@login_required
def work_export(request):
    """The filtered ledger as an Excel sheet with Chinese headers (text cells stay text). Plain values
    and choice labels looked up once: 12,000 rows export in a few seconds."""
    require(request.user, "work.view")
    filterset = _filtered(request)
    labels = {
        "kind": {k: str(v) for k, v in WorkRecord.Kind.choices},
        "severity": {k: str(v) for k, v in WorkRecord.Severity.choices},
        "outcome": {k: str(v) for k, v in WorkRecord.Outcome.choices},
        "status": {k: str(v) for k, v in WorkRecord.Status.choices},
    }

    def row(values):
        record = dict(zip(EXPORT_FIELDS, values, strict=True))
        for name, names in labels.items():
            record[name] = names.get(record[name], "")
        record["created_by__full_name"] = record["created_by__full_name"] or record["created_by__username"] or ""
        return [record[name] for name in EXPORT_FIELDS[:-1]]

    rows = (row(values) for values in filterset.qs.values_list(*EXPORT_FIELDS).iterator(chunk_size=2000))
    content = build_workbook("工作台账", EXPORT_HEADERS, rows, column_widths=[12, 22, 12, 16, 16, 10, 50])
    return xlsx_response(content, f"工作台账_{timezone.localdate():%Y%m%d}.xlsx")


@login_required
def work_detail(request, pk: int):
    record = get_work_record_for(request, pk)
    return render(
        request,
        "work/detail.html",
        {
            "record": record,
            "history": AuditEntry.objects.for_object(record),
            "can_change": can(request.user, "work.change"),
        },
    )


@login_required
def work_create(request):
    require(request.user, "work.create")
    initial = {"kind": request.GET.get("kind")} if request.GET.get("kind") in WorkRecord.Kind.values else {}
    form = WorkRecordForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            record = services.work_record_create(by=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已录入：%(record)s。") % {"record": record})
            return redirect("work:detail", pk=record.pk)
    return render(request, "work/form.html", {"form": form, "title": _("录入工作台账")})


@login_required
def work_edit(request, pk: int):
    record = get_work_record_for(request, pk, action="work.change")
    form = WorkRecordForm(request.POST or None, user=request.user, instance=record)
    if request.method == "POST" and form.is_valid():
        try:
            services.work_record_update(record=record, by=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("work:detail", pk=record.pk)
    return render(request, "work/form.html", {"form": form, "record": record, "title": _("修改工作台账")})
