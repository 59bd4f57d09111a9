"""The background exports: one row per job, with its progress and its file."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yushu_gov.input.labels import FILTER_CONDITIONS, IP_ADDRESS, NAME_OF_THING, NOTE_LABEL, STATUS_LABEL


def export_file_path(instance, filename):
    """Under MEDIA_ROOT/private/ with a random name: never a public URL, only the requester's download view."""
    return f"private/exports/{instance.created_at:%Y%m%d}/{uuid.uuid4().hex}.xlsx"


class ExportJob(models.Model):
    """One export run in the background (yushu_gov/documents/export_jobs.py): who asked, for which kind and filter, how
    far it got, and the file, kept for EXPORT_KEEP_HOURS after it is written and then deleted. Only the
    requester sees the job or downloads its file."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("导出中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申请人"), on_delete=models.CASCADE, related_name="export_jobs"
    )
    kind = models.CharField(_("导出类型"), max_length=50)
    title = models.CharField(NAME_OF_THING, max_length=100)
    # The list's filter as the request gave it ({name: [values]}), bounded by export_jobs.bounded_params.
    params = models.JSONField(FILTER_CONDITIONS, default=dict, blank=True)
    status = models.CharField(STATUS_LABEL, max_length=10, choices=Status.choices, default=Status.QUEUED)
    rows_done = models.PositiveIntegerField(_("已导出行数"), default=0)
    rows_total = models.PositiveIntegerField(_("总行数"), null=True, blank=True)
    message = models.CharField(NOTE_LABEL, max_length=200, blank=True)
    file = models.FileField(_("文件"), upload_to=export_file_path, max_length=200, blank=True)
    filename = models.CharField(_("下载文件名"), max_length=150, blank=True)
    attempts = models.PositiveSmallIntegerField(_("运行次数"), default=0)
    worker = models.CharField(_("后台进程"), max_length=100, blank=True)  # host:pid of the run in progress
    task_id = models.CharField(_("任务编号"), max_length=64, blank=True)  # the queue's id of the last run
    ip_address = models.GenericIPAddressField(IP_ADDRESS, null=True, blank=True)  # for the audit entry
    created_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("最近进展"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    expires_at = models.DateTimeField(_("下载截止"), null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("导出任务")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["requester", "-created_at"], name="export_job_requester_idx"),
            models.Index(fields=["status", "heartbeat_at"], name="export_job_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["queued", "running", "done", "failed"]),
                name="export_job_status_valid",
                violation_error_message=_("导出任务状态无效。"),
            )
        ]

    def __str__(self):
        return f"{self.title} · {self.get_status_display()}"

    @property
    def active(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(99, self.rows_done * 100 // self.rows_total)

    def downloadable(self, now=None) -> bool:
        now = now or timezone.now()
        return (
            self.status == self.Status.DONE
            and bool(self.file)
            and self.expires_at is not None
            and now < self.expires_at
        )
