from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from officers.messages import (
    ARRIVAL_STEP,
    DECISION_STEP,
    DEPARTURE_STEP,
    EDIT_OFFICER,
    FILING_STEP,
    NOMINATION_STEP,
    REPORT_STEP,
    VETTING_STEP,
)


class OfficersConfig(AppConfig):
    name = "officers"
    verbose_name = _("党员民警与任职")

    def ready(self):
        from yushu_gov.access.rights import READERS
        from yushu_gov.audit.log import register_actions
        from yushu_gov.home.panels import register_panel
        from yushu_gov.home.todo import register_todo

        from .home import summary_context
        from .todo import appointment_steps, communities_without_deputy, consent_missing

        register_panel(template="officers/_home_panel.html", roles=READERS, context=summary_context, order=10)
        register_todo(name="officers.appointment_steps", provider=appointment_steps, order=10)
        register_todo(name="officers.communities_without_deputy", provider=communities_without_deputy, order=15)
        register_todo(name="officers.consent_missing", provider=consent_missing, order=16)
        register_actions(
            {
                "officers.officer.created": _("登记民警"),
                "officers.officer.changed": EDIT_OFFICER,
                "officers.officer.viewed": _("查看民警个人信息"),
                "officers.officer.consent_recorded": _("登记同意公开联系方式"),
                "officers.officer.consent_withdrawn": _("撤回同意公开联系方式"),
                "officers.officer.personal_data_erased": _("删除到期的民警个人信息"),
                "export.officers.appointment_letter": _("下载任命书"),
                "officers.appointment.nominated": NOMINATION_STEP,
                "officers.appointment.reviewed": VETTING_STEP,
                "officers.appointment.reported": REPORT_STEP,
                "officers.appointment.decided": DECISION_STEP,
                "officers.appointment.filed": FILING_STEP,
                "officers.appointment.serving": ARRIVAL_STEP,
                "officers.appointment.ended": DEPARTURE_STEP,
                "officers.appointment.returned": _("退回任职"),
                "officers.appointment.withdrawn": _("撤回任职"),
            }
        )

        from yushu_gov.audit.retention import register_rule

        from . import retention

        register_rule(
            name="officers.personal_data",
            description=_("民警离任（或登记后未任职）满保存期后，删除其身份证号码、手机号码和照片"),
            apply=retention.apply,
        )
