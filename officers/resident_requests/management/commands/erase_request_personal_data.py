from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ... import recovery, services, uploads


class Command(BaseCommand):
    help = (
        "Erases the resident's name, phone and photo from requests closed (or resolved and never rated) more "
        "than RESIDENT_REQUEST_RETENTION_DAYS days ago, with an audit entry for each, and deletes the rate-limit "
        "records, the phone codes that no longer count and the uploads held for forms never sent. Run it daily "
        "(cron or a systemd timer)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="Override the retention period (days).")

    def handle(self, *args, days=None, **options):
        if days is not None and days < 1:
            raise CommandError("--days must be at least 1.")
        erased = services.personal_data_erase(days=days)
        purged = services.throttle_purge()
        expired = uploads.expire_held()
        kept = settings.RESIDENT_REQUEST_RETENTION_DAYS if days is None else days
        self.stdout.write(f"Erased the personal data of {erased} requests (kept {kept} days after closing).")
        self.stdout.write(f"Deleted {purged} rate-limit records.")
        self.stdout.write(f"Deleted {recovery.phone_codes_purge()} expired phone codes.")
        self.stdout.write(f"Deleted {expired} held uploads of forms never sent.")
