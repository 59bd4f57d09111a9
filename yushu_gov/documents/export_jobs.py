"""Exports as background jobs: a list's filtered rows written to an .xlsx by a worker (`manage.py db_worker`,
django-tasks' database backend), while the user watches a progress bar and then downloads the file.

The kernel knows no app's data: each app registers its kinds of export in its AppConfig.ready() with
`register_export(ExportKind(...))`: the name (also the audit entry's "export.<name>"), the right it needs,
the Chinese title, and `build(user, params)`, which returns an ExportSource: the rows of the user's scope as a
lazy iterator (values_list(...).iterator(chunk_size=2000)), the headers and the file's name.

A job's life, each step one short UPDATE (no transaction is held while rows are written):
- `export_job_start`: the request creates the job (queued) and puts its task on the queue.
- `export_job_run` (the task): claims the job (running, attempts + 1, the worker's host:pid), counts the rows,
  streams them into a temporary file (yushu_gov.documents.xlsx.write_workbook), reporting progress and a heartbeat
  every PROGRESS_EVERY rows, stores the file under MEDIA_ROOT/private/exports/ and marks the job done with an
  expiry, then writes the audit entry with the row count. An error marks it failed with a Chinese message.
- `export_jobs_recover`: a running job whose worker died (no heartbeat for EXPORT_STALE_SECONDS, or its
  worker's process gone from this machine when a worker starts) is queued again once, or failed with a
  message: never left running. Checked when a worker starts and whenever its page is viewed.
- `export_jobs_expire`: deletes the files EXPORT_KEEP_HOURS after they were written (the download is refused
  from then on), and the jobs themselves after KEEP_JOB_DAYS."""

import logging
import os
import socket
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import F, Q
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from yushu_gov.access.rights import can, require
from yushu_gov.audit.log import audit_export
from yushu_gov.documents.models import ExportJob
from yushu_gov.documents.xlsx import write_workbook
from yushu_gov.replicas.routing import reads_from_replica
from yushu_gov.security.clients import client_ip

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 5000  # rows between two progress updates (each one short UPDATE)
MAX_ATTEMPTS = 2  # a job interrupted by a dead worker runs once more, then fails with a message
MAX_ACTIVE_PER_USER = 3  # queued or running jobs one user may have at once
KEEP_JOB_DAYS = 30  # the job's row (without its file) stays in "my exports" this long

# Bounds of a stored filter (the query string itself is ≤ 4,096 characters: yushu_gov/security/limits.py).
MAX_PARAMS, MAX_VALUES, MAX_VALUE = 30, 20, 200
# Paging (page numbers, keyset cursors) and sorting: not part of what is exported.
IGNORED_PARAMS = {"page", "cursor", "after", "before", "sort", "order"}


@dataclass(frozen=True)
class ExportSource:
    """What a kind's build() returns: the rows of the user's scope (read lazily) and how to present them."""

    title: str  # the sheet's title
    headers: list
    rows: Iterable
    total: int | None  # for the progress bar (None: unknown)
    filename: str
    column_widths: list[int] | None = None
    filters: dict = field(default_factory=dict)  # the filter as the audit entry records it


@dataclass(frozen=True)
class ExportKind:
    name: str  # e.g. "work.export"; the audit entry's action is "export.<name>"
    permission: str  # the right (yushu_gov.access.rights.RIGHTS) checked when asked for and again when run
    title: str  # Chinese, shown in "my exports"
    build: Callable[[object, QueryDict], ExportSource]


_KINDS: dict[str, ExportKind] = {}


def register_export(kind: ExportKind) -> None:
    """Called from an app's AppConfig.ready()."""
    _KINDS[kind.name] = kind


def export_kind(name: str) -> ExportKind:
    return _KINDS[name]


def export_kinds() -> list[ExportKind]:
    """Every registered kind, by name."""
    return sorted(_KINDS.values(), key=lambda kind: kind.name)


def bounded_params(query: QueryDict) -> dict[str, list[str]]:
    """The request's filter as {name: [values]}, without paging or sorting, bounded in size."""
    params = {}
    for name, values in query.lists():
        if name in IGNORED_PARAMS or len(params) >= MAX_PARAMS:
            continue
        kept = [value[:MAX_VALUE] for value in values[:MAX_VALUES] if value != ""]
        if kept:
            params[name[:MAX_VALUE]] = kept
    return params


def params_query(params: dict) -> QueryDict:
    query = QueryDict(mutable=True)
    for name, values in params.items():
        query.setlist(name, [str(value) for value in values])
    return query


def flat_filters(params) -> dict:
    """The filter as the audit entry records it: {name: "value" or "value、value"}."""
    pairs = params.lists() if isinstance(params, QueryDict) else params.items()
    return {name: "、".join(values) for name, values in pairs}


def _worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:100]


# --- Starting a job (the request) ----------------------------------------------------------------------


def export_job_start(*, request, kind: str, params: dict) -> ExportJob:
    """Creates the user's job and queues its task; the same export asked for again while it is still queued
    or running is that job (a double click starts nothing twice). ValidationError when the user already has
    MAX_ACTIVE_PER_USER exports under way."""
    export = export_kind(kind)
    user = request.user
    require(user, export.permission)
    active = list(
        ExportJob.objects.filter(requester=user, status__in=[ExportJob.Status.QUEUED, ExportJob.Status.RUNNING])
    )
    for job in active:
        if job.kind == kind and job.params == params:
            return job
    if len(active) >= MAX_ACTIVE_PER_USER:
        raise ValidationError(
            _("您已有 %(n)s 个导出任务正在进行，请等其完成后再导出。") % {"n": len(active)}, code="too_many"
        )
    with transaction.atomic():  # the job and its task on the queue are committed together, or neither
        job = ExportJob.objects.create(
            requester=user, kind=kind, title=str(export.title)[:100], params=params, ip_address=client_ip(request)
        )
        _enqueue(job)
    job.refresh_from_db()
    return job


def _enqueue(job: ExportJob) -> None:

    result = run_export.enqueue(str(job.pk))
    # The immediate backend (tests) has run the job by now; the database backend has queued it.
    ExportJob.objects.filter(pk=job.pk, task_id="").update(task_id=str(result.id)[:64])


# --- Running a job (the worker) ------------------------------------------------------------------------


class _Abandoned(Exception):
    """The job is no longer this worker's (taken as interrupted meanwhile): stop writing."""


def _progress(job_id, rows: int) -> None:
    updated = ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.RUNNING, worker=_worker_name()).update(
        rows_done=rows, heartbeat_at=timezone.now()
    )
    if not updated:
        raise _Abandoned


def _fail(job_id, message: str) -> None:
    ExportJob.objects.filter(pk=job_id).update(
        status=ExportJob.Status.FAILED, message=message[:200], finished_at=timezone.now(), worker=""
    )


def export_job_run(job_id: str) -> str:
    """Runs a queued job to its end (done or failed); returns its final status. A job that is not queued (run
    already, or being run by another worker) is left alone."""
    now = timezone.now()
    worker = _worker_name()
    claimed = ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.QUEUED).update(
        status=ExportJob.Status.RUNNING,
        started_at=now,
        heartbeat_at=now,
        worker=worker,
        attempts=F("attempts") + 1,
        rows_done=0,
        message="",
    )
    if not claimed:
        return "skipped"
    job = ExportJob.objects.select_related("requester").get(pk=job_id)
    try:
        export = export_kind(job.kind)
        user = job.requester
        if not user.is_active or not can(user, export.permission):
            _fail(job.pk, _("您已无权导出该数据，导出已取消。"))
            return ExportJob.Status.FAILED
        # The rows are read from the replica when there is one (yushu_gov/replicas/routing.py); the job's own
        # updates and the audit entry go to the primary.
        with reads_from_replica(), tempfile.TemporaryFile(suffix=".xlsx") as handle:
            source = export.build(user, params_query(job.params))
            ExportJob.objects.filter(pk=job.pk).update(rows_total=source.total, heartbeat_at=timezone.now())
            rows = write_workbook(
                handle,
                title=source.title,
                headers=source.headers,
                rows=source.rows,
                column_widths=source.column_widths,
                progress=lambda n: _progress(job.pk, n),
                progress_every=PROGRESS_EVERY,
            )
            _progress(job.pk, rows)  # still ours: store the file
            handle.seek(0)
            job.file.save("export.xlsx", File(handle), save=False)
        finished = timezone.now()
        with transaction.atomic():  # done and audited together
            updated = ExportJob.objects.filter(pk=job.pk, status=ExportJob.Status.RUNNING, worker=worker).update(
                status=ExportJob.Status.DONE,
                file=job.file.name,
                filename=source.filename[:150],
                rows_done=rows,
                rows_total=rows,
                finished_at=finished,
                expires_at=finished + timedelta(hours=settings.EXPORT_KEEP_HOURS),
                heartbeat_at=finished,
                worker="",
            )
            if updated:
                audit_export(actor=user, what=job.kind, filters=source.filters, rows=rows, ip=job.ip_address)
        if not updated:
            job.file.delete(save=False)
            raise _Abandoned
    except _Abandoned:
        logger.warning("Export job %s was taken from this worker; its run stops here.", job_id)
        return "abandoned"
    except Exception:
        logger.exception("Export job %s failed", job_id)
        _fail(job.pk, _("导出失败。请稍后重新导出；如果再次失败，请缩小筛选范围或联系管理员。"))
        return ExportJob.Status.FAILED
    export_jobs_expire()
    return ExportJob.Status.DONE


# --- Interrupted jobs and expired files ---------------------------------------------------------------


@task()
def run_export(job_id: str) -> str:
    """The background task (django-tasks, run by `manage.py db_worker`) that writes one job's file; returns the
    job's final status."""
    return export_job_run(job_id)


def _process_gone(worker: str) -> bool:
    """Whether the worker named host:pid ran on this machine and its process is gone."""
    host, _sep, pid = worker.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    if int(pid) == os.getpid():
        return True  # this process is starting: it runs no job yet
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def export_jobs_recover(*, jobs=None, worker_starting: bool = False) -> int:
    """Queues again (once) or fails every running job whose worker is gone: no heartbeat for
    EXPORT_STALE_SECONDS, or, when a worker starts (`worker_starting`), a job whose worker process on this
    machine is no more. `jobs`: the queryset to look in (default: every job). Returns how many it handled."""
    now = timezone.now()
    stale = now - timedelta(seconds=settings.EXPORT_STALE_SECONDS)
    running = (jobs if jobs is not None else ExportJob.objects.all()).filter(status=ExportJob.Status.RUNNING)
    candidates = list(running.filter(Q(heartbeat_at__lt=stale) | Q(heartbeat_at__isnull=True)))
    if worker_starting:
        seen = {job.pk for job in candidates}
        candidates += [job for job in running.exclude(pk__in=seen) if _process_gone(job.worker)]
    handled = 0
    for job in candidates:
        # Compare-and-set on the heartbeat: a worker that is alive after all keeps its job.
        same = ExportJob.objects.filter(
            pk=job.pk, status=ExportJob.Status.RUNNING, heartbeat_at=job.heartbeat_at, worker=job.worker
        )
        if job.attempts < MAX_ATTEMPTS:
            if same.update(status=ExportJob.Status.QUEUED, worker="", rows_done=0, task_id=""):
                logger.warning("Export job %s was interrupted (worker %s); queued again.", job.pk, job.worker)
                _close_task(job.task_id, now)
                _enqueue(job)
                handled += 1
        elif same.update(
            status=ExportJob.Status.FAILED,
            worker="",
            finished_at=now,
            message=_("后台导出进程中断，重试后仍未完成。请重新导出，或缩小筛选范围后再试。"),
        ):
            logger.warning("Export job %s was interrupted again (worker %s); failed.", job.pk, job.worker)
            _close_task(job.task_id, now)
            handled += 1
    return handled


def _close_task(task_id: str, now) -> None:
    """The queue's own record of a run whose worker died stays "running": mark it failed too."""
    if not task_id:
        return
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(id=task_id, status="RUNNING").update(status="FAILED", finished_at=now)


def export_jobs_expire(*, now=None) -> int:
    """Deletes the files of jobs past their expiry, and jobs older than KEEP_JOB_DAYS. Returns the number of
    files deleted."""
    now = now or timezone.now()
    deleted = 0
    for job in ExportJob.objects.filter(expires_at__lte=now).exclude(file=""):
        job.file.delete(save=False)
        ExportJob.objects.filter(pk=job.pk).update(file="")
        deleted += 1
    old = ExportJob.objects.filter(created_at__lt=now - timedelta(days=KEEP_JOB_DAYS))
    for job in old.exclude(file=""):
        job.file.delete(save=False)
    old.exclude(status__in=[ExportJob.Status.QUEUED, ExportJob.Status.RUNNING]).delete()
    return deleted
