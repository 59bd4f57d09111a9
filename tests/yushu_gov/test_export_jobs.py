"""Exports as background jobs (yushu_gov/documents/export_jobs.py): the database queue and its worker, the progress page,
the download kept for its requester alone until it expires, and jobs whose worker died."""

import os
import signal
from datetime import date, datetime, timedelta
from decimal import Decimal
from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from openpyxl import load_workbook

from yushu_gov.documents import export_jobs

from yushu_gov.documents import xlsx
from yushu_gov.models import AuditEntry, ExportJob
from yushu_gov.input.months import SHANGHAI
from yushu_gov.documents.xlsx import write_workbook

from ..factories import WorkRecordFactory

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def run_worker(**options):
    """`manage.py db_worker --batch`: runs every queued task, then returns. The worker installs its own
    SIGINT/SIGTERM handlers; the test run's are put back."""
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval=0", verbosity=0)
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)


@pytest.fixture
def queued(settings):
    """Exports go to the database queue, as in production, instead of running inside the request."""
    settings.TASKS = DATABASE_TASKS


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_the_export_from_the_database_queue(queued, client_for, jiegu_officer):
    community = jiegu_officer.appointments.get().community
    WorkRecordFactory.create_batch(3, officer=jiegu_officer, community=community, summary="巡逻")
    WorkRecordFactory(officer=jiegu_officer, community=community, summary="=HYPERLINK()", kind="case",
                      case_number="632701202300000123")  # fmt: skip
    client = client_for("jiegu_clerk")
    response = client.get(reverse("work:export"), {"officer": jiegu_officer.pk})
    job = ExportJob.objects.get()
    assert response["Location"] == reverse("export_job", args=[job.pk])
    assert job.status == "queued" and job.params == {"officer": [str(jiegu_officer.pk)]}
    assert DBTaskResult.objects.get(id=job.task_id).status == "READY"
    page = client.get(response["Location"]).content.decode()
    assert '<meta http-equiv="refresh" content="2">' in page and "<progress" in page  # it reloads until done

    run_worker()

    job.refresh_from_db()
    assert (job.status, job.rows_done, job.rows_total, job.attempts) == ("done", 4, 4, 1)
    assert job.file.name.startswith("private/exports/") and job.worker == ""
    assert job.expires_at == job.finished_at + timedelta(hours=24)
    assert DBTaskResult.objects.get(id=job.task_id).status == "SUCCESSFUL"
    page = client.get(reverse("export_job", args=[job.pk])).content.decode()
    assert 'http-equiv="refresh"' not in page and reverse("export_job_download", args=[job.pk]) in page
    download = client.get(reverse("export_job_download", args=[job.pk]))
    sheet = load_workbook(BytesIO(b"".join(download.streaming_content))).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert sorted(r[6] for r in rows) == ["'=HYPERLINK()", "巡逻", "巡逻", "巡逻"]
    case = next(r for r in rows if r[12])
    assert case[12] == "632701202300000123"  # text, not 6.32701E+17
    entry = AuditEntry.objects.get(action="export.work.export")
    assert entry.actor.username == "t_jiegu" and entry.ip_address == "127.0.0.1"
    assert entry.changes == {"filters": [None, {"officer": str(jiegu_officer.pk)}], "rows": [None, 4]}
    assert AuditEntry.objects.filter(action="export.download", object_id=str(job.pk)).count() == 1


def test_only_the_requester_sees_the_job_and_its_file(client_for, finished_export):
    for role in ("jiegu_clerk", "bureau", "auditor"):
        client = client_for(role)
        assert client.get(reverse("export_job", args=[finished_export.pk])).status_code == 404
        assert client.get(reverse("export_job_download", args=[finished_export.pk])).status_code == 404
        assert (
            reverse("export_job", args=[finished_export.pk]) not in client.get(reverse("my_exports")).content.decode()
        )
    admin = client_for("city_admin")
    assert reverse("export_job", args=[finished_export.pk]) in admin.get(reverse("my_exports")).content.decode()
    download = admin.get(reverse("export_job_download", args=[finished_export.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"PK not a real workbook"


def test_the_file_expires_after_24_hours_and_is_deleted(client_for, finished_export):
    path = finished_export.file.path
    admin = client_for("city_admin")
    assert os.path.exists(path)
    ExportJob.objects.filter(pk=finished_export.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert admin.get(reverse("export_job_download", args=[finished_export.pk])).status_code == 404
    assert "已过期" in admin.get(reverse("export_job", args=[finished_export.pk])).content.decode()
    out = StringIO()
    call_command("expire_exports", stdout=out)
    assert "Deleted 1 expired export file(s)" in out.getvalue()
    finished_export.refresh_from_db()
    assert not finished_export.file and not os.path.exists(path)
    old = timezone.now() - timedelta(days=export_jobs.KEEP_JOB_DAYS + 1)
    ExportJob.objects.filter(pk=finished_export.pk).update(created_at=old)
    export_jobs.export_jobs_expire()
    assert not ExportJob.objects.filter(pk=finished_export.pk).exists()


def _interrupted(user, *, attempts=1, worker="elsewhere:1", heartbeat_minutes_ago=0, task_id=""):
    """A job a worker claimed and then stopped reporting on (as if its process were killed)."""
    return ExportJob.objects.create(
        requester=user,
        kind="work.export",
        title="工作台账",
        status="running",
        attempts=attempts,
        worker=worker,
        rows_done=10_000,
        rows_total=500_000,
        task_id=task_id,
        started_at=timezone.now() - timedelta(minutes=heartbeat_minutes_ago + 1),
        heartbeat_at=timezone.now() - timedelta(minutes=heartbeat_minutes_ago),
    )


def test_a_job_whose_worker_stopped_is_run_again_when_its_page_is_viewed(client_for, jiegu_clerk, jiegu_work_record):
    job = _interrupted(jiegu_clerk, heartbeat_minutes_ago=6)  # EXPORT_STALE_SECONDS is 5 minutes
    page = client_for("jiegu_clerk").get(reverse("export_job", args=[job.pk]))
    job.refresh_from_db()
    # queued again, and (the tests' tasks run at once) written this time, on its second attempt
    assert (job.status, job.attempts, job.rows_done) == ("done", 2, 1)
    assert page.context["job"].status == "done"


def test_a_job_interrupted_twice_fails_with_a_message_never_running_for_ever(client_for, jiegu_clerk, settings):
    settings.TASKS = DATABASE_TASKS
    task = DBTaskResult.objects.create(
        task_path="yushu_gov.documents.export_jobs.run_export",
        args_kwargs={"args": [], "kwargs": {}},
        queue_name="default",
        backend_name="default",
        status="RUNNING",
    )
    job = _interrupted(jiegu_clerk, attempts=2, heartbeat_minutes_ago=6, task_id=str(task.id))
    fresh = _interrupted(jiegu_clerk, attempts=1, heartbeat_minutes_ago=1)  # its worker is alive: kept
    html = client_for("jiegu_clerk").get(reverse("my_exports")).content.decode()
    job.refresh_from_db()
    fresh.refresh_from_db()
    assert job.status == "failed" and "后台导出进程中断" in job.message and job.finished_at
    assert "后台导出进程中断" in html
    assert fresh.status == "running"
    task.refresh_from_db()
    assert task.status == "FAILED"  # the queue's own record no longer says running either


@pytest.mark.django_db(transaction=True)
def test_a_worker_starting_requeues_the_job_its_dead_predecessor_left_running(queued, jiegu_clerk, jiegu_work_record):
    """The worker on this machine was killed mid-export (its process is gone, its heartbeat still recent):
    the next worker to start takes the job up again and finishes it."""
    import socket

    dead = f"{socket.gethostname()}:{2**22 + 12345}"  # beyond pid_max: no such process
    job = _interrupted(jiegu_clerk, worker=dead, heartbeat_minutes_ago=0)
    other = _interrupted(jiegu_clerk, worker="another-host:42", heartbeat_minutes_ago=0)
    run_worker()
    job.refresh_from_db()
    other.refresh_from_db()
    assert (job.status, job.attempts, job.rows_done) == ("done", 2, 1)
    assert other.status == "running"  # another machine's worker, still reporting: not ours to judge


def test_a_job_taken_from_its_worker_stops_writing(jiegu_clerk, jiegu_work_record, monkeypatch):
    """A worker presumed dead but still alive finds its job no longer its own at its next progress report and
    stops, storing nothing: two workers never both finish the same job."""
    job = ExportJob.objects.create(requester=jiegu_clerk, kind="work.export", title="工作台账")
    report = export_jobs._progress

    def report_after_the_job_was_taken(job_id, rows):
        ExportJob.objects.filter(pk=job_id).update(worker="someone-else:1")
        return report(job_id, rows)

    monkeypatch.setattr(export_jobs, "_progress", report_after_the_job_was_taken)
    assert export_jobs.export_job_run(str(job.pk)) == "abandoned"
    job.refresh_from_db()
    assert job.status == "running" and job.worker == "someone-else:1" and not job.file


def test_a_failing_export_says_so_in_chinese(client_for, jiegu_work_record, monkeypatch):
    def broken(user, params):
        raise RuntimeError("database gone")

    monkeypatch.setitem(
        export_jobs._KINDS, "work.export", export_jobs.ExportKind("work.export", "work.view", "工作台账", broken)
    )
    client = client_for("jiegu_clerk")
    page = client.get(reverse("work:export"), follow=True).content.decode()
    job = ExportJob.objects.get()
    assert job.status == "failed" and job.message.startswith("导出失败")
    assert "导出失败" in page and "database gone" not in page


def test_the_same_export_twice_is_one_job_and_the_number_under_way_is_bounded(client_for, jiegu_clerk, queued):
    client = client_for("jiegu_clerk")
    first = client.get(reverse("work:export"), {"kind": "patrol", "page": "3"})
    again = client.get(reverse("work:export"), {"kind": "patrol"})  # the page number is not part of it
    assert first["Location"] == again["Location"] and ExportJob.objects.count() == 1
    client.get(reverse("work:export"), {"kind": "case"})
    client.get(reverse("work:export"), {"kind": "dispute"})
    refused = client.get(reverse("work:export"), {"kind": "aid"}, follow=True)
    assert ExportJob.objects.count() == export_jobs.MAX_ACTIVE_PER_USER
    assert "个导出任务正在进行" in refused.content.decode()


def test_stored_filters_are_bounded():
    from django.http import QueryDict

    query = QueryDict(mutable=True)
    query.setlist("q", ["x" * 1000] * 50)
    for n in range(100):
        query[f"f{n}"] = "1"
    params = export_jobs.bounded_params(query)
    assert len(params) == export_jobs.MAX_PARAMS
    assert len(params["q"]) == export_jobs.MAX_VALUES and len(params["q"][0]) == export_jobs.MAX_VALUE


@pytest.mark.parametrize("fast", [True, False], ids=["rows-as-xml", "openpyxl-cells"])
def test_the_streamed_workbook_keeps_text_dates_and_formula_escaping_and_rolls_over_to_a_second_sheet(
    tmp_path, fast, monkeypatch
):
    monkeypatch.setattr(xlsx._StreamingSheet, "fast", fast)
    rows = [
        [date(2023, 5, 1), "632701199001011234", "+cmd", " padded ", 12, Decimal("3.50"), None, True, "a<b&c\x07"],
        [datetime(2023, 5, 1, 8, 30, tzinfo=SHANGHAI), "@x", "-1", "", 0, 1.5, "ok", False, "\t tab"],
        [date(2023, 5, 2), "third", "", "", 1, 1, "", None, ""],
    ]
    seen = []
    target = tmp_path / "out.xlsx"
    written = write_workbook(
        target,
        title="测试",
        headers=["日期", "号码", "公式", "空格", "整数", "金额", "空", "是否", "其他"],
        rows=iter(rows),
        progress=seen.append,
        progress_every=2,
        max_rows_per_sheet=2,
    )
    assert written == 3 and seen == [2]
    workbook = load_workbook(target)
    first, second = workbook.worksheets
    assert (first.title, second.title) == ("测试", "测试 (2)")
    assert [c.value for c in second[1]] == [c.value for c in first[1]] and first[1][0].font.b
    assert first.freeze_panes == "A2"
    one = [c for c in first[2]]
    assert one[0].value.date() == date(2023, 5, 1) and one[0].number_format == "yyyy-mm-dd"
    assert one[1].value == "632701199001011234" and one[1].data_type == "s" and one[1].number_format == "@"
    assert one[2].value == "'+cmd" and one[3].value == " padded "
    assert one[4].value == 12 and one[5].value == 3.5 and one[6].value is None and one[7].value == "是"
    assert one[8].value == "a<b&c"  # a control character XML cannot hold is dropped, not a broken file
    two = [c.value for c in first[3]]
    assert (
        two[0] == datetime(2023, 5, 1, 8, 30, tzinfo=SHANGHAI).replace(tzinfo=None)
        and two[1] == "'@x"
        and two[2] == "'-1"
        and two[8] == "'\t tab"
    )
    assert first[3][0].number_format == "yyyy-mm-dd hh:mm"
    assert second["A2"].value.date() == date(2023, 5, 2) and second["B2"].value == "third"
