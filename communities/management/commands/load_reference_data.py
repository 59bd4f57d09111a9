from django.core.management.base import BaseCommand

from communities.reference import load_reference_data


class Command(BaseCommand):
    help = "Loads the streets, communities, police stations and role groups (idempotent)."

    def handle(self, *args, **options):
        created = load_reference_data()
        self.stdout.write(
            "Reference data: {streets} new streets, {communities} new communities, {stations} new stations, "
            "{groups} new groups.".format(**created)
        )
