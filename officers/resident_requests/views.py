"""Residents' requests for the staff: the inbox (the officer's) and the lists (the street's, the city's), a
request with its steps, the step pages (受理, 办理, 转办, 办结), the photo, the .xlsx export without personal
data, and the city administrator's deadlines. Thin views: scoped lookups, forms, the services."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communities.settings_tree import level_label, source_label
from officers.directory_views import tel_href
from officers.messages import IN_PROGRESS_LABEL, RESOLVED_LABEL
from officers.resident_requests.messages import (
    ACCEPT_ACTION,
    OVERDUE_LABEL,
    PENDING_LABEL,
    RESOLVE_ACTION,
    STREET_HANDLING,
)
from yushu_gov.access.rights import can, get_object_for, require
from yushu_gov.input.forms import apply_errors
from yushu_gov.lists.pagination import paginate
from yushu_gov.lists.params import int_param
from yushu_gov.models import AuditEntry
from yushu_gov.web.export_views import start_export

from . import exports, services
from .filters import RequestFilter
from .forms import AcceptForm, CategoryDeadlineForm, NoteForm, ResolveForm, TransferForm
from .models import Category, CategoryDeadline, ResidentRequest
from .selectors import STEP_RIGHTS, available_steps, shows_personal_data
from .supervision import supervision_actions


def get_request_for(request, pk: int, *, action: str | None = None) -> ResidentRequest:
    """The request in the user's scope: 404 outside it, 403 in it without `action`."""
    queryset = ResidentRequest.objects.select_related("community__street", "officer__station")
    return get_object_for(request, queryset, view="request.view", action=action, pk=pk)


# The states the list offers as one-tap links above the filters.
QUICK_STATES = [
    ("submitted", PENDING_LABEL),
    ("handling", IN_PROGRESS_LABEL),
    ("overdue", OVERDUE_LABEL),
    ("street", STREET_HANDLING),
    ("done", RESOLVED_LABEL),
]


def _filtered(request) -> RequestFilter:
    requests = ResidentRequest.objects.visible_to(request.user).for_list().order_by("-submitted_at", "-id")
    return RequestFilter(request.GET or None, queryset=requests, user=request.user)


@login_required
def request_list(request):
    """The officer's inbox, the street's and the city's lists: newest first, overdue ones marked."""
    require(request.user, "request.view")
    filterset = _filtered(request)
    page = paginate(request, filterset.qs)
    now = timezone.now()
    for item in page:
        item.overdue = item.is_overdue(now)
    return render(
        request,
        "resident_requests/list.html",
        {
            "filter": filterset,
            "page": page,
            "states": QUICK_STATES,
            "filters_open": any(value for key, value in request.GET.items() if key not in ("state", "page")),
            "can_export": can(request.user, "request.export"),
            "can_deadlines": can(request.user, "request.deadlines"),
        },
    )


@login_required
def request_export(request):
    """The filtered list as .xlsx, without the resident's name, phone or photo, written in the background
    (officers/resident_requests/exports.py)."""
    require(request.user, "request.export")
    return start_export(request, exports.EXPORT.name, back=f"{reverse('requests:list')}?{request.GET.urlencode()}")


@login_required
def request_detail(request, pk: int):
    resident_request = get_request_for(request, pk)
    steps = resident_request.steps.select_related("actor", "from_community", "to_community", "work_record")
    return render(
        request,
        "resident_requests/detail.html",
        {
            "item": resident_request,
            "steps": steps,
            "overdue": resident_request.is_overdue(),
            "personal": shows_personal_data(request.user),
            "actions": available_steps(request.user, resident_request),
            "supervision": supervision_actions(request.user, resident_request),
            "officer_tel": tel_href(resident_request.officer.work_phone) if resident_request.officer else "",
            "history": AuditEntry.objects.for_object(resident_request),
        },
    )


@login_required
def request_photo(request, pk: int):
    """The resident's photo (re-encoded without metadata), only to users who see the request."""
    resident_request = get_request_for(request, pk)
    number = int_param(request.GET, "n", low=1, high=len(ResidentRequest.PHOTO_FIELDS), default=1)
    photo = dict(resident_request.photos).get(number)
    if not photo:
        raise Http404
    try:
        handle = photo.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    suffix = "" if number == 1 else f"-{number}"
    return FileResponse(handle, content_type="image/jpeg", filename=f"{resident_request.number}{suffix}.jpg")


@login_required
def request_voice(request, pk: int):
    """The resident's voice message (checked by content when it came, voice.py), only to users who see the
    request: the officer and the street play it on the request's page."""
    resident_request = get_request_for(request, pk)
    if not resident_request.voice:
        raise Http404
    try:
        handle = resident_request.voice.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, content_type=resident_request.voice_type or "application/octet-stream")


@dataclass(frozen=True)
class Step:
    form: type
    service: object
    title: str
    done: str
    button: str = "primary"


STEPS = {
    "accept": Step(AcceptForm, services.request_accept, ACCEPT_ACTION, gettext_lazy("已受理。")),
    "note": Step(NoteForm, services.request_note, gettext_lazy("记录办理情况"), gettext_lazy("已记录办理情况。")),
    "transfer": Step(TransferForm, services.request_transfer, gettext_lazy("转办"), gettext_lazy("已转办。"), ""),
    "resolve": Step(ResolveForm, services.request_resolve, RESOLVE_ACTION, gettext_lazy("已办结并答复群众。")),
}


def _step(request, pk: int, name: str):
    """GET: the step's form (the confirmation); POST: the step. 409 when the request's state or holder does
    not let the user take the step (someone else took it first, or it is the street's now)."""
    spec = STEPS[name]
    resident_request = get_request_for(request, pk, action=STEP_RIGHTS[name])
    data = request.POST if request.method == "POST" else None  # accepting may send no field at all
    form = spec.form(data, resident_request=resident_request, user=request.user)
    allowed = name in available_steps(request.user, resident_request)
    return step_page(
        request, resident_request, spec=spec, form=form, allowed=allowed,
        run=lambda: spec.service(resident_request=resident_request, by=request.user, **form.service_kwargs()),
    )  # fmt: skip


def step_page(request, resident_request, *, spec, form, allowed: bool, run):
    """A step's page, shared by the officer's steps and the street's supervision (supervision_views.py): on a
    valid POST that the state allows, `run()` the service and go back to the request; otherwise the form,
    with 409 when the step is not (or no longer) the user's to take."""
    if request.method == "POST" and allowed and form.is_valid():
        try:
            run()
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, str(spec.done))
            return redirect("requests:detail", pk=resident_request.pk)
    return render(
        request,
        "resident_requests/step.html",
        {"item": resident_request, "form": form, "step": spec, "allowed": allowed},
        status=200 if allowed or request.method == "GET" else 409,
    )


@login_required
def request_accept(request, pk: int):
    return _step(request, pk, "accept")


@login_required
def request_note(request, pk: int):
    return _step(request, pk, "note")


@login_required
def request_transfer(request, pk: int):
    return _step(request, pk, "transfer")


@login_required
def request_resolve(request, pk: int):
    return _step(request, pk, "resolve")


@login_required
def deadlines(request):
    """An administrator sets each category's deadlines at his own level (his area; bound to none: the
    deployment's default), for requests that arrive from now on there and below (issue 20). Each category shows
    where its deadlines come from; "恢复继承" (a POST with `reset` = the category) gives up the level's own."""
    require(request.user, "request.deadlines")
    area = request.user.area
    if request.method == "POST" and request.POST.get("reset") in Category.values:
        try:
            services.deadline_reset(category=request.POST["reset"], area=area, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("该类别已恢复继承上级的办理时限。"))
        return redirect("requests:deadlines")
    own_level = area.pk if area is not None else None
    applying = CategoryDeadline.applying(area)
    forms = []
    for value, label in Category.choices:
        row = applying[value]
        own = row is not None and row.area_id == own_level
        # A category not set at this level starts from what it inherits; saving a change makes its own row.
        instance = row if own else CategoryDeadline(category=value, area=area)
        if row is not None and not own:
            instance.respond_hours, instance.resolve_days = row.respond_hours, row.resolve_days
        form = CategoryDeadlineForm(request.POST or None, instance=instance, prefix=value)
        form.source = source_label(row, area)
        form.can_reset = own and area is not None
        forms.append((label, form))
    if request.method == "POST" and all(form.is_valid() for _label, form in forms):
        values = {
            form.instance.category: (form.cleaned_data["respond_hours"], form.cleaned_data["resolve_days"])
            for _label, form in forms
        }
        try:
            services.deadlines_update(values=values, area=area, by=request.user)
        except ValidationError as exc:
            apply_errors(forms[0][1], exc)
        else:
            messages.success(request, _("已保存各类诉求的办理时限，对此后到达社区的诉求生效。"))
            return redirect("requests:deadlines")
    return render(request, "resident_requests/deadlines.html", {"forms": forms, "level": level_label(area)})
