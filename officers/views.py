from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables

from communities.models import BranchMember, Community, Street
from officers.messages import EDIT_OFFICER
from yushu_gov.access.rights import can, get_object_for, require
from yushu_gov.audit.log import audit_export, audit_log
from yushu_gov.documents.pdf import pdf_response, render_pdf
from yushu_gov.input.forms import apply_errors
from yushu_gov.input.idempotency import save_form_once
from yushu_gov.input.pinyin import search_q
from yushu_gov.lists.lookups import lookup_response
from yushu_gov.lists.pagination import paginate, pick
from yushu_gov.lists.sorting import sort_by
from yushu_gov.models import AuditEntry

from . import forms as officer_forms
from . import services
from .filters import AppointmentFilter, OfficerFilter
from .forms import OfficerForm
from .models import Appointment, Officer
from .selectors import seat_conflicts
from .steps import STEPS, available_steps


def get_officer_for(request, pk: int, *, action: str | None = None) -> Officer:
    """The officer in the user's scope: 404 outside it, 403 in it without `action`."""
    return get_object_for(request, Officer.objects.select_related("station"), view="officer.view", action=action, pk=pk)


# The sortable columns of the lists: ?sort=<column> (yushu_gov/lists/sorting.py).
OFFICER_COLUMNS = {
    "name": ("name_pinyin", "name"),
    "police_number": ("police_number",),
    "station": ("station__sort_order", "station__name"),
    "community": ("current_street_name", "current_community_name"),
}
APPOINTMENT_COLUMNS = {
    "officer": ("officer__name_pinyin",),
    "community": ("community__street__sort_order", "community__sort_order"),
    "street": ("community__street__sort_order",),
    "status": ("status",),
    "started_on": ("started_on",),
    "document_no": ("document_no",),
}


@login_required
def officer_list(request):
    require(request.user, "officer.view")
    officers = (
        Officer.objects.visible_to(request.user)
        .select_related("station")
        .with_current_appointment(request.user)
        .order_by("name", "police_number")
    )
    filterset = OfficerFilter(request.GET, queryset=officers, user=request.user)
    officers, sorting = sort_by(request, filterset.qs, OFFICER_COLUMNS)
    return render(
        request,
        "officers/list.html",
        {
            "filter": filterset,
            "page": paginate(request, officers),
            "sorting": sorting,
            "can_create": can(request.user, "officer.create"),
        },
    )


# Who may ask for officer suggestions: whoever has a list whose filter picks an officer.
LOOKUP_RIGHTS = ("officer.view", "work.view", "talk.view")


@login_required
def officer_lookup(request):
    """Suggestions for the officer filters (yushu_gov/lists/lookups.py): at most 20 officers of the user's scope
    whose name, pinyin or police number matches what was typed."""
    if not any(can(request.user, right) for right in LOOKUP_RIGHTS):
        raise PermissionDenied("officer lookup")
    officers = Officer.objects.visible_to(request.user).select_related("station").order_by("name_pinyin", "pk")
    return lookup_response(
        request,
        officers,
        search=lambda text: search_q(text) | Q(police_number__startswith=text),
        row=lambda o: {"id": o.pk, "label": o.name, "hint": f"{o.police_number} · {o.station.name}"},
    )


@login_required
def officer_detail(request, pk: int):
    officer = get_officer_for(request, pk)
    audit_log(actor=request.user, action="officers.officer.viewed", obj=officer, request=request)
    appointments = (
        Appointment.objects.visible_to(request.user).filter(officer=officer).select_related("community__street")
    )
    return render(
        request,
        "officers/detail.html",
        {
            "officer": officer,
            "appointments": appointments,
            "history": AuditEntry.objects.for_object(officer).exclude(action="officers.officer.viewed"),
            "can_change": can(request.user, "officer.change"),
            "can_consent": can(request.user, "officer.consent"),
        },
    )


@sensitive_variables("form")
@sensitive_post_parameters("id_number", "mobile")
@login_required
def officer_create(request):
    require(request.user, "officer.create")
    form = OfficerForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():

        def save() -> str:
            officer = services.officer_create(by=request.user, data=form.cleaned_data)
            messages.success(request, _("已登记民警 %(name)s。") % {"name": officer.name})
            return reverse("officers:detail", args=[officer.pk])

        url = save_form_once(
            request, form, save, fallback="officers:list", replayed=_("该民警刚才已经登记，没有重复登记。")
        )
        if url:
            return redirect(url)
    return render(request, "officers/form.html", {"form": form, "title": _("登记党员民警")})


@sensitive_variables("form")
@sensitive_post_parameters("id_number", "mobile")
@login_required
def officer_edit(request, pk: int):
    officer = get_officer_for(request, pk, action="officer.change")
    form = OfficerForm(request.POST or None, request.FILES or None, instance=officer)
    if request.method == "POST" and form.is_valid():
        try:
            services.officer_update(officer=officer, by=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已保存 %(name)s 的信息。") % {"name": officer.name})
            return redirect("officers:detail", pk=officer.pk)
    return render(request, "officers/form.html", {"form": form, "officer": officer, "title": str(EDIT_OFFICER)})


@login_required
def officer_consent(request, pk: int):
    """Records or withdraws the officer's consent to the public directory (GET: the form)."""
    officer = get_officer_for(request, pk, action="officer.consent")
    form = officer_forms.ConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        given = form.cleaned_data["decision"] == "give"
        services.officer_consent_set(officer=officer, by=request.user, given=given, note=form.cleaned_data["note"])
        if given:
            messages.success(
                request, _("已登记 %(name)s 同意公开，居民查询页面将显示其联系信息。") % {"name": officer.name}
            )
        else:
            messages.success(request, _("已登记 %(name)s 撤回同意，居民查询页面不再显示。") % {"name": officer.name})
        return redirect("officers:detail", pk=officer.pk)
    return render(request, "officers/consent.html", {"form": form, "officer": officer})


# --- Appointments: the selection procedure ----------------------------------------------------------


def get_appointment_for(request, pk: int, *, action: str | None = None) -> Appointment:
    """The appointment in the user's scope: 404 outside it, 403 in it without `action`."""
    queryset = Appointment.objects.select_related("officer__station", "community__street")
    return get_object_for(request, queryset, view="appointment.view", action=action, pk=pk)


@login_required
def appointment_list(request):
    require(request.user, "appointment.view")
    appointments = (
        Appointment.objects.visible_to(request.user)
        .select_related("officer__station", "community__street")
        .order_by("-updated_at", "-id")
    )
    filterset = AppointmentFilter(request.GET, queryset=appointments, user=request.user)
    appointments, sorting = sort_by(request, filterset.qs, APPOINTMENT_COLUMNS)
    return render(
        request,
        "appointments/list.html",
        {
            "filter": filterset,
            "page": paginate(request, appointments),
            "sorting": sorting,
            "can_nominate": can(request.user, "appointment.nominate"),
        },
    )


@login_required
def appointment_detail(request, pk: int):
    appointment = get_appointment_for(request, pk)
    steps = {step.status: step for step in appointment.steps.select_related("actor")}
    timeline = [
        {"status": status, "label": S(status).label, "step": steps.get(status)} for status in Appointment.SEQUENCE
    ]
    for status in (S.RETURNED, S.WITHDRAWN):
        if status in steps:
            timeline.append({"status": status, "label": S(status).label, "step": steps[status]})
    return render(
        request,
        "appointments/detail.html",
        {
            "appointment": appointment,
            "timeline": timeline,
            "checks": appointment.checks.select_related("standard", "reviewed_by"),
            "actions": available_steps(request.user, appointment),
            "conflicts": seat_conflicts(
                officer=appointment.officer, community=appointment.community, exclude=appointment
            )
            if appointment.is_open
            else None,
            "history": AuditEntry.objects.for_object(appointment),
        },
    )


@login_required
def appointment_nominate(request):
    require(request.user, "appointment.nominate")
    initial = {"on_date": timezone.localdate(), "community": request.GET.get("community")}
    form = officer_forms.NominationForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            appointment = services.appointment_nominate(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("已推荐 %(officer)s 任 %(community)s 党支部副书记，请进行资格审查。")
                % {"officer": appointment.officer.name, "community": appointment.community.name},
            )
            if form.conflicts is not None and form.conflicts.any:
                messages.warning(request, _("该推荐涉及在任席位，到任时将办理轮换。"))
            return redirect("officers:appointment_detail", pk=appointment.pk)
    return render(request, "appointments/nominate.html", {"form": form})


@login_required
def appointment_step(request, pk: int, step: str):
    """Every step after the nomination: GET shows the step's form (the confirmation), POST performs it."""
    spec = STEPS[step]
    appointment = get_appointment_for(request, pk, action=spec.right)
    form = spec.form(request.POST or None, appointment=appointment, initial=_step_initial(step, appointment))
    allowed = appointment.status in spec.from_statuses
    if request.method == "POST" and allowed and form.is_valid():
        try:
            spec.service(appointment=appointment, by=request.user, **form.service_kwargs())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已办理：%(step)s。") % {"step": spec.title})
            return redirect("officers:appointment_detail", pk=appointment.pk)
    return render(
        request,
        "appointments/step.html",
        {"appointment": appointment, "form": form, "step": spec, "step_name": step, "allowed": allowed},
        status=200 if allowed or request.method == "GET" else 409,
    )


def _step_initial(step: str, appointment: Appointment) -> dict:
    today = timezone.localdate()
    if step == "serve":
        # The four dates usually fall on the day the document was issued: changed only where they differ.
        day = appointment.filed_on
        return dict.fromkeys(["meeting_on", "announced_on", "letter_issued_on", "oath_on"], day) if day else {}
    return {"on_date": today} if step not in ("return", "withdraw") else {}


S = Appointment.Status


def _letter_context(request, pk: int) -> dict:
    appointment = get_appointment_for(request, pk)
    if not appointment.letter_serial or appointment.status not in (S.FILED, S.SERVING, S.ENDED):
        raise Http404(_("该任职没有有效的任命书（尚未发文备案，或已退回、撤回）。"))
    return {"appointment": appointment, "officer": appointment.officer, "community": appointment.community}


@login_required
def appointment_letter(request, pk: int):
    """The appointment letter (任命书) as a print-friendly page."""
    return render(request, "appointments/letter.html", _letter_context(request, pk))


@login_required
def appointment_letter_pdf(request, pk: int):
    """The appointment letter as a numbered PDF."""
    context = _letter_context(request, pk)
    content = render_pdf("appointments/letter_pdf.html", context, request=request)
    audit_export(actor=request.user, what="officers.appointment_letter", obj=context["appointment"], request=request)
    return pdf_response(content, f"任命书-{context['appointment'].letter_number}.pdf")


# --- Coverage and the branch committee roster -------------------------------------------------------


def _serving_prefetch():
    return Prefetch(
        "appointments",
        queryset=Appointment.objects.serving().select_related("officer__station"),
        to_attr="serving_appointments",
    )


@login_required
def coverage(request):
    """Coverage per street (one aggregate query), then one street's communities with their serving deputy
    secretary or a highlighted gap: the user's own street by default, any street of the scope by ?street=."""
    require(request.user, "coverage.view")
    communities = Community.objects.visible_to(request.user)
    seated = Exists(Appointment.objects.serving().filter(community=OuterRef("pk")))
    counts = {
        row["street_id"]: row
        for row in communities.annotate(seated=seated)
        .values("street_id")
        .annotate(total=Count("pk", distinct=True), covered=Count("pk", filter=Q(seated=True), distinct=True))
        .order_by()
    }
    streets = list(Street.objects.visible_to(request.user))
    for street in streets:
        street.total = counts.get(street.pk, {}).get("total", 0)
        street.covered = counts.get(street.pk, {}).get("covered", 0)
        street.gaps = street.total - street.covered
    street = pick(request, streets, default_pk=request.user.street_id)
    rows = []
    if street is not None:
        rows = list(
            communities.filter(street=street).order_by("sort_order", "name").prefetch_related(_serving_prefetch())
        )
    total = sum(s.total for s in streets)
    covered = sum(s.covered for s in streets)
    context = {"streets": streets, "street": street, "rows": rows, "total": total, "covered": covered,
               "gaps": total - covered}  # fmt: skip
    return render(request, "appointments/coverage.html", context)


@login_required
def branch_roster(request, pk: int):
    """The community party branch's committee roster: the committee's posts, the seat holder beside them
    (席位制: not a post), and the re-election roster without the seat holder. Printable."""
    community = get_object_for(request, Community.objects.select_related("street"), view="roster.view", pk=pk)
    members = list(BranchMember.objects.filter(community=community).order_by("sort_order", "id"))
    seat = Appointment.objects.serving().filter(community=community).select_related("officer__station").first()
    return render(
        request,
        "appointments/roster.html",
        {
            "community": community,
            "members": members,
            "seat": seat,
            "posts_used": len(members),
            "posts_free": max(community.branch_posts - len(members), 0),
        },
    )
