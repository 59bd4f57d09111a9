from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from officers.talks.messages import ADD_TALK, EDIT_TALK
from yushu_gov.input.labels import MONTHLY_TALKS


class TalksConfig(AppConfig):
    name = "officers.talks"
    label = "talks"
    verbose_name = MONTHLY_TALKS

    def ready(self):
        from yushu_gov.counts.monthly import register

        from .counts import TABLE
        from .rollup import AREA_TABLE, STREET_TABLE

        register(TABLE)  # manage.py rebuild_summaries
        register(STREET_TABLE)  # the compliance roll-ups, per street and up the tree
        register(AREA_TABLE)
        from officers.services import register_term_keeper

        from .rollup import kept

        register_term_keeper(kept)  # a term that begins or ends changes who is due a talk
        from yushu_gov.access.roles import Role
        from yushu_gov.audit.log import register_actions
        from yushu_gov.documents.export_jobs import register_export
        from yushu_gov.home.panels import register_panel
        from yushu_gov.home.todo import register_todo

        from . import exports
        from .home import city_reminder_context, clerk_reminder_context
        from .todo import talks_due

        # Reminders: the officers still without a talk this month, and the overdue months per street.
        register_panel(
            template="talks/_home_clerk.html", roles={Role.STREET_STAFF}, context=clerk_reminder_context, order=20
        )
        register_panel(
            template="talks/_home_city.html", roles={Role.CITY_ADMIN}, context=city_reminder_context, order=20
        )
        register_todo(name="talks.due", provider=talks_due, order=20)
        from yushu_gov.notices.periodic import register_periodic

        from .notices import talk_due_reminders

        register_periodic("talks.due", talk_due_reminders)
        register_export(exports.EXPORT)
        register_actions(
            {
                "officers.talk.recorded": ADD_TALK,
                "officers.talk.changed": EDIT_TALK,
                "officers.talk.changed_closed_month": _("修改已结束月份的谈话记录"),
                "officers.talk.deleted": _("删除谈话记录"),
                "export.talks.ledger": _("导出谈心谈话台账"),
                "export.talks.sheet": _("下载谈话记录表"),
                "talks.rule.changed": _("修改谈心谈话频次"),
                "talks.rule.reset": _("谈心谈话频次恢复继承上级"),
            }
        )
