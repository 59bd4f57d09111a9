"""django-tasks' database worker, which first recovers the exports a dead worker left running (this
machine's worker processes that are gone, and any whose heartbeat stopped) and the notices it left sending
(yushu_gov/notices/delivery.py): `manage.py db_worker`."""

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from yushu_gov.documents.export_jobs import export_jobs_expire, export_jobs_recover
from yushu_gov.documents.worker import worker_start_hooks
from yushu_gov.notices.delivery import notices_recover


class Command(DatabaseWorkerCommand):
    help = "Run a database background worker (exports), after recovering exports left running by a dead worker"

    def handle(self, *args, **options):
        recovered = export_jobs_recover(worker_starting=True)
        if recovered and options.get("verbosity", 1):
            self.stdout.write(f"Recovered {recovered} interrupted export job(s).")
        export_jobs_expire()
        for hook in worker_start_hooks():  # the apps' own recoveries (officers/open311: webhook pushes)
            hook()
        recovered = notices_recover(worker_starting=True)
        if recovered and options.get("verbosity", 1):
            self.stdout.write(f"Recovered {recovered} notice(s) left sending by a dead worker.")
        return super().handle(*args, **options)
