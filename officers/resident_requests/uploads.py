"""Uploads kept across a form that comes back with an error: the photos (and the voice message) a resident
has already sent are held on the server under the form's upload token (HeldUpload), already cleaned, so the
resident need not choose them again; the page says so. The request takes them when it is submitted; the rest
are deleted after UPLOAD_HOLD_HOURS by `erase_request_personal_data` (expire_held)."""

import re
import secrets
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from .models import HeldUpload

UPLOAD_HOLD_HOURS = 2  # as long as the form itself stays valid (forms.MAX_FORM_AGE)
_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{32}$")


def new_token() -> str:
    return secrets.token_urlsafe(24)  # 32 characters


def token_from(value: str | None) -> str:
    """The form's upload token when it is well formed, else a new one (a forged token holds nothing)."""
    return value if value and _TOKEN_RE.match(value) else new_token()


def held(token: str, kind: str, *, now=None):
    now = now or timezone.now()
    since = now - timedelta(hours=UPLOAD_HOLD_HOURS)
    return HeldUpload.objects.filter(token=token, kind=kind, created_at__gte=since)


def hold(*, token: str, kind: str, content: ContentFile, content_type: str = "") -> HeldUpload:
    upload = HeldUpload(token=token, kind=kind, content_type=content_type)
    content.seek(0)
    upload.file.save(content.name or kind, content, save=False)
    upload.save()
    return upload


def _delete(uploads) -> None:
    """The rows now, their files once the transaction commits."""
    names = [(upload.file.storage, upload.file.name) for upload in uploads if upload.file]
    HeldUpload.objects.filter(pk__in=[upload.pk for upload in uploads]).delete()
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in names])


def release(uploads) -> None:
    """The held uploads a submitted request has taken a copy of."""
    _delete(list(uploads))


def expire_held(*, now=None) -> int:
    """Deletes the held uploads older than UPLOAD_HOLD_HOURS (their forms have expired). Returns how many."""
    now = now or timezone.now()
    old = list(HeldUpload.objects.filter(created_at__lt=now - timedelta(hours=UPLOAD_HOLD_HOURS)))
    _delete(old)
    return len(old)


def held_voice(upload: HeldUpload | None):
    """The held voice message as voice.clean_voice returns one (file, seconds, type), or None."""
    if upload is None:
        return None
    content_type, _sep, seconds = upload.content_type.partition(";")
    name = upload.file.name.rsplit("/", 1)[-1]
    with upload.file.open("rb") as handle:
        return ContentFile(handle.read(), name=name), int(seconds or 1), content_type
