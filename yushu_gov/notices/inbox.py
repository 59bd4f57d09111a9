"""The in-app notices as their user reads them: the bell's unread count (kept in the session for a few
seconds, so that an ordinary page pays at most one small query for it), the inbox, marking read."""

import time

from django.utils import timezone

from yushu_gov.notices.models import Notice

SESSION_KEY = "notice_count"
COUNT_SECONDS = 15  # the bell shows a new notice within this many seconds


def inbox(user):
    return Notice.objects.filter(user=user, channel=Notice.Channel.INAPP).order_by("-created_at", "-pk")


def unread_count(request) -> int:
    cached = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    if isinstance(cached, list) and len(cached) == 2 and 0 <= time.time() - cached[1] < COUNT_SECONDS:
        return int(cached[0])
    count = inbox(request.user).filter(read_at__isnull=True).count()
    if hasattr(request, "session"):
        request.session[SESSION_KEY] = [count, time.time()]
    return count


def notices_mark_read(*, user, pks=None) -> int:
    """Marks the user's unread in-app notices read (all, or those of `pks`); returns how many."""
    unread = inbox(user).filter(read_at__isnull=True)
    if pks is not None:
        unread = unread.filter(pk__in=pks)
    return unread.update(read_at=timezone.now())
