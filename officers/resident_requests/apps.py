from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResidentRequestsConfig(AppConfig):
    name = "officers.resident_requests"
    label = "resident_requests"
    verbose_name = _("群众诉求")

    def ready(self):
        from yushu_gov.export_jobs import register_export
        from yushu_gov.home import register_panel
        from yushu_gov.roles import Role
        from yushu_gov.todo import register_todo

        from . import exports
        from .home import officer_panel_context, todo_provider

        register_export(exports.EXPORT)

        # The police deputy secretary's page on a phone: his inbox, his talks, his records, his reports.
        register_panel(
            template="resident_requests/_home_officer.html",
            roles={Role.OFFICER},
            context=officer_panel_context,
            order=5,
        )
        # What waits: new and overdue requests for the officer; overdue ones and those at the street for the
        # street; overdue ones city-wide for the city administrator.
        register_todo(name="resident_requests", provider=todo_provider, order=30)
