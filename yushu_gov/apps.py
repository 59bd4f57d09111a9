from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class YushuGovConfig(AppConfig):
    name = "yushu_gov"
    verbose_name = _("账户与审计")

    def ready(self):
        # Imported for what importing does: the deployment checks, the login/logout/failed-login audit entries,
        # the median aggregate registered on each SQLite connection, and the admin site's pages.
        from .access.roles import Role
        from .accounts import signals  # noqa: F401
        from .audit.log import register_actions
        from .home.panels import register_panel
        from .lists import aggregates  # noqa: F401
        from .web import admin, checks  # noqa: F401
        from .web.views import accounts_context, recent_audit_context

        register_panel(template="audit/_home_panel.html", roles={Role.AUDITOR}, context=recent_audit_context)
        register_actions(
            {
                "auth.login": _("登录"),
                "auth.logout": _("退出登录"),
                "auth.login_failed": _("登录失败"),
                "export.audit": _("导出审计日志"),
                "auth.session_ended": _("会话超时结束"),
                "auth.unlocked": _("解除账户锁定"),
                "auth.password.changed": _("修改本人密码"),
                "auth.password.reset": _("重置用户密码"),
                "auth.2fa.enrolled": _("绑定双因素认证"),
                "auth.2fa.failed": _("双因素验证码错误"),
                "auth.2fa.verified_totp": _("双因素认证通过（验证码）"),
                "auth.2fa.verified_recovery": _("双因素认证通过（恢复码）"),
                "auth.2fa.recovery_codes_regenerated": _("重新生成恢复码"),
                "auth.2fa.reset": _("重置双因素认证"),
                "access.refused": _("越权操作被拒绝"),
                "auth.2fa.enrolment_link_issued": _("发放双因素认证绑定链接"),
                "auth.2fa.enrolment_link_refused": _("双因素认证绑定链接无效"),
                "yushu_gov.user.role_assigned": _("设置用户角色与范围"),
                "security.personal_data_key.rotated": _("轮换个人信息加密密钥"),
                "retention.login_record.deleted": _("删除到期的登录记录"),
                "export.download": _("下载导出文件"),
                "notices.notice.sent": _("发送通知"),
                "notices.notice.failed": _("通知发送失败"),
            },
            fields={"attempts": _("失败次数")},
        )
        register_panel(template="account/_home_panel.html", roles={Role.SECURITY_ADMIN}, context=accounts_context)

        from .notices.periodic import register_periodic, weekly_digest

        register_periodic("yushu_gov.weekly_digest", weekly_digest)

        from .documents.export_jobs import register_export
        from .web import audit_export

        register_export(audit_export.EXPORT)

        from .audit.retention import login_records, register_rule

        register_rule(
            name="yushu_gov.login_records",
            description=_("登录记录（失败的尝试、登录、锁定及其IP地址）保存期满后删除"),
            apply=login_records,
        )
