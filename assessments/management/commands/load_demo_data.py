from django.core.management.base import BaseCommand

from assessments.demo_accounts import create_demo_accounts
from officers import demo as officers_demo
from officers import talk_demo
from officers.reference import load_reference_data


class Command(BaseCommand):
    help = "Loads the reference data, the demo accounts and a fictional demo data set (safe to run again)."

    def handle(self, *args, **options):
        load_reference_data()
        users = create_demo_accounts()
        officers = officers_demo.load(by=users["admin"], staff={"jiegu": users["jiegu"], "xihang": users["xihang"]})
        self.stdout.write(f"Demo data: {len(users)} accounts, {officers} new officers.")
        talks = talk_demo.load(by=users["admin"])  # monthly talks (issue 4)
        self.stdout.write(f"Demo data: {talks} new monthly talks.")
        # year-end assessment (issue 6): 2022 filed, 2023 open
        from assessments import demo as assessments_demo

        assessed = assessments_demo.load(users=users)
        self.stdout.write(f"Demo assessments: {assessed or 'already loaded'}.")

        # Work ledger and police-call figures for 2022 and 2023 (issue 5).
        from officers import demo_ledger

        ledger = demo_ledger.load(by=users["admin"])
        self.stdout.write(
            f"Demo ledger: {ledger['work_records']} new work records, {ledger['police_calls']} new call figures."
        )
