from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from assessments.messages import FINALIZE_STEP, OVERALL_EVALUATION
from yushu_gov.input.labels import DUAL_ASSESSMENT


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = DUAL_ASSESSMENT

    def ready(self):
        from yushu_gov.access.rights import RIGHTS
        from yushu_gov.audit.log import register_actions
        from yushu_gov.documents.export_jobs import register_export
        from yushu_gov.home.panels import register_panel
        from yushu_gov.home.todo import register_todo

        from . import exports
        from .home import summary_context
        from .models import DutyReport
        from .todo import assessment_entries

        register_panel(
            template="assessments/_home_panel.html",
            roles=RIGHTS["assessment.view"],
            context=summary_context,
            order=60,
        )
        register_todo(name="assessments.entries", provider=assessment_entries, order=40)
        register_export(exports.EXPORT)
        register_actions(
            {
                "assessments.scheme.changed": _("修改考核方案"),
                "assessments.scheme.reset": _("考核方案恢复继承上级"),
                "assessments.year.opened": _("开启年度考核"),
                "assessments.performance.entered": _("录入履职评分"),
                "assessments.business.entered": _("录入业务考核与平时考核"),
                "assessments.assessment.combined": OVERALL_EVALUATION,
                "assessments.assessment.filed": FINALIZE_STEP,
                "assessments.assessment.reopened": _("重新开启考核结果"),
                "export.assessments.export": _("导出年度考核汇总表"),
                "export.assessments.report_file": _("下载述职报告"),
                "export.assessments.sheet": _("下载考核登记表"),
            },
            fields={"results_to_recombine": _("需重新综合评定的结果数"), "created": _("建立的考核数")},
        )
        register_actions(
            {
                "assessments.report.bureau.entered": _("录入向市公安局党委的述职及评议"),
                "assessments.report.street.entered": _("录入向街道党工委的述职及评议"),
                "assessments.report.bureau.drafted": _("保存向市公安局党委的述职报告草稿"),
                "assessments.report.street.drafted": _("保存向街道党工委的述职报告草稿"),
                "assessments.report.bureau.submitted": _("提交向市公安局党委的述职报告"),
                "assessments.report.street.submitted": _("提交向街道党工委的述职报告"),
            },
            model=DutyReport,
        )
