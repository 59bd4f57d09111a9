from django.conf import settings
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError

from officers.reference import load_reference_data

from ... import scale as scale_data


def positive_scale(text: str) -> float:
    value = float(text)
    if not 0 < value <= 100:
        raise ValueError("scale out of range")
    return value


class Command(BaseCommand):
    help = (
        "Loads the province-scale data set (for the benchmark) on an empty database: at --scale 1, a province "
        "of 8 prefectures, 45 cities and counties and 500 communities (玉树州 moved under it), "
        "2,000 officers (500 serving), 120,000 talks, 500,000 work records, 24,000 police-call figures, 2,000 "
        "assessments and 20,000 residents' requests; N times each at --scale N (fractions such as 0.01 allowed)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=positive_scale, default=1.0, help="Multiple of the 1× data set (0 < N ≤ 100)."
        )
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Load even with DEBUG off (the demo accounts share one published password).",
        )

    def handle(self, *args, scale=1.0, allow_production=False, **options):
        if not settings.DEBUG and not allow_production:
            raise CommandError("DEBUG is off: the scale data and its accounts are for development only.")
        load_reference_data()
        try:
            counts = scale_data.load(scale=scale, log=self.stdout.write)
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        # Derived tables that writes through the services keep (the talks' and the ledger's monthly counts,
        # where that command exists) are recounted from the rows inserted in bulk.
        for derived in ("rebuild_summaries",):
            if derived in get_commands():
                self.stdout.write(f"Running {derived}.")
                call_command(derived, stdout=self.stdout)
        width = max(len(name) for name in counts)
        for name, count in counts.items():
            self.stdout.write(f"{name:<{width}}  {count:>10,}")
