from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import TextField
from django.db.models.functions import Cast

from yushu_gov.security import crypto
from yushu_gov.audit.log import audit_log
from yushu_gov.security.fields import EncryptedCharField

BATCH = 500


def encrypted_fields() -> dict:
    """{model: [its encrypted fields]} for every installed model."""
    found = {}
    for model in apps.get_models():
        fields = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedCharField)]
        if fields:
            found[model] = fields
    return found


class Command(BaseCommand):
    help = (
        "Re-encrypts every encrypted value (ID and mobile numbers, TOTP secrets) with the first key of "
        "PERSONAL_DATA_KEYS and recomputes the keyed hashes. To rotate: put the new key first in "
        "PERSONAL_DATA_KEYS, keep the old one after it, deploy, run this command, then remove the old key. "
        "With --check: only counts the values still under an older key (exit 1 if any)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="count, change nothing")

    def handle(self, *args, check=False, **options):
        current = crypto.current_key().id
        self.stdout.write(f"Current key: {current}; keys known: {', '.join(k.id for k in crypto.keys())}.")
        summary = {}
        for model, fields in encrypted_fields().items():
            label = model._meta.label
            raw = {f"_raw_{f.attname}": Cast(f.attname, TextField()) for f in fields}
            rows = model._default_manager.annotate(**raw).values_list("pk", *raw)
            stale = [
                pk
                for pk, *values in rows.iterator(chunk_size=2000)
                if any(value and crypto.key_id_of(value) != current for value in values)
            ]
            summary[label] = len(stale)
            if check or not stale:
                continue
            for start in range(0, len(stale), BATCH):
                with transaction.atomic():
                    for obj in model._default_manager.select_for_update().filter(pk__in=stale[start : start + BATCH]):
                        obj.save(update_fields=[f.attname for f in fields])
        for label, count in summary.items():
            verb = "under an older key" if check else "re-encrypted"
            self.stdout.write(f"{label}: {count} rows {verb}.")
        if check:
            if any(summary.values()):
                raise CommandError("values remain under an older key", returncode=1)
            return
        audit_log(
            actor=None,
            action="security.personal_data_key.rotated",
            changes={"key": [None, current], "rows": [None, summary]},
        )
