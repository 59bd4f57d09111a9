"""Writes the reminders and digests that are due (yushu_gov/notices/periodic.py) and queues again any pending
notice whose task was lost: `manage.py send_periodic_notices`, every few minutes."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from yushu_gov.notices.delivery import notices_requeue
from yushu_gov.notices.periodic import periodic_jobs


class Command(BaseCommand):
    help = "Write the due reminders and digests (notices), and queue pending notices again"

    def add_arguments(self, parser):
        parser.add_argument("--requeue", action="store_true", help="also queue again every pending notice that is due")

    def handle(self, *args, requeue=False, **options):
        now = timezone.now()
        for name, job in periodic_jobs().items():
            told = job(now)
            if options["verbosity"] > 1 or told:
                self.stdout.write(f"{name}: {told}")
        if requeue:
            self.stdout.write(f"requeued: {notices_requeue()}")
