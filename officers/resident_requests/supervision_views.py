"""The street's step pages on an overdue request its officer holds: GET the form (the confirmation), POST the
step (supervision.py). 409 when the request is no longer overdue in the officer's hands."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy

from yushu_gov.input.forms import apply_errors

from . import supervision
from .models import RequestStep
from .supervision_forms import RemindForm, StreetTransferForm, TakeOverForm
from .views import STEPS, get_request_for

K = RequestStep.Kind


@dataclass(frozen=True)
class Action:
    form: type
    service: object
    title: str
    done: str
    button: str = "primary"


ACTIONS = {
    "remind": Action(RemindForm, supervision.request_remind, gettext_lazy("督办（提醒民警副书记）"),
                     gettext_lazy("已督办，民警副书记将在首页看到提醒。")),
    "take_over": Action(TakeOverForm, supervision.request_take_over, K.TAKEN_OVER.label,
                        gettext_lazy("街道已接办该诉求。"), ""),
    "street_transfer": Action(StreetTransferForm, supervision.request_street_transfer, K.TRANSFERRED.label,
                              STEPS["transfer"].done, ""),
}  # fmt: skip


def _action(request, pk: int, name: str):
    spec = ACTIONS[name]
    resident_request = get_request_for(request, pk, action="request.supervise")
    form = spec.form(request.POST or None, resident_request=resident_request, user=request.user)
    allowed = name in supervision.supervision_actions(request.user, resident_request)
    if request.method == "POST" and allowed and form.is_valid():
        try:
            spec.service(request=resident_request, by=request.user, **form.service_kwargs())
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
def request_remind(request, pk: int):
    return _action(request, pk, "remind")


@login_required
def request_take_over(request, pk: int):
    return _action(request, pk, "take_over")


@login_required
def request_street_transfer(request, pk: int):
    return _action(request, pk, "street_transfer")
