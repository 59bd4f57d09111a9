"""The export jobs' pages: start one (from each list's export view), watch its progress, download the file,
and "my exports". A job is its requester's alone: anyone else gets 404, as if it did not exist."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from yushu_gov.audit.log import audit_export
from yushu_gov.documents.export_jobs import bounded_params, export_job_start, export_jobs_recover
from yushu_gov.documents.models import ExportJob
from yushu_gov.documents.xlsx import XLSX_CONTENT_TYPE

MY_EXPORTS_SHOWN = 50


def start_export(request, kind: str, *, params: dict | None = None, back: str = "home"):
    """What an export view returns: the job started (or the same one under way) and its page; or, when the
    user has too many under way, `back` with the reason. `params`: the filter to store (default: the
    request's query string, bounded)."""
    try:
        job = export_job_start(
            request=request, kind=kind, params=bounded_params(request.GET) if params is None else params
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(back)
    return redirect("export_job", pk=job.pk)


def _own_job(request, pk) -> ExportJob:
    jobs = ExportJob.objects.filter(requester=request.user)
    export_jobs_recover(jobs=jobs.filter(pk=pk))  # a job whose worker died is never shown as running for ever
    job = jobs.filter(pk=pk).first()
    if job is None:
        raise Http404
    return job


@login_required
def export_job(request, pk):
    """The job's progress (the page reloads itself every 2 s while it runs), then its download link."""
    job = _own_job(request, pk)
    return render(request, "exports/job.html", {"job": job, "downloadable": job.downloadable()})


@login_required
def export_job_download(request, pk):
    job = _own_job(request, pk)
    if not job.downloadable():
        raise Http404
    try:
        handle = job.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    audit_export(actor=request.user, what="download", obj=job, filters={"kind": job.kind}, request=request)
    return FileResponse(
        handle, as_attachment=True, filename=job.filename or "export.xlsx", content_type=XLSX_CONTENT_TYPE
    )


@login_required
def my_exports(request):
    jobs = ExportJob.objects.filter(requester=request.user)
    export_jobs_recover(jobs=jobs)
    shown = list(jobs[:MY_EXPORTS_SHOWN])
    now = timezone.now()
    for job in shown:
        job.can_download = job.downloadable(now)
    refresh = any(job.active for job in shown)  # the page reloads itself while an export is under way
    return render(request, "exports/list.html", {"jobs": shown, "refresh": refresh})
