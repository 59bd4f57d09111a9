"""Delivering notices: one task per notice on django-tasks' database queue, run by `manage.py db_worker`.

A delivery, each step a short UPDATE outside any long transaction:
1. claim: pending → sending (attempts + 1, the worker's host:pid, claimed_at), only if still pending and due;
2. quiet hours: a non-urgent SMS or WeCom notice claimed between 22:00 and 07:00 (Shanghai) goes back to
   pending with next_try at 07:00 and its task is queued for then;
3. send through the channel's adapter, which gives the provider the notice's idempotency key;
4. mark: sending → sent, with the provider's reference and the audit entry, in one transaction. A temporary
   failure goes back to pending with next_try after NOTICE_RETRY_SECONDS × 4^(attempts-1), until
   NOTICE_MAX_ATTEMPTS; a permanent one, or the last attempt, is failed with the reason.

A worker killed between 3 and 4 leaves the notice "sending". When a worker starts (or `deliver_notices`
runs) such a notice whose worker process is gone, or that is older than NOTICE_STALE_SECONDS, is recovered:
on a channel that de-duplicates by key (the development channel) it is sent again, and the second send
finds the first message; on the others (the providers do not refuse a second SMS with the same OutId or
SessionContext) it is failed with the reason "interrupted, may have been sent", for the delivery page,
rather than risk a second message: at most once, and never silently."""

import logging
import os
import socket
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from yushu_gov.audit.log import audit_log
from yushu_gov.notices.channels import PermanentFailure, SendFailure, TemporaryFailure, adapter_for
from yushu_gov.notices.models import Notice
from yushu_gov.notices.times import quiet_until

logger = logging.getLogger(__name__)
S = Notice.Status
QUIET_CHANNELS = {Notice.Channel.SMS, Notice.Channel.WECOM}


def _worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:100]


def enqueue(notice: Notice, *, run_after=None) -> None:
    """Puts the notice's task on the queue (for `run_after` when given). A backend that cannot defer (the
    immediate one of the tests) leaves a deferred notice pending for `send_periodic_notices --requeue`."""
    if run_after is None:
        deliver_notice.enqueue(notice.pk)
    elif deliver_notice.get_backend().supports_defer:
        deliver_notice.using(run_after=run_after).enqueue(notice.pk)


@task()
def deliver_notice(notice_id: int) -> str:
    """The background task: delivers one notice (see the module's docstring); returns what happened."""
    return notice_deliver(notice_id=notice_id)


def notice_deliver(*, notice_id: int) -> str:
    now = timezone.now()
    worker = _worker_name()
    claimed = (
        Notice.objects.filter(pk=notice_id, status=S.PENDING)
        .filter(Q(next_try__isnull=True) | Q(next_try__lte=now))
        .update(status=S.SENDING, attempts=F("attempts") + 1, worker=worker, claimed_at=now)
    )
    if not claimed:
        return "skipped"
    notice = Notice.objects.get(pk=notice_id)
    if not notice.urgent and notice.channel in QUIET_CHANNELS and (until := quiet_until(now)):
        Notice.objects.filter(pk=notice.pk, status=S.SENDING).update(
            status=S.PENDING, attempts=F("attempts") - 1, next_try=until, worker=""
        )
        enqueue(notice, run_after=until)
        return "quiet"
    try:
        reference = adapter_for(notice.channel).send(notice)
    except SendFailure as failure:
        return _failed(notice, failure, worker)
    except Exception as exc:  # an adapter's bug must not leave the notice sending for ever
        logger.exception("Notice %s: the %s adapter failed", notice.pk, notice.channel)
        return _failed(notice, TemporaryFailure(type(exc).__name__), worker)
    return notice_mark_sent(notice=notice, reference=reference, worker=worker)


def notice_mark_sent(*, notice: Notice, reference: str, worker: str) -> str:
    with transaction.atomic():
        updated = Notice.objects.filter(pk=notice.pk, status=S.SENDING, worker=worker).update(
            status=S.SENT, sent_at=timezone.now(), provider_ref=reference[:100], failure="", worker=""
        )
        if updated:
            _audit(notice, "notices.notice.sent", reference=reference)
    return S.SENT if updated else "abandoned"


def _audit(notice: Notice, action: str, **changes) -> None:
    audit_log(
        actor=None,
        action=action,
        obj=notice,
        changes={"channel": notice.channel, "to": notice.masked_address, "event": notice.event, **changes},
    )


def _failed(notice: Notice, failure: SendFailure, worker: str) -> str:
    reason = str(failure)[:300]
    attempts = Notice.objects.filter(pk=notice.pk).values_list("attempts", flat=True).first() or 0
    retry = isinstance(failure, TemporaryFailure) and attempts < settings.NOTICE_MAX_ATTEMPTS
    with transaction.atomic():
        same = Notice.objects.filter(pk=notice.pk, status=S.SENDING, worker=worker)
        if retry:
            when = timezone.now() + timedelta(seconds=settings.NOTICE_RETRY_SECONDS * 4 ** (attempts - 1))
            if same.update(status=S.PENDING, next_try=when, failure=reason, worker=""):
                enqueue(notice, run_after=when)
            return "retry"
        if same.update(status=S.FAILED, failure=reason, worker=""):
            _audit(notice, "notices.notice.failed", reason=reason)
    logger.warning("Notice %s failed for good: %s", notice.pk, reason)  # the reason names no phone number
    return S.FAILED


def _process_gone(worker: str) -> bool:
    host, _sep, pid = worker.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    if int(pid) == os.getpid():
        return True
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def notices_recover(*, worker_starting: bool = False) -> int:
    """Recovers the notices left "sending" by a dead worker (see the module's docstring); returns how many."""
    stale = timezone.now() - timedelta(seconds=settings.NOTICE_STALE_SECONDS)
    sending = Notice.objects.filter(status=S.SENDING)
    candidates = list(sending.filter(Q(claimed_at__lt=stale) | Q(claimed_at__isnull=True)))
    if worker_starting:
        seen = {notice.pk for notice in candidates}
        candidates += [n for n in sending.exclude(pk__in=seen).only("pk", "worker") if _process_gone(n.worker)]
    handled = 0
    for notice in candidates:
        notice = Notice.objects.get(pk=notice.pk)
        same = Notice.objects.filter(pk=notice.pk, status=S.SENDING, worker=notice.worker)
        try:
            dedupes = adapter_for(notice.channel).dedupes
        except PermanentFailure:
            dedupes = False
        with transaction.atomic():
            if dedupes:
                if same.update(status=S.PENDING, worker="", next_try=None):
                    enqueue(notice)
                    handled += 1
            elif same.update(status=S.FAILED, worker="", failure=_("发送过程中断，可能已经发出；为免重复未再发送。")):
                _audit(notice, "notices.notice.failed", reason="interrupted")
                handled += 1
    return handled


def notices_requeue() -> int:
    """Queues again every pending notice that is due (a task lost with a queue that was cleared, say)."""
    due = Notice.objects.filter(status=S.PENDING).filter(Q(next_try__isnull=True) | Q(next_try__lte=timezone.now()))
    count = 0
    for notice in due.only("pk").iterator(chunk_size=2000):
        enqueue(notice)
        count += 1
    return count
