"""The session rules of 等保 level 3 beside the 30-minute idle timeout (settings.SESSION_COOKIE_AGE):

- an absolute lifetime of 12 hours from the login (settings.SESSION_ABSOLUTE_SECONDS);
- one active session per account (settings.SINGLE_SESSION_PER_ACCOUNT): the account records its current
  session at each login, and a session that is not the account's current one is ended at its next request.

`session_started` runs at every login (yushu_gov/accounts/signals.py); `ended` is asked by the middleware on every
request, from the session and the user row the request has loaded anyway (no extra query).
"""

import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

LOGIN_AT_KEY = "yushu_login_at"
UNVERIFIED_KEY = "yushu_session_unverified"  # a password-only session that owes its second factor


def session_started(request, user, *, verified: bool = True) -> None:
    """Stamps the new session with its login time and, once it is `verified` (no second factor owed), makes it
    the account's only session: the previous one ends at its next request, with a message saying why (someone
    else may be using the account). A password alone ends nothing: a session that still owes its second
    factor waits for `session_verified`."""
    request.session[LOGIN_AT_KEY] = int(time.time())
    if not verified:
        request.session[UNVERIFIED_KEY] = True
        return
    request.session.pop(UNVERIFIED_KEY, None)
    if not settings.SINGLE_SESSION_PER_ACCOUNT:
        return
    if not request.session.session_key:
        request.session.save()
    session_recorded(user, request.session.session_key)


def session_verified(request, user) -> None:
    """The second factor accepted: the session becomes the account's only one."""
    if request.session.pop(UNVERIFIED_KEY, None) and settings.SINGLE_SESSION_PER_ACCOUNT:
        if not request.session.session_key:
            request.session.save()
        session_recorded(user, request.session.session_key)


def session_recorded(user, key: str) -> None:
    """Records `key` as the account's current session (after a login, or a password change that renewed it)."""
    get_user_model().objects.filter(pk=user.pk).update(session_key=key)
    user.session_key = key


def ended(request) -> str | None:
    """Why the request's session may no longer be used (a message for the login page), or None."""
    login_at = request.session.get(LOGIN_AT_KEY)
    if login_at is None or time.time() - login_at > settings.SESSION_ABSOLUTE_SECONDS:
        hours = settings.SESSION_ABSOLUTE_SECONDS // 3600
        return _("登录已超过 %(hours)s 小时，请重新登录。") % {"hours": hours}
    user = request.user
    if (
        settings.SINGLE_SESSION_PER_ACCOUNT
        and user.session_key
        and user.session_key != request.session.session_key
        and not request.session.get(UNVERIFIED_KEY)  # not yet the account's session (its gate holds it)
    ):
        return _("您的账号已在其他地方登录，本会话已结束。")
    return None
