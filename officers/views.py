from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables

from yushu_gov.access import can, get_object_for, require
from yushu_gov.models import AuditEntry
from yushu_gov.pagination import paginate

from . import services
from .filters import OfficerFilter
from .forms import OfficerForm
from .models import Appointment, Officer


def get_officer_for(request, pk: int, *, action: str | None = None) -> Officer:
    """The officer in the user's scope: 404 outside it, 403 in it without `action`."""
    return get_object_for(request, Officer.objects.select_related("station"), view="officer.view", action=action, pk=pk)


@login_required
def officer_list(request):
    require(request.user, "officer.view")
    officers = (
        Officer.objects.visible_to(request.user)
        .select_related("station")
        .with_current_appointment()
        .order_by("name", "police_number")
    )
    filterset = OfficerFilter(request.GET, queryset=officers, user=request.user)
    page = paginate(request, filterset.qs)
    return render(
        request,
        "officers/list.html",
        {"filter": filterset, "page": page, "can_create": can(request.user, "officer.create")},
    )


@login_required
def officer_detail(request, pk: int):
    officer = get_officer_for(request, pk)
    appointments = (
        Appointment.objects.visible_to(request.user).filter(officer=officer).select_related("community__street")
    )
    return render(
        request,
        "officers/detail.html",
        {
            "officer": officer,
            "appointments": appointments,
            "history": AuditEntry.objects.for_object(officer),
            "can_change": can(request.user, "officer.change"),
        },
    )


@sensitive_variables("form")
@sensitive_post_parameters("id_number", "mobile")
@login_required
def officer_create(request):
    require(request.user, "officer.create")
    form = OfficerForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            officer = services.officer_create(by=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已登记民警 %(name)s。") % {"name": officer.name})
            return redirect("officers:detail", pk=officer.pk)
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
            form.add_error(None, exc)
        else:
            messages.success(request, _("已保存 %(name)s 的信息。") % {"name": officer.name})
            return redirect("officers:detail", pk=officer.pk)
    return render(request, "officers/form.html", {"form": form, "officer": officer, "title": _("修改民警信息")})
