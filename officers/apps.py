from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OfficersConfig(AppConfig):
    name = "officers"
    verbose_name = _("党员民警与任职")

    def ready(self):
        from yushu_gov.access import READERS
        from yushu_gov.home import register_panel

        from .home import summary_context

        register_panel(template="officers/_home_panel.html", roles=READERS, context=summary_context, order=10)

        # Monthly talks (issue 4): reminders on the street clerk's and the city administrator's home pages.
        from yushu_gov.roles import Role

        from .talk_home import city_reminder_context, clerk_reminder_context

        register_panel(
            template="talks/_home_clerk.html", roles={Role.STREET_STAFF}, context=clerk_reminder_context, order=20
        )
        register_panel(
            template="talks/_home_city.html", roles={Role.CITY_ADMIN}, context=city_reminder_context, order=20
        )
