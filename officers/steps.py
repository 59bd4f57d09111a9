"""The steps of the selection procedure after the nomination: for each, its form, its service, the right
it needs and the statuses it starts from. The application's pages and the admin site's actions both use
this table, so the workflow is the same wherever it is driven from."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy

from yushu_gov.access import can

from . import forms, services
from .models import Appointment


@dataclass(frozen=True)
class Step:
    form: type
    service: object
    right: str
    title: str
    from_statuses: tuple[str, ...]
    button: str = "primary"


S = Appointment.Status
STEPS = {
    "review": Step(forms.ReviewForm, services.appointment_review, "appointment.review",
                   gettext_lazy("资格审查"), (S.NOMINATED,)),
    "report": Step(forms.ReportForm, services.appointment_report, "appointment.report",
                   gettext_lazy("上报请示"), (S.REVIEWED,)),
    "decide": Step(forms.DecideForm, services.appointment_decide, "appointment.decide",
                   gettext_lazy("研究任职"), (S.REPORTED,)),
    "file": Step(forms.FileForm, services.appointment_file, "appointment.file",
                 gettext_lazy("发文备案"), (S.DECIDED,)),
    "serve": Step(forms.ServeForm, services.appointment_serve, "appointment.serve",
                  gettext_lazy("登记到任（任命大会、通报、任命书、宣誓）"), (S.FILED,)),
    "end": Step(forms.EndForm, services.appointment_end, "appointment.end",
                gettext_lazy("办理离任"), (S.SERVING,), "danger"),
    "return": Step(forms.CloseForm, services.appointment_return, "appointment.return",
                   gettext_lazy("退回"), Appointment.IN_PROGRESS, "danger"),
    "withdraw": Step(forms.CloseForm, services.appointment_withdraw, "appointment.withdraw",
                     gettext_lazy("撤回"), Appointment.IN_PROGRESS, "danger"),
}  # fmt: skip


def available_steps(user, appointment: Appointment) -> list[tuple[str, Step]]:
    return [
        (name, step)
        for name, step in STEPS.items()
        if appointment.status in step.from_statuses
        and can(user, step.right)
        and (name != "withdraw" or services.withdrawal_allowed(user, appointment))
    ]
