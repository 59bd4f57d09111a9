"""The officer's talk due this month (yushu_gov/notices/periodic.py): from the 20th of the month, each
serving officer with an account and no talk yet in the month's period is told once that month. The period is
the month itself, or, where a level of the organisation tree has set a talk every 2 to 6 months (TalkRule,
issue 20), the months since the period's first (a talk held there already counts)."""

from datetime import datetime, time

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _

from officers.models import Appointment
from yushu_gov.input.labels import MONTHLY_TALKS
from yushu_gov.notices.outbox import notify_user

from .models import MonthlyTalk, period_start
from .selectors import every_months_of

REMIND_FROM_DAY = 20


def talk_due_reminders(now) -> int:
    local = timezone.localtime(now)
    if local.day < REMIND_FROM_DAY:
        return 0
    # The serving officers by the first month of their current period (each street's area has its rule).
    serving = Appointment.objects.serving().annotate(every=every_months_of("community__street__area__path"))
    by_first: dict[int, set[int]] = {}
    for officer_id, every in serving.values_list("officer_id", "every"):
        by_first.setdefault(period_start(local.month, every), set()).add(officer_id)
    waiting: set[int] = set()
    for first, officers in by_first.items():
        start = timezone.make_aware(datetime.combine(local.date().replace(month=first, day=1), time.min), local.tzinfo)
        talked = MonthlyTalk.objects.filter(officer_id__in=officers, held_at__gte=start, deleted_at__isnull=True)
        waiting |= officers - set(talked.values_list("officer_id", flat=True))
    users = get_user_model().objects.filter(officer_id__in=waiting, is_active=True)
    told = 0
    for user in users.order_by("pk"):
        notify_user(
            user=user, event=f"talks.due.{user.officer_id}.{local:%Y-%m}", kind="talk.due", title=str(MONTHLY_TALKS),
            body=_("本月（%(month)s）街道党工委尚未与您谈心谈话，请与街道联系安排。") % {"month": f"{local:%Y年%m月}"},
        )  # fmt: skip
        told += 1
    return told
