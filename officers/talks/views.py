"""Monthly talks (谈心谈话): the compliance grid, the list, recording, editing, soft deletion, the printable
record sheet and the ledger (.xlsx). Thin views: scoped lookups, forms, the services in services.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from communities.models import Street
from communities.settings_tree import level_label, nearest, source_label
from officers.talks.messages import ADD_TALK, EDIT_TALK
from yushu_gov.access.rights import can, get_object_for, require
from yushu_gov.audit.log import audit_export
from yushu_gov.documents.pdf import pdf_response, render_pdf
from yushu_gov.input.forms import apply_errors
from yushu_gov.input.idempotency import save_form_once
from yushu_gov.input.months import month_label
from yushu_gov.lists.keyset import keyset_paginate
from yushu_gov.lists.pagination import pick
from yushu_gov.lists.params import int_param
from yushu_gov.lists.sorting import sort_by
from yushu_gov.models import AuditEntry
from yushu_gov.web.export_views import start_export

from . import exports, services
from .filters import TalkFilter
from .forms import ClosedMonthTalkForm, TalkDeleteForm, TalkForm, TalkGridFilter, TalkRuleForm
from .models import DEFAULT_EVERY_MONTHS, MonthlyTalk, TalkRule
from .selectors import (
    DONE,
    DUE,
    NOT_DUE,
    OVERDUE,
    UPCOMING,
    compliance_grid,
    compliance_totals,
    may_change_talk,
    touches_closed_month,
)


def get_talk_for(request, pk: int, *, action: str | None = None) -> MonthlyTalk:
    """A talk in the user's scope (deleted talks are gone): 404 outside it, 403 in it without `action`."""
    talks = MonthlyTalk.objects.alive().select_related("officer__station", "community__street", "recorded_by")
    return get_object_for(request, talks, view="talk.view", action=action, pk=pk)


def _grid_filter(request):
    """The year/street filter shared by the grid and the ledger: (form, year, street or None)."""
    today = timezone.localdate()
    streets = list(Street.objects.visible_to(request.user))
    form = TalkGridFilter(request.GET or None, streets=streets, today=today)
    year, street = today.year, None
    if form.is_valid():
        year = form.cleaned_data["year"] or today.year
        street_id = form.cleaned_data["street"]
        street = next((s for s in streets if s.pk == street_id), None)
    return form, year, street, streets


def _grid_cells_html(blocks, *, year: int, can_record: bool) -> None:
    """Renders each row's twelve cells once, in Python: at 500 officers the grid has 6,000 cells, on which
    the template language spent ~250 ms. Every value written is an integer or a label escaped here once.
    Sets `row.cells_html`."""
    list_url, create_url = escape(reverse("talks:list")), escape(reverse("talks:create"))
    due, overdue, not_due = escape(_("待谈")), escape(_("逾期")), escape(_("本月不需谈话（按所设频次）"))
    # On a phone each officer's year is a card (site.css) whose cells name their month.
    labels = {m: escape(month_label(m)) for m in range(1, 13)}
    for row in (row for block in blocks for row in block.rows):
        officer = int(row.officer_id)
        parts = []
        for cell in row.cells:
            month = int(cell.month)
            attrs = f'data-month="{month}" data-label="{labels[month]}"'
            if cell.state == DONE:
                text = f"✓{int(cell.held)}" if cell.held > 1 else "✓"
                href = f"{list_url}?officer={officer}&amp;year={int(year)}&amp;month={month}"
                parts.append(f'<td class="cell-done" {attrs}><a href="{href}">{text}</a></td>')
            elif cell.state == DUE and can_record:
                href = f"{create_url}?officer={officer}"
                parts.append(f'<td class="cell-due" {attrs}><a href="{href}">{due}</a></td>')
            elif cell.state == DUE:
                parts.append(f'<td class="cell-due" {attrs}>{due}</td>')
            elif cell.state == OVERDUE:
                parts.append(f'<td class="cell-overdue" {attrs}>{overdue}</td>')
            elif cell.state == UPCOMING:
                parts.append(f'<td class="cell-upcoming" {attrs}>·</td>')
            elif cell.state == NOT_DUE:
                parts.append(f'<td class="cell-not-due" {attrs} title="{not_due}">–</td>')
            else:
                parts.append(f'<td class="cell-blank" {attrs}></td>')
        row.cells_html = mark_safe("".join(parts))  # integers and labels escaped above


SUMMARY_PER_PAGE = 20  # streets in the grid's summary table: a province's hundreds, one page at a time


def _summary_page(request, blocks, street):
    """The page of the summary's streets asked for (?spage=), else the one holding the street shown."""
    paginator = Paginator(blocks, SUMMARY_PER_PAGE)
    number = int_param(request.GET, "spage")
    if number is None and street is not None:
        index = next((i for i, block in enumerate(blocks) if block.street_id == street.pk), 0)
        number = index // SUMMARY_PER_PAGE + 1
    return paginator.get_page(number)


@login_required
def talk_grid(request):
    """Serving officers × the 12 months, one street at a time (the user's own, else the first, or the one
    chosen), under the compliance of every street in scope: the summary is counted for the whole scope
    (compliance_totals, two queries: from the streets' roll-up for an administrator or a bureau reviewer, from the
    month sets for street staff), the cells only for the shown street (two more)."""
    require(request.user, "talk.view")
    form, year, street, streets = _grid_filter(request)
    if street is None:
        street = pick(request, streets, default_pk=request.user.street_id)
    form.fields["street"].choices = [(s.pk, s.name) for s in streets]  # one street at a time: no "all"
    grid = compliance_totals(user=request.user, year=year)
    summary = _summary_page(request, grid.streets, street)
    shown = compliance_grid(user=request.user, year=year, street_id=street.pk).streets if street else []
    can_record = can(request.user, "talk.record")
    _grid_cells_html(shown, year=grid.year, can_record=can_record)
    return render(
        request,
        "talks/grid.html",
        {
            "filter_form": form,
            "grid": grid,
            "summary": summary,
            "shown": shown,
            "street": street,
            "months": range(1, 13),
            "list_url": reverse("talks:list"),
            "create_url": reverse("talks:create"),
            "can_record": can_record,
            "can_frequency": can(request.user, "talk.frequency"),
        },
    )


@login_required
def talk_frequency(request):
    """How often the talks are due, at the administrator's own level (his area; bound to none: the
    deployment's default), with where the value in force comes from; "恢复继承" (a POST with `reset`) gives
    up the level's own. A lower level's frequency is its own administrator's."""
    require(request.user, "talk.frequency")
    area = request.user.area
    if request.method == "POST" and "reset" in request.POST:
        try:
            services.talk_rule_reset(area=area, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("本级已恢复继承上级的谈话频次。"))
        return redirect("talks:frequency")
    rule, _source = nearest(TalkRule.objects.all(), area)
    own = rule is not None and rule.area_id == (area.pk if area is not None else None)
    every = rule.every_months if rule is not None else DEFAULT_EVERY_MONTHS
    form = TalkRuleForm(request.POST or None, instance=rule if own else TalkRule(area=area, every_months=every))
    if request.method == "POST" and form.is_valid():
        try:
            services.talk_rule_set(area=area, every_months=form.cleaned_data["every_months"], by=request.user)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已保存谈话频次。"))
            return redirect("talks:frequency")
    context = {
        "form": form,
        "every": every,
        "source": source_label(rule, area),
        "level": level_label(area),
        "can_reset": own and area is not None,
    }
    return render(request, "talks/frequency.html", context)


# The sortable columns of the talk list (yushu_gov/lists/sorting.py).
TALK_COLUMNS = {
    "held_at": ("held_at",),
    "officer": ("officer__name_pinyin",),
    "community": ("community__street__sort_order", "community__sort_order"),
    "talker": ("talker_name",),
}


@login_required
def talk_list(request):
    require(request.user, "talk.view")
    talks = (
        MonthlyTalk.objects.visible_to(request.user)
        .alive()
        .select_related("officer", "community__street")
        .order_by("-held_at", "-id")
    )
    filterset = TalkFilter(request.GET, queryset=talks, user=request.user)
    year, month = filterset.period
    talks, sorting = sort_by(request, filterset.qs, TALK_COLUMNS)
    return render(
        request,
        "talks/list.html",
        {
            "filter": filterset,
            "page": keyset_paginate(request, talks),
            "sorting": sorting,
            "can_record": can(request.user, "talk.record"),
            "year": year,
            "month": month,
        },
    )


@login_required
def talk_create(request):
    """Street staff record a talk of their street's committee."""
    require(request.user, "talk.record")
    street_id = request.user.street_id
    if street_id is None:
        raise PermissionDenied("street staff without a street")
    initial = {"held_on": timezone.localdate()}
    officer_id = int_param(request.GET, "officer")
    if officer_id is not None:
        initial["officer"] = officer_id
    form = TalkForm(request.POST or None, street_id=street_id, initial=initial)
    if request.method == "POST" and form.is_valid():

        def save() -> str:
            talk = services.talk_record(by=request.user, street_id=street_id, data=form.cleaned_data)
            messages.success(
                request,
                _("已记录与 %(name)s 的谈心谈话（%(date)s）。") % {"name": talk.officer.name, "date": talk.held_on},
            )
            return reverse("talks:grid")

        url = save_form_once(
            request, form, save, fallback="talks:grid", replayed=_("这份谈话记录刚才已经保存，没有重复保存。")
        )
        if url:
            return redirect(url)
    return render(request, "talks/form.html", {"form": form, "title": str(ADD_TALK)})


@login_required
def talk_detail(request, pk: int):
    talk = get_talk_for(request, pk)
    may_change = may_change_talk(request.user, talk)
    return render(
        request,
        "talks/detail.html",
        {
            "talk": talk,
            "closed": touches_closed_month(talk),
            "can_change": may_change,
            "can_delete": may_change and can(request.user, "talk.delete"),
            "history": AuditEntry.objects.for_object(talk),
        },
    )


def _refuse_closed_month(request, talk) -> bool:
    """403 with the service's message when the user may not change or delete the talk (its month has
    closed): the rule is services.talk_check_change's. Returns whether the talk's month has closed."""
    try:
        return services.talk_check_change(talk=talk, by=request.user)
    except ValidationError as exc:
        raise PermissionDenied(exc.messages[0]) from exc


@login_required
def talk_edit(request, pk: int):
    """Editing: street staff while the month is open; the city administrator also afterwards, with a reason."""
    talk = get_talk_for(request, pk, action="talk.change")
    closed = _refuse_closed_month(request, talk)
    form_class = ClosedMonthTalkForm if closed or can(request.user, "talk.change_closed") else TalkForm
    form = form_class(request.POST or None, street_id=talk.community.street_id, instance=talk)
    if not closed and "reason" in form.fields:
        form.fields["reason"].required = False
        form.fields["reason"].help_text = _("仅在改到已结束的月份时必填。")
    if request.method == "POST" and form.is_valid():

        def save() -> str:
            services.talk_update(
                talk=talk, by=request.user, data=form.cleaned_data, reason=form.cleaned_data.get("reason", "")
            )
            messages.success(request, _("已保存谈话记录。"))
            return reverse("talks:detail", args=[talk.pk])

        # A move into a closed month the user may not make: the service's refusal, on the form's date.
        url = save_form_once(request, form, save, fallback=reverse("talks:detail", args=[talk.pk]))
        if url:
            return redirect(url)
    return render(request, "talks/form.html", {"form": form, "talk": talk, "closed": closed, "title": str(EDIT_TALK)})


@login_required
def talk_delete(request, pk: int):
    """GET: the confirmation page asking for a reason. POST: the soft delete."""
    talk = get_talk_for(request, pk, action="talk.delete")
    _refuse_closed_month(request, talk)
    form = TalkDeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.talk_delete(talk=talk, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已删除该谈话记录（删除记录保留在审计日志中）。"))
            return redirect("talks:list")
    return render(request, "talks/delete.html", {"form": form, "talk": talk})


@login_required
def talk_sheet(request, pk: int):
    """The printable record sheet of one talk (谈心谈话记录表), as a PDF."""
    talk = get_talk_for(request, pk)
    content = render_pdf("talks/sheet.html", {"talk": talk}, request=request)
    audit_export(actor=request.user, what="talks.sheet", obj=talk, request=request)
    return pdf_response(content, f"谈心谈话记录表_{talk.officer.name}_{talk.held_on:%Y%m%d}.pdf")


@login_required
def talk_ledger(request):
    """The talk ledger (谈心谈话记录台账) of a street (or every street in the scope) for a year, as .xlsx, written
    in the background (officers/talks/exports.py)."""
    require(request.user, "talk.export")
    _form, year, street, streets = _grid_filter(request)
    if street is None and len(streets) == 1:
        street = streets[0]
    params = {"year": [str(year)], **({"street": [str(street.pk)]} if street else {})}
    return start_export(
        request, exports.EXPORT.name, params=params, back=f"{reverse('talks:grid')}?{request.GET.urlencode()}"
    )
