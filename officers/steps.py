"""The steps of the selection procedure after the nomination: for each, its form, its service, the right
it needs and the statuses it starts from. The application's pages and the admin site's actions both use
this table, so the workflow is the same wherever it is driven from."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy

from yushu_gov.access.rights import can

from . import forms, services
from .models import Appointment


@dataclass(frozen=True)
class Step:
    name: str
    form: type
    service: object
    right: str
    title: str
    button: str = "primary"

    @property
    def from_statuses(self) -> tuple[str, ...]:
        """The statuses the step starts from (Appointment.STEP_STARTS, the one table of them)."""
        return Appointment.STEP_STARTS[self.name]


STEPS = {step.name: step for step in [
    Step("review", forms.ReviewForm, services.appointment_review, "appointment.review", gettext_lazy("资格审查")),
    Step("report", forms.ReportForm, services.appointment_report, "appointment.report", gettext_lazy("上报请示")),
    Step("decide", forms.DecideForm, services.appointment_decide, "appointment.decide", gettext_lazy("研究任职")),
    Step("file", forms.FileForm, services.appointment_file, "appointment.file", gettext_lazy("发文备案")),
    Step("serve", forms.ServeForm, services.appointment_serve, "appointment.serve",
         gettext_lazy("登记到任（任命大会、通报、任命书、宣誓）")),
    Step("end", forms.EndForm, services.appointment_end, "appointment.end", gettext_lazy("办理离任"), "danger"),
    Step("return", forms.CloseForm, services.appointment_return, "appointment.return", gettext_lazy("退回"), "danger"),
    Step("withdraw", forms.CloseForm, services.appointment_withdraw, "appointment.withdraw", gettext_lazy("撤回"),
         "danger"),
]}  # fmt: skip


def available_steps(user, appointment: Appointment) -> list[tuple[str, Step]]:
    return [
        (name, step)
        for name, step in STEPS.items()
        if appointment.status in step.from_statuses
        and can(user, step.right)
        and (name != "withdraw" or services.withdrawal_allowed(user, appointment))
    ]
