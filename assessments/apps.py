from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("双述职双考核")

    def ready(self):
        from yushu_gov.access import RIGHTS
        from yushu_gov.home import register_panel

        from .home import summary_context

        register_panel(
            template="assessments/_home_panel.html",
            roles=RIGHTS["assessment.view"],
            context=summary_context,
            order=60,
        )
