"""Monthly talks (谈心谈话): the compliance grid, the list, recording, editing, soft deletion, the printable
record sheet and the ledger (.xlsx). Thin views: scoped lookups, forms, the services in services.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from communities.models import Community, Street
from yushu_gov.access import can, get_object_for, require
from yushu_gov.models import AuditEntry
from yushu_gov.pagination import paginate
from yushu_gov.pdf import pdf_response, render_pdf
from yushu_gov.xlsx import build_workbook, xlsx_response

from . import services
from .forms import ClosedMonthTalkForm, TalkDeleteForm, TalkForm, TalkGridFilter
from .models import MonthlyTalk
from .talk_selectors import DONE, DUE, OVERDUE, SHANGHAI, UPCOMING, compliance_grid, is_month_closed, month_start


def get_talk_for(request, pk: int, *, action: str | None = None) -> MonthlyTalk:
    """A talk in the user's scope (deleted talks are gone): 404 outside it, 403 in it without `action`."""
    talks = MonthlyTalk.objects.alive().select_related("officer__station", "community__street", "recorded_by")
    return get_object_for(request, talks, view="talk.view", action=action, pk=pk)


def _visible_streets(user):
    return Street.objects.filter(communities__in=Community.objects.visible_to(user)).distinct()


def _grid_filter(request):
    """The year/street filter shared by the grid and the ledger: (form, year, street or None)."""
    today = timezone.localdate()
    streets = list(_visible_streets(request.user))
    form = TalkGridFilter(request.GET or None, streets=streets, today=today)
    year, street = today.year, None
    if form.is_valid():
        year = form.cleaned_data["year"] or today.year
        street_id = form.cleaned_data["street"]
        street = next((s for s in streets if s.pk == street_id), None)
    return form, year, street, streets


def _grid_cells_html(grid, *, can_record: bool) -> None:
    """Renders each row's twelve cells once, in Python: at 500 officers the grid has 6,000 cells, on which
    the template language spent ~250 ms. Every value written is an integer or a label escaped here once.
    Sets `row.cells_html`."""
    list_url, create_url = escape(reverse("talks:list")), escape(reverse("talks:create"))
    due, overdue = escape(_("待谈")), escape(_("逾期"))
    for row in grid.rows:
        officer = int(row.officer_id)
        parts = []
        for cell in row.cells:
            month = int(cell.month)
            if cell.state == DONE:
                text = f"✓{int(cell.held)}" if cell.held > 1 else "✓"
                href = f"{list_url}?officer={officer}&amp;year={int(grid.year)}&amp;month={month}"
                parts.append(f'<td class="cell-done" data-month="{month}"><a href="{href}">{text}</a></td>')
            elif cell.state == DUE and can_record:
                href = f"{create_url}?officer={officer}"
                parts.append(f'<td class="cell-due" data-month="{month}"><a href="{href}">{due}</a></td>')
            elif cell.state == DUE:
                parts.append(f'<td class="cell-due" data-month="{month}">{due}</td>')
            elif cell.state == OVERDUE:
                parts.append(f'<td class="cell-overdue" data-month="{month}">{overdue}</td>')
            elif cell.state == UPCOMING:
                parts.append(f'<td class="cell-upcoming" data-month="{month}">·</td>')
            else:
                parts.append(f'<td class="cell-blank" data-month="{month}"></td>')
        row.cells_html = mark_safe("".join(parts))  # integers and labels escaped above


@login_required
def talk_grid(request):
    """Serving officers × the 12 months, per street, with compliance for the month and the year."""
    require(request.user, "talk.view")
    form, year, street, streets = _grid_filter(request)
    grid = compliance_grid(user=request.user, year=year, street_id=street.pk if street else None)
    can_record = can(request.user, "talk.record")
    _grid_cells_html(grid, can_record=can_record)
    return render(
        request,
        "talks/grid.html",
        {
            "filter_form": form,
            "grid": grid,
            "street": street,
            "months": range(1, 13),
            "list_url": reverse("talks:list"),
            "create_url": reverse("talks:create"),
            "can_record": can_record,
        },
    )


@login_required
def talk_list(request):
    require(request.user, "talk.view")
    talks = (
        MonthlyTalk.objects.visible_to(request.user)
        .alive()
        .select_related("officer", "community__street")
        .order_by("-held_at", "-id")
    )
    officer_id = _number(request.GET.get("officer"), 1, 2**31 - 1)
    year = _number(request.GET.get("year"), 2000, 2100)
    month = _number(request.GET.get("month"), 1, 12)
    if officer_id is not None:
        talks = talks.filter(officer_id=officer_id)
    if year is not None:
        if month is not None:
            start, end = month_start(year, month), month_start(year + (month == 12), month % 12 + 1)
        else:
            start, end = month_start(year, 1), month_start(year + 1, 1)
        talks = talks.filter(held_at__gte=start, held_at__lt=end)
    year, month = year or "", month or ""
    page = paginate(request, talks)
    return render(
        request,
        "talks/list.html",
        {"page": page, "can_record": can(request.user, "talk.record"), "year": year, "month": month},
    )


def _number(value, low: int, high: int) -> int | None:
    """A whole number from the query string within [low, high]; None for anything else ("²", "9" * 30, "")."""
    try:
        number = int(str(value or "").strip(), 10)
    except ValueError:
        return None
    return number if low <= number <= high else None


@login_required
def talk_create(request):
    """Street staff record a talk of their street's committee."""
    require(request.user, "talk.record")
    street_id = request.user.street_id
    if street_id is None:
        raise PermissionDenied("street staff without a street")
    initial = {"held_on": timezone.localdate()}
    officer_id = _number(request.GET.get("officer"), 1, 2**31 - 1)
    if officer_id is not None:
        initial["officer"] = officer_id
    form = TalkForm(request.POST or None, street_id=street_id, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            talk = services.talk_record(by=request.user, street_id=street_id, data=form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("已记录与 %(name)s 的谈心谈话（%(date)s）。") % {"name": talk.officer.name, "date": talk.held_on},
            )
            return redirect("talks:grid")
    return render(request, "talks/form.html", {"form": form, "title": _("记录谈心谈话")})


@login_required
def talk_detail(request, pk: int):
    talk = get_talk_for(request, pk)
    closed = is_month_closed(talk.held_at)
    may_change = can(request.user, "talk.change") and (not closed or can(request.user, "talk.change_closed"))
    return render(
        request,
        "talks/detail.html",
        {
            "talk": talk,
            "closed": closed,
            "can_change": may_change,
            "can_delete": may_change and can(request.user, "talk.delete"),
            "history": AuditEntry.objects.for_object(talk),
        },
    )


@login_required
def talk_edit(request, pk: int):
    """Editing: street staff while the month is open; the city administrator also afterwards, with a reason."""
    talk = get_talk_for(request, pk, action="talk.change")
    closed = is_month_closed(talk.held_at)
    if closed:
        require(request.user, "talk.change_closed")
    form_class = ClosedMonthTalkForm if closed or can(request.user, "talk.change_closed") else TalkForm
    form = form_class(request.POST or None, street_id=talk.community.street_id, instance=talk)
    if not closed and "reason" in form.fields:
        form.fields["reason"].required = False
        form.fields["reason"].help_text = _("仅在改到已结束的月份时必填。")
    if request.method == "POST" and form.is_valid():
        try:
            services.talk_update(
                talk=talk, by=request.user, data=form.cleaned_data, reason=form.cleaned_data.get("reason", "")
            )
        except PermissionDenied as exc:
            form.add_error("held_on", str(exc))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已保存谈话记录。"))
            return redirect("talks:detail", pk=talk.pk)
    return render(
        request, "talks/form.html", {"form": form, "talk": talk, "closed": closed, "title": _("修改谈话记录")}
    )


@login_required
def talk_delete(request, pk: int):
    """GET: the confirmation page asking for a reason. POST: the soft delete."""
    talk = get_talk_for(request, pk, action="talk.delete")
    if is_month_closed(talk.held_at):
        require(request.user, "talk.change_closed")
    form = TalkDeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.talk_delete(talk=talk, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已删除该谈话记录（删除记录保留在审计日志中）。"))
            return redirect("talks:list")
    return render(request, "talks/delete.html", {"form": form, "talk": talk})


@login_required
def talk_sheet(request, pk: int):
    """The printable record sheet of one talk (谈心谈话记录表), as a PDF."""
    talk = get_talk_for(request, pk)
    content = render_pdf("talks/sheet.html", {"talk": talk}, request=request)
    return pdf_response(content, f"谈心谈话记录表_{talk.officer.name}_{talk.held_on:%Y%m%d}.pdf")


LEDGER_HEADERS = [
    "序号",
    "谈话日期",
    "谈话时间",
    "街道",
    "社区",
    "谈话对象",
    "警号",
    "所属派出所",
    "谈话人",
    "谈话人职务",
    "谈话地点",
    "谈话议题",
    "谈话主要内容",
    "民警思想状况及意见建议",
    "跟进措施",
    "记录人",
]


@login_required
def talk_ledger(request):
    """The talk ledger (谈心谈话记录台账) of a street (or every street in the scope) for a year, as .xlsx."""
    require(request.user, "talk.export")
    _form, year, street, streets = _grid_filter(request)
    if street is None and len(streets) == 1:
        street = streets[0]
    talks = (
        MonthlyTalk.objects.visible_to(request.user)
        .alive()
        .filter(held_at__gte=month_start(year, 1), held_at__lt=month_start(year + 1, 1))
        .select_related("officer__station", "community__street", "recorded_by")
        .order_by("community__street__sort_order", "held_at", "id")
    )
    if street is not None:
        talks = talks.filter(community__street=street)
    rows = []
    for index, talk in enumerate(talks, start=1):
        local = talk.held_at.astimezone(SHANGHAI)
        rows.append(
            [
                index,
                local.date(),
                f"{local:%H:%M}",
                talk.community.street.name,
                talk.community.name,
                talk.officer.name,
                talk.officer.police_number,
                talk.officer.station.name,
                talk.talker_name,
                talk.get_talker_role_display(),
                talk.place,
                "、".join(talk.topic_labels),
                talk.content,
                talk.officer_views,
                talk.follow_up,
                str(talk.recorded_by),
            ]
        )
    scope = street.name if street else _("全市")
    content = build_workbook(
        f"{year}年谈心谈话记录台账",
        LEDGER_HEADERS,
        rows,
        column_widths=[6, 12, 8, 12, 14, 16, 10, 14, 12, 16, 16, 24, 40, 30, 30, 16],
    )
    return xlsx_response(content, f"谈心谈话记录台账_{scope}_{year}.xlsx")
