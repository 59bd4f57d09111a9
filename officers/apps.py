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

        from yushu_gov.retention import register_rule

        from . import retention

        register_rule(
            name="officers.personal_data",
            description=_("民警离任（或登记后未任职）满保存期后，删除其身份证号码、手机号码和照片"),
            apply=retention.apply,
        )
