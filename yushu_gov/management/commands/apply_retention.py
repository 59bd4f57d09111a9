from django.core.management.base import BaseCommand

from yushu_gov.audit.retention import rules


class Command(BaseCommand):
    help = (
        "Applies the PIPL retention rules (yushu_gov/audit/retention.py): erases or deletes the records of personal data "
        "whose retention period is over, each with an audit entry. Run it daily (cron). --dry-run only counts."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="count what is due, change nothing")

    def handle(self, *args, dry_run=False, **options):
        for rule in rules():
            count = rule.apply(dry_run=dry_run)
            verb = "due" if dry_run else "removed"
            self.stdout.write(f"{rule.name}: {count} {verb} ({rule.description}).")
