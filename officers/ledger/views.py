"""The work ledger (工作台账): list with filters, add, view, change, and the .xlsx export."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from officers.ledger.messages import ADD_WORK_RECORD, EDIT_WORK_RECORD
from yushu_gov.access.rights import can, get_object_for, require
from yushu_gov.input.idempotency import save_form_once
from yushu_gov.lists.keyset import keyset_paginate
from yushu_gov.lists.lookups import lookup_response
from yushu_gov.lists.sorting import sort_by
from yushu_gov.models import AuditEntry
from yushu_gov.web.export_views import start_export

from . import exports, services
from .filters import WorkRecordFilter
from .forms import WorkRecordForm
from .models import WorkRecord
from .officer_choices import officers_for, picked, picked_day


def _records():
    return WorkRecord.objects.select_related("community__street", "officer", "created_by")


def get_work_record_for(request, pk: int, *, action: str | None = None) -> WorkRecord:
    """The record in the user's scope: 404 outside it, 403 in it without `action`."""
    return get_object_for(request, _records(), view="work.view", action=action, pk=pk)


def _filtered(request):
    records = _records().visible_to(request.user)
    return WorkRecordFilter(request.GET or None, queryset=records, user=request.user)


# The sortable columns of the ledger (yushu_gov/lists/sorting.py).
WORK_COLUMNS = {
    "occurred_on": ("occurred_on",),
    "kind": ("kind",),
    "community": ("community__street__sort_order", "community__sort_order"),
    "officer": ("officer__name_pinyin",),
    "status": ("status",),
}


@login_required
def work_list(request):
    require(request.user, "work.view")
    filterset = _filtered(request)
    records, sorting = sort_by(request, filterset.qs, WORK_COLUMNS)
    return render(
        request,
        "ledger/list.html",
        {
            "filter": filterset,
            "page": keyset_paginate(request, records),
            "sorting": sorting,
            "can_create": can(request.user, "work.create"),
        },
    )


@login_required
def work_export(request):
    """The filtered ledger as an Excel sheet with Chinese headers, written in the background
    (officers/ledger/exports.py): the user is sent to the job's page, which shows its progress."""
    require(request.user, "work.view")
    return start_export(request, exports.EXPORT.name, back=f"{reverse('work:list')}?{request.GET.urlencode()}")


@login_required
def work_detail(request, pk: int):
    record = get_work_record_for(request, pk)
    return render(
        request,
        "ledger/detail.html",
        {
            "record": record,
            "history": AuditEntry.objects.for_object(record),
            "can_change": can(request.user, "work.change"),
        },
    )


@login_required
def work_lookup(request):
    """Suggestions for a field that links a work record (a resident request's notes and reply): at most 20
    records of the user's scope, of ?community= when given, whose content contains what was typed, labelled
    by their content (the date and the type as the hint), latest first."""
    require(request.user, "work.view")
    records = WorkRecord.objects.visible_to(request.user).select_related("community").order_by("-occurred_on", "-id")
    community = picked(request.GET, "community")
    if community is not None:
        records = records.filter(community_id=community)
    return lookup_response(
        request,
        records,
        search=lambda text: Q(summary__icontains=text),
        row=lambda r: {
            "id": r.pk,
            "label": r.short_summary,
            "hint": f"{r.occurred_on:%Y-%m-%d} · {r.get_kind_display()}",
        },
    )


@login_required
def officers_for_json(request):
    """The officers the work-record form offers for ?community=&occurred_on= (officer_choices.py), as JSON."""
    require(request.user, "work.create")
    officers = officers_for(
        user=request.user,
        community_id=picked(request.GET, "community"),
        day=picked_day(request.GET, "occurred_on"),
    )
    rows = [{"id": o.pk, "label": str(o), "serving": o.serving_there} for o in officers[:50]]
    response = JsonResponse({"results": rows})
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def work_create(request):
    require(request.user, "work.create")
    initial = {"kind": request.GET.get("kind")} if request.GET.get("kind") in WorkRecord.Kind.values else {}
    form = WorkRecordForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():

        def save() -> str:
            record = services.work_record_create(by=request.user, data=form.cleaned_data)
            messages.success(request, _("已录入：%(record)s。") % {"record": record})
            return reverse("work:detail", args=[record.pk])

        url = save_form_once(
            request, form, save, fallback="work:list", replayed=_("这条台账刚才已经保存，没有重复保存。")
        )
        if url:
            return redirect(url)
    return render(request, "ledger/form.html", {"form": form, "title": str(ADD_WORK_RECORD)})


@login_required
def work_edit(request, pk: int):
    record = get_work_record_for(request, pk, action="work.change")
    form = WorkRecordForm(request.POST or None, user=request.user, instance=record)
    if request.method == "POST" and form.is_valid():

        def save() -> str:
            services.work_record_update(record=record, by=request.user, data=form.cleaned_data)
            messages.success(request, _("已保存。"))
            return reverse("work:detail", args=[record.pk])

        url = save_form_once(request, form, save, fallback=reverse("work:detail", args=[record.pk]))
        if url:
            return redirect(url)
    return render(request, "ledger/form.html", {"form": form, "record": record, "title": str(EDIT_WORK_RECORD)})
