"""The street's step pages on an overdue request its officer holds: GET the form (the confirmation), POST the
step (supervision.py). 409 when the request is no longer overdue in the officer's hands."""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.utils.translation import gettext_lazy

from . import supervision
from .models import RequestStep
from .supervision_forms import RemindForm, StreetTransferForm, TakeOverForm
from .views import STEPS, get_request_for, step_page

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
    return step_page(
        request, resident_request, spec=spec, form=form, allowed=allowed,
        run=lambda: spec.service(request=resident_request, by=request.user, **form.service_kwargs()),
    )  # fmt: skip


@login_required
def request_remind(request, pk: int):
    return _action(request, pk, "remind")


@login_required
def request_take_over(request, pk: int):
    return _action(request, pk, "take_over")


@login_required
def request_street_transfer(request, pk: int):
    return _action(request, pk, "street_transfer")
