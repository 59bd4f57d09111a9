from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from officers.reference import load_reference_data

from ... import accounts, assessments, ledger, officers, open311, resident_requests, talks


class Command(BaseCommand):
    help = "Loads the reference data, the demo accounts and a fictional demo data set (safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Load even with DEBUG off (the demo accounts share one published password).",
        )

    def handle(self, *args, allow_production=False, **options):
        if not settings.DEBUG and not allow_production:
            raise CommandError("DEBUG is off: the demo data and its accounts are for development only.")
        load_reference_data()
        users = accounts.create_demo_accounts()
        new_officers = officers.load(by=users["admin"], staff={"jiegu": users["jiegu"], "xihang": users["xihang"]})
        self.stdout.write(f"Demo data: {len(users)} accounts, {new_officers} new officers.")
        self.stdout.write(f"Demo data: {officers.add_tibetan_names(by=users['admin'])} Tibetan names added.")
        self.stdout.write(f"Demo data: {talks.load(by=users['admin'])} new monthly talks.")
        assessed = assessments.load(users=users)  # 2022 filed, 2023 open
        self.stdout.write(f"Demo assessments: {assessed or 'already loaded'}.")
        if assessments.set_last_years_scheme():
            self.stdout.write("Demo assessments: last year's scheme set, to be opened by the bureau.")
        figures = ledger.load(by=users["admin"])  # work records and police calls, 2022 and 2023
        self.stdout.write(
            f"Demo ledger: {figures['work_records']} new work records, {figures['police_calls']} new call figures."
        )
        self.stdout.write(f"Demo requests: {resident_requests.load(users=users)} new residents' requests.")
        recent = ledger.load_recent(by=users["admin"])  # every month since 2024, up to today
        self.stdout.write(
            f"Demo ledger since 2024: {recent['work_records']} new work records, "
            f"{recent['police_calls']} new call figures."
        )
        key = open311.load(by=users["security"])
        self.stdout.write(f"Demo Open311 / 12345 partner key (api_key): {key}")
