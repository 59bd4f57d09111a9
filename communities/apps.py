from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from yushu_gov.input.labels import MONTH_LABEL


class CommunitiesConfig(AppConfig):
    name = "communities"
    verbose_name = _("街道、社区与派出所")

    def ready(self):
        from yushu_gov.audit.log import register_actions
        from yushu_gov.counts.monthly import register
        from yushu_gov.home.todo import register_todo

        from .counts import TABLE
        from .todo import names_unconfirmed, police_calls_missing

        register(TABLE)  # the police calls' roll-up up the tree (manage.py rebuild_summaries)

        register_todo(name="communities.police_calls_missing", provider=police_calls_missing, order=50)
        register_todo(name="communities.names_unconfirmed", provider=names_unconfirmed, order=55)
        register_actions(
            {
                "communities.police_calls.imported": _("导入警情接报数"),
                "communities.area.moved": _("调整区域的上级"),
                "communities.police_call_count.created": _("录入警情接报数"),
                "communities.police_call_count.changed": _("修改警情接报数"),
                "export.communities.police_call_template": _("下载警情接报数导入模板"),
            },
            fields={"months": MONTH_LABEL, "replaced": _("被替换的条数（按月）")},
        )
