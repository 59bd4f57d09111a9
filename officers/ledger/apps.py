from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from officers.ledger.messages import ADD_WORK_RECORD, EDIT_WORK_RECORD
from yushu_gov.input.labels import WORK_LEDGER


class LedgerConfig(AppConfig):
    name = "officers.ledger"
    label = "ledger"
    verbose_name = WORK_LEDGER

    def ready(self):
        from yushu_gov.counts.monthly import register

        from .counts import AREA_TABLE, TABLE

        register(TABLE)  # manage.py rebuild_summaries
        register(AREA_TABLE)
        from yushu_gov.audit.log import register_actions
        from yushu_gov.documents.export_jobs import register_export

        from . import exports

        register_export(exports.EXPORT)

        register_actions(
            {
                "officers.work_record.created": ADD_WORK_RECORD,
                "officers.work_record.changed": EDIT_WORK_RECORD,
                "officers.work_record.demo_loaded": _("载入演示数据"),
                "export.work.export": _("导出工作台账"),
            },
            fields={"work_records": _("工作台账记录数"), "police_calls": _("警情接报数条数")},
        )
