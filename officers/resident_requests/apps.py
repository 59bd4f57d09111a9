from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from yushu_gov.input.labels import RESIDENT_REQUESTS


class ResidentRequestsConfig(AppConfig):
    name = "officers.resident_requests"
    label = "resident_requests"
    verbose_name = RESIDENT_REQUESTS

    def ready(self):
        from yushu_gov.access.roles import Role
        from yushu_gov.audit.log import register_actions
        from yushu_gov.documents.export_jobs import register_export
        from yushu_gov.home.panels import register_panel
        from yushu_gov.home.todo import register_todo

        from . import exports
        from .home import officer_panel_context, todo_provider
        from .models import RequestStep
        from .selectors import resident_actor

        register_export(exports.EXPORT)

        # The police deputy secretary's page on a phone: his inbox, his talks, his records, his reports.
        register_panel(
            template="resident_requests/_home_officer.html",
            roles={Role.OFFICER},
            context=officer_panel_context,
            order=5,
        )
        # What waits: new and overdue requests for the officer; overdue ones and those at the street for the
        # street (which may remind its officer, take over or transfer: supervision.py).
        register_todo(name="resident_requests", provider=todo_provider, order=30)
        from yushu_gov.counts.monthly import register

        from .rollup import MONTH_TABLE, TIME_TABLE

        register(MONTH_TABLE)  # the rates' roll-ups up the tree (manage.py rebuild_summaries)
        register(TIME_TABLE)
        # The 24-hour deadline reminders (manage.py send_periodic_notices).
        from yushu_gov.notices.periodic import register_periodic

        from .notices import deadline_reminders

        register_periodic("resident_requests.deadlines", deadline_reminders)
        register_actions(
            {
                "resident_requests.request.accepted": _("受理诉求"),
                "resident_requests.request.noted": _("记录诉求办理情况"),
                "resident_requests.request.transferred": _("转办诉求"),
                "resident_requests.request.resolved": _("办结诉求"),
                "resident_requests.request.reminded": _("街道督办诉求"),
                "resident_requests.request.taken_over": _("街道接办诉求"),
                "resident_requests.request.personal_data_erased": _("删除到期的诉求个人信息"),
                "resident_requests.request.code_locked": _("查询码多次输入错误，暂时锁定"),
                "resident_requests.request.demo_loaded": _("载入演示诉求"),
                "resident_requests.deadline.changed": _("修改诉求办理时限"),
                "resident_requests.deadline.reset": _("诉求办理时限恢复继承上级"),
                "export.requests.export": _("导出群众诉求台账"),
            },
            model=RequestStep,  # a step's note and work record are logged on the request
        )
        # The resident's own steps: no account acted; the history names the resident by the request's number.
        register_actions(
            {
                "resident_requests.request.submitted": _("群众提交诉求"),
                "resident_requests.request.supported": _("群众表示也遇到了同样问题"),
                "resident_requests.request.rated": _("群众评价诉求办理结果"),
                "resident_requests.request.reopened": _("群众不满意，诉求重新办理"),
            },
            anonymous=resident_actor,
        )
