from django.core.management.base import BaseCommand

from officers.reference import load_reference_data


class Command(BaseCommand):
    help = "Loads the streets, communities, police stations, role groups and qualification standards (idempotent)."

    def handle(self, *args, **options):
        created = load_reference_data()
        self.stdout.write(
            "Reference data: {areas} new areas, {streets} new streets, {communities} new communities, "
            "{stations} new stations, {groups} new groups, {standards} new qualification standards.".format(**created)
        )
