from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class YushuGovConfig(AppConfig):
    name = "yushu_gov"
    verbose_name = _("账户与审计")

    def ready(self):
        from . import (  # noqa: F401  (deployment checks; login, logout and failed-login audit entries)
            aggregates,  # noqa: F401  (the median aggregate, registered on each SQLite connection)
            checks,
            signals,
        )
        from .audit import register_actions
        from .home import register_panel
        from .roles import Role
        from .views import accounts_context, recent_audit_context

        register_panel(template="audit/_home_panel.html", roles={Role.AUDITOR}, context=recent_audit_context)
        register_actions(
            {
                "auth.login": _("登录"),
                "auth.logout": _("退出登录"),
                "auth.login_failed": _("登录失败"),
                "export.audit": _("导出审计日志"),
            }
        )
        register_panel(template="account/_home_panel.html", roles={Role.SECURITY_ADMIN}, context=accounts_context)

        from .retention import login_records, register_rule

        register_rule(
            name="yushu_gov.login_records",
            description=_("登录记录（失败的尝试、登录、锁定及其IP地址）保存期满后删除"),
            apply=login_records,
        )
