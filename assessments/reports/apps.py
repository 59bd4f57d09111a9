from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """The dashboard (统计分析) and the year-end briefing (年度简报): the top layer, reading every other app's
    records. Nothing imports it but the URL configuration."""

    name = "assessments.reports"
    label = "reports"
    verbose_name = _("统计分析与年度简报")

    def ready(self):
        from yushu_gov.audit.log import register_actions

        register_actions({"export.reports.briefing_pdf": _("下载年度简报（PDF）")})
