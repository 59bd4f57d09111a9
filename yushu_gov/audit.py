"""Writing the audit log. Services call `audit_log(...)` inside their transaction; `changes_of(...)`
builds the changed-fields JSON with personal data masked."""

import ipaddress
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models

from .masking import mask_text, mask_value
from .models import AuditEntry


def _plain(value):
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or ""
    if isinstance(value, list | tuple | set):
        return [_plain(item) for item in value]
    return value


def snapshot(instance: models.Model, fields) -> dict:
    """The named fields' current values, JSON-ready and masked."""
    result = {}
    for name in fields:
        field = instance._meta.get_field(name)
        value = getattr(instance, name if not field.is_relation else name)
        result[name] = mask_value(name, _plain(value))
    return result


def changes_of(before: dict, after: dict) -> dict:
    """{"field": [old, new]} for every field whose value differs; both sides already masked."""
    return {name: [before.get(name), value] for name, value in after.items() if before.get(name) != value}


def audit_log(*, actor, action: str, obj: models.Model | None = None, changes: dict | None = None, request=None):
    """Appends one entry. `changes` must already be masked (use snapshot/changes_of)."""
    masked = {
        name: [_mask(name, v) for v in value] if isinstance(value, list) else _mask(name, value)
        for name, value in (changes or {}).items()
    }
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_name=getattr(actor, "username", "") or "",
        action=action,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=mask_text(str(obj))[:200] if obj is not None else "",
        changes=masked,
        ip_address=client_ip(request) if request is not None else None,
    )


def _mask(name: str, value):
    """Personal fields masked by name; any number inside other text masked by its shape."""
    value = mask_value(name, value)
    return mask_text(value) if isinstance(value, str) else value


def client_ip(request) -> str | None:
    """The client's address. Behind the reverse proxy (BEHIND_PROXY=1) it is the address the proxy appended
    to X-Forwarded-For: the last entry, the only one the proxy vouches for."""
    address = request.META.get("REMOTE_ADDR") or None
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            address = forwarded.split(",")[-1].strip() or None
    try:
        return str(ipaddress.ip_address(address)) if address else None
    except ValueError:
        return None  # not an address: never stored as one


def audit_export(*, actor, what: str, filters: dict | None = None, rows: int | None = None, obj=None, request=None):
    """Records an export or a download: who, what (a dotted name such as "work.export"), with which filter
    and how many rows. Called wherever a file leaves the system (exports, PDFs, uploaded reports)."""
    # Filter values are masked like any text (an ID number typed into a search box never reaches the log).
    changes = {
        "filters": [None, {k: mask_text(str(v))[:200] for k, v in (filters or {}).items() if v not in ("", None)}]
    }
    if rows is not None:
        changes["rows"] = [None, rows]
    return audit_log(actor=actor, action=f"export.{what}", obj=obj, changes=changes, request=request)
