"""The steps of the selection procedure after the nomination: for each, its form, its service, the right
it needs and the statuses it starts from. The application's pages and the admin site's actions both use
this table, so the workflow is the same wherever it is driven from."""

from dataclasses import dataclass

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


T = Appointment.STEP_TITLES
STEPS = {step.name: step for step in [
    Step("review", forms.ReviewForm, services.appointment_review, "appointment.review", T["review"]),
    Step("report", forms.ReportForm, services.appointment_report, "appointment.report", T["report"]),
    Step("decide", forms.DecideForm, services.appointment_decide, "appointment.decide", T["decide"]),
    Step("file", forms.FileForm, services.appointment_file, "appointment.file", T["file"]),
    Step("serve", forms.ServeForm, services.appointment_serve, "appointment.serve", T["serve"]),
    Step("end", forms.EndForm, services.appointment_end, "appointment.end", T["end"], "danger"),
    Step("return", forms.CloseForm, services.appointment_return, "appointment.return", T["return"], "danger"),
    Step("withdraw", forms.CloseForm, services.appointment_withdraw, "appointment.withdraw", T["withdraw"],
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
