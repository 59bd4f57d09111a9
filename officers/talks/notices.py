"""The officer's talk due this month (yushu_gov/notices/periodic.py): from the 20th of the month, each
serving officer with an account and no talk yet this month is told once that month."""

from datetime import datetime, time

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _

from officers.models import Appointment
from yushu_gov.input.labels import MONTHLY_TALKS
from yushu_gov.notices.outbox import notify_user

from .models import MonthlyTalk

REMIND_FROM_DAY = 20


def talk_due_reminders(now) -> int:
    local = timezone.localtime(now)
    if local.day < REMIND_FROM_DAY:
        return 0
    start = timezone.make_aware(datetime.combine(local.date().replace(day=1), time.min), local.tzinfo)
    serving = Appointment.objects.serving().values_list("officer_id", flat=True)
    talked = MonthlyTalk.objects.filter(held_at__gte=start, deleted_at__isnull=True).values_list("officer_id")
    users = get_user_model().objects.filter(officer_id__in=serving, is_active=True).exclude(officer_id__in=talked)
    told = 0
    for user in users.order_by("pk"):
        notify_user(
            user=user, event=f"talks.due.{user.officer_id}.{local:%Y-%m}", kind="talk.due", title=str(MONTHLY_TALKS),
            body=_("本月（%(month)s）街道党工委尚未与您谈心谈话，请与街道联系安排。") % {"month": f"{local:%Y年%m月}"},
        )  # fmt: skip
        told += 1
    return told
