"""Logins, failed logins and logouts go into the audit log, and a login starts the session's rules: its
12-hour lifetime, the end of the account's previous session, and the second factor it still owes.
(These are Django's authentication signals: the one place where a signal is the natural hook, since the
login views are Django's own, the admin site's included.)"""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

from yushu_gov.access.roles import Role
from yushu_gov.accounts import sessions, two_factor
from yushu_gov.audit.log import audit_log
from yushu_gov.notices.outbox import notify_role


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    audit_log(actor=user, action="auth.login", obj=user, request=request)
    if request is not None and hasattr(request, "session"):
        two_factor.login_pending(request, user)
        sessions.session_started(request, user, verified=two_factor.PENDING_KEY not in request.session)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit_log(actor=user, action="auth.logout", obj=user, request=request)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    # The attempted username only; the password never reaches the log.
    username = str(credentials.get("username", ""))[:150]
    audit_log(actor=None, action="auth.login_failed", changes={"username": [None, username]}, request=request)


@receiver(user_locked_out)
def _locked_out(sender, request=None, username=None, **kwargs):
    """An account locked after repeated failures: the security administrators are told (once per account
    and hour: the event names the hour)."""
    name = str(username or "")[:150]
    hour = timezone.localtime().strftime("%Y%m%d%H")
    notify_role(
        role=Role.SECURITY_ADMIN, event=f"auth.locked.{name}.{hour}", kind="account.locked",
        title=two_factor.SECURITY_NOTICE_TITLE,
        body=_("账户 %(user)s 因多次登录失败已被锁定。") % {"user": name}, urgent=True,
    )  # fmt: skip
