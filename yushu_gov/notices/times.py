"""Times as the notices read them: Shanghai days, quiet hours, deadlines as dates."""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.utils import timezone


def local_date(value: datetime) -> str:
    """A deadline as a date and time a resident reads: 2026年12月7日 14:30."""
    value = timezone.localtime(value)
    return f"{value.year}年{value.month}月{value.day}日 {value:%H:%M}"


def start_of_day(now) -> datetime:
    local = timezone.localtime(now)
    return timezone.make_aware(datetime.combine(local.date(), time.min), local.tzinfo)


def quiet_until(now) -> datetime | None:
    """The end of the quiet hours (Shanghai time) when `now` falls inside them, else None."""
    start, end = settings.NOTICE_QUIET_HOURS
    local = timezone.localtime(now)
    quiet = local.hour >= start or local.hour < end if start > end else start <= local.hour < end
    if not quiet:
        return None
    day = local.date() if local.hour < end else local.date() + timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, time(end)), local.tzinfo)
