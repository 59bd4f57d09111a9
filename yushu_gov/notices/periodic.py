"""Notices that no single event causes: reminders and digests, written by `manage.py send_periodic_notices`
(run every few minutes: cron, a systemd timer, or the loop `make run` starts beside the worker). Apps
register a job in AppConfig.ready(), so the kernel depends on no app. Each job names its events by their
period (the month, the ISO week, the deadline), so running it again writes nothing new: the notices'
idempotency key makes the command safe to run as often as one likes.

The kernel's own job is the weekly digest (Monday from 08:00 Shanghai) of each street clerk's and bureau
reviewer's to-do list (yushu_gov/home/todo.py): overdue talks, overdue requests, appointment steps waiting,
assessments waiting for their entries."""

from collections.abc import Callable
from types import SimpleNamespace

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from yushu_gov.access.roles import Role
from yushu_gov.home.todo import todo_items
from yushu_gov.notices.outbox import notify_user, users_with_role

_JOBS: dict[str, Callable] = {}


def register_periodic(name: str, job: Callable) -> None:
    """`job(now)` writes its notices and returns how many recipients it told."""
    _JOBS[name] = job


def periodic_jobs() -> dict[str, Callable]:
    return dict(sorted(_JOBS.items()))


def weekly_digest(now) -> int:
    local = timezone.localtime(now)
    if local.isoweekday() != 1 or local.hour < 8:
        return 0
    year, week, _day = local.isocalendar()
    told = 0
    for role in (Role.STREET_STAFF, Role.BUREAU_REVIEWER):
        for user in users_with_role(role).select_related("street"):
            items = todo_items(SimpleNamespace(user=user))
            if not items:
                continue
            lines = "；".join(f"{item.label} {item.count}" for item in items)
            notify_user(
                user=user, event=f"digest.{year}-W{week:02d}", kind="digest.weekly", title=_("每周待办摘要"),
                body=_("本周待办：%(lines)s。") % {"lines": lines}, link=reverse("home"),
            )  # fmt: skip
            told += 1
    return told
