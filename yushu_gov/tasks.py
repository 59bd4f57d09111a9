"""The project's background tasks (django-tasks; run by `manage.py db_worker`)."""

from django_tasks import task

from .export_jobs import export_job_run


@task()
def run_export(job_id: str) -> str:
    """Writes one export job's file (yushu_gov/documents/export_jobs.py); returns the job's final status."""
    return export_job_run(job_id)
