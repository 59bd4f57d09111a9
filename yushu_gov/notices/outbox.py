"""Writing notices: always inside the transaction of the event that causes them (the caller's service is
atomic), so a rolled-back change leaves no notice and a committed one leaves its notices and their tasks on
the queue (django-tasks' database backend keeps the queue in the same database: the task row commits or
rolls back with the notice).

A notice is unique on (event, recipient, channel): writing it again returns the one that exists, so a retried
request, a repeated periodic command or two workers deciding the same thing send once. In-app notices are
delivered when written (the bell reads them); SMS, WeCom and e-mail go to the worker
(yushu_gov/notices/delivery.py). One recipient gets at most NOTICE_DAILY_CAP external notices a day (Shanghai
days); the ones past the cap are kept as skipped, with the reason, unless urgent."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from yushu_gov.access.roles import GROUP_NAMES, Role, role_of
from yushu_gov.notices.delivery import enqueue
from yushu_gov.notices.models import Notice, NoticeChoice
from yushu_gov.notices.times import start_of_day

C = Notice.Channel
S = Notice.Status


def absolute(path: str) -> str:
    """A link as a message outside the application needs it (PUBLIC_BASE_URL + path), else the path."""
    if not path or path.startswith(("http://", "https://")):
        return path
    return f"{settings.PUBLIC_BASE_URL}{path}"


def _over_cap(recipient: str, now) -> bool:
    sent_today = Notice.objects.filter(recipient=recipient, created_at__gte=start_of_day(now)).exclude(channel=C.INAPP)
    return sent_today.exclude(status=S.SKIPPED).count() >= settings.NOTICE_DAILY_CAP


def notice_write(
    *,
    event: str,
    recipient: str,
    channel: str,
    kind: str,
    title: str,
    body: str,
    user=None,
    address: str = "",
    params: dict | None = None,
    link: str = "",
    urgent: bool = False,
) -> Notice:
    """One notice, in the caller's transaction; the existing one when the same event already told the same
    recipient on the same channel."""
    existing = Notice.objects.filter(event=event[:100], recipient=recipient[:60], channel=channel).first()
    if existing is not None:
        return existing
    now = timezone.now()
    notice = Notice(
        event=event[:100], recipient=recipient[:60], channel=channel, kind=kind[:60], user=user, address=address,
        title=str(title)[:100], body=str(body)[:500], params=params or {}, link=link[:300], urgent=urgent,
    )  # fmt: skip
    if channel == C.INAPP:
        notice.status, notice.sent_at = S.SENT, now
    elif not urgent and _over_cap(notice.recipient, now):
        notice.status, notice.failure = S.SKIPPED, _("超出每人每日通知上限，未发送。")
    try:
        with transaction.atomic():
            notice.save()
    except IntegrityError:  # the same notice written at the same moment by another transaction
        return Notice.objects.get(event=notice.event, recipient=notice.recipient, channel=channel)
    if notice.status == S.PENDING:
        enqueue(notice)
    return notice


# ---------------------------------------------------------------- who is told


def wecom_group_of(user) -> str:
    """The WeCom group a staff member's notices go to (a key of WECOM_WEBHOOKS)."""
    role = role_of(user)
    if role == Role.STREET_STAFF and user.street_id:
        return f"street:{user.street.code}"
    if role in (Role.BUREAU_REVIEWER, Role.STATION_LEADER, Role.OFFICER):
        return "bureau"
    return "city"


def notify_user(*, user, event: str, kind: str, title: str, body: str, link: str = "", urgent: bool = False) -> None:
    """A staff member: the in-app notice always, and the channels they chose on their account page."""
    if user is None or not user.is_active:
        return
    recipient = f"user:{user.pk}"
    common = {"event": event, "recipient": recipient, "kind": kind, "title": title, "body": body, "user": user}
    notice_write(channel=C.INAPP, link=link, urgent=urgent, **common)
    choice = NoticeChoice.objects.filter(user=user).first()
    if choice is None:
        return
    if choice.email and user.email:
        notice_write(channel=C.EMAIL, address=user.email, link=absolute(link), urgent=urgent, **common)
    if choice.wecom:
        notice_write(channel=C.WECOM, address=wecom_group_of(user), link=absolute(link), urgent=urgent, **common)


def users_with_role(role: Role, **scope):
    return get_user_model().objects.filter(groups__name=GROUP_NAMES[role], is_active=True, **scope).order_by("pk")


def notify_role(*, role: Role, event: str, kind: str, title: str, body: str, link: str = "", urgent: bool = False,
                **scope) -> int:  # fmt: skip
    """Every active user of a role (within `scope`, e.g. street=…); returns how many were told."""
    users = list(users_with_role(role, **scope))
    for user in users:
        notify_user(user=user, event=event, kind=kind, title=title, body=body, link=link, urgent=urgent)
    return len(users)


def phone_recipient(phone: str) -> str:
    """The recipient a phone's notices are counted under (its daily cap) without the number: a keyed hash."""
    return "phone:" + salted_hmac("notices.recipient.phone", phone).hexdigest()[:40]


def notify_phone(*, phone: str, recipient: str = "", event: str, kind: str, title: str, body: str, params: dict,
                 link: str = "", urgent: bool = False) -> Notice | None:  # fmt: skip
    """An SMS to a phone (a resident's), counted under `recipient` (phone_recipient(phone) by default)."""
    if not phone:
        return None
    recipient = recipient or phone_recipient(phone)
    return notice_write(
        event=event, recipient=recipient, channel=C.SMS, kind=kind, title=title, body=body, address=phone,
        params=params, link=absolute(link), urgent=urgent,
    )  # fmt: skip
