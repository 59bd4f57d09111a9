"""PIPL retention: records of personal data are kept no longer than their purpose needs. Each app registers
its rules here (in AppConfig.ready, as it registers home-page panels); `manage.py apply_retention` applies
them all, and each deletion or erasure writes an audit entry of its own.

Rules of this release (settings, see .env.example):
- an officer's ID and mobile numbers and photo are erased OFFICER_DATA_RETENTION_YEARS after his last seat
  ended (officers/retention.py); his name and police number stay, for the records that refer to them;
- login records (django-axes: failed attempts, logins, lock-outs, with their addresses) are deleted after
  LOGIN_RECORD_RETENTION_DAYS.
The audit log is not subject to retention: 等保 asks for it to be kept, and it holds no number in full.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from yushu_gov.audit.log import audit_log


@dataclass(frozen=True)
class Rule:
    name: str  # dotted, e.g. "officers.personal_data"
    description: str  # what is removed and when, in a sentence
    apply: Callable[..., int]  # apply(dry_run=bool) -> how many records were (or would be) removed


_RULES: list[Rule] = []


def register_rule(*, name: str, description: str, apply: Callable[..., int]) -> None:
    if not any(rule.name == name for rule in _RULES):
        _RULES.append(Rule(name=name, description=description, apply=apply))


def rules() -> list[Rule]:
    return list(_RULES)


def login_records(*, dry_run: bool = False) -> int:
    """Deletes django-axes' records older than LOGIN_RECORD_RETENTION_DAYS, each with an audit entry."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    cutoff = timezone.now() - timedelta(days=settings.LOGIN_RECORD_RETENTION_DAYS)
    removed = 0
    for model, field in (
        (AccessAttempt, "attempt_time"),
        (AccessLog, "attempt_time"),
        (AccessFailureLog, "attempt_time"),
    ):
        old = model.objects.filter(**{f"{field}__lt": cutoff}).order_by("pk")
        if dry_run:
            removed += old.count()
            continue
        for record in old.iterator(chunk_size=500):
            with transaction.atomic():
                audit_log(
                    actor=None,
                    action="retention.login_record.deleted",
                    changes={
                        "record": [None, f"{model._meta.model_name} #{record.pk}"],
                        "username": [None, record.username or ""],
                        "at": [None, getattr(record, field).isoformat()],
                        "rule": [None, f"{settings.LOGIN_RECORD_RETENTION_DAYS} days"],
                    },
                )
                model.objects.filter(pk=record.pk).delete()
            removed += 1
    return removed
