"""Deletes export files past their expiry and old export jobs, and recovers exports left running by a dead
worker (run it hourly; every worker also does it after each export): `manage.py expire_exports`."""

from django.core.management.base import BaseCommand

from yushu_gov.documents.export_jobs import export_jobs_expire, export_jobs_recover


class Command(BaseCommand):
    help = "Delete expired export files and recover interrupted export jobs"

    def handle(self, *args, **options):
        recovered = export_jobs_recover()
        deleted = export_jobs_expire()
        self.stdout.write(f"Deleted {deleted} expired export file(s); recovered {recovered} interrupted job(s).")
