from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    name = "officers.ledger"
    label = "ledger"
    verbose_name = _("工作台账")

    def ready(self):
        from communities.summaries import register_source

        from .summaries import recount

        register_source("ledger", recount)  # manage.py rebuild_summaries
        from yushu_gov.audit.log import register_actions
        from yushu_gov.documents.export_jobs import register_export

        from . import exports

        register_export(exports.EXPORT)

        register_actions(
            {
                "officers.work_record.created": _("录入工作台账"),
                "officers.work_record.changed": _("修改工作台账"),
                "officers.work_record.demo_loaded": _("载入演示数据"),
                "export.work.export": _("导出工作台账"),
            },
            fields={"work_records": _("工作台账记录数"), "police_calls": _("警情接报数条数")},
        )
