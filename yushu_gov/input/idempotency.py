"""One idempotency key per form: a form sent twice (a retry after a dropped connection, a double tap) saves
once. The key is a hidden field made when the form is first shown (and kept with the browser's draft,
static/js/drafts.js); the server records it with the write, in the write's transaction, so that the second
sending finds it — on both databases, even when the two arrive at the same moment (the unique constraint
makes the second wait for the first and then fail)."""

import re
import uuid
from collections.abc import Callable
from datetime import timedelta

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from yushu_gov.input.forms import apply_errors
from yushu_gov.input.models import FormSubmission

FIELD = "idem_key"
_KEY_RE = re.compile(r"^[0-9a-f]{32}$")
SESSION_KEY = "saved_form_keys"  # the keys saved lately: the browser drops the drafts that carry them
KEEP_DAYS = 30


class IdempotencyKeyField(forms.CharField):
    """The hidden key; a value that is not one the server made is ignored (the form then saves as usual)."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, max_length=64, **kwargs)

    def clean(self, value):
        value = (value or "").strip().lower()
        return value if _KEY_RE.match(value) else ""


def new_key() -> str:
    return uuid.uuid4().hex


class IdempotentFormMixin:
    """For a Form or ModelForm (put it first): the hidden key, new each time the form is shown empty."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[FIELD] = IdempotencyKeyField()
        if not self.is_bound:
            self.initial[FIELD] = new_key()


def submit_once(request, key: str, save: Callable[[], str]) -> tuple[str, bool]:
    """Runs `save()` (the write; it returns the URL of its result) unless this user's form with `key` was
    saved before. Returns (url, replayed): on a replay, the earlier result's URL and True. A save that
    raises leaves no trace of the key, so the corrected form can be sent again."""
    if not key:
        return save(), False
    with transaction.atomic():
        try:
            with transaction.atomic():
                submission = FormSubmission.objects.create(user=request.user, key=key)
        except IntegrityError:
            earlier = FormSubmission.objects.filter(user=request.user, key=key).first()
            return (earlier.result_url if earlier else ""), True
        url = save()
        submission.result_url = url[:300]
        submission.save(update_fields=["result_url"])
        # Old keys go: a form is not retried after a month.
        FormSubmission.objects.filter(
            user=request.user, created_at__lt=timezone.now() - timedelta(days=KEEP_DAYS)
        ).delete()
    remember_saved(request, key)
    return url, False


def remember_saved(request, key: str) -> None:
    """Names `key` among the forms saved lately (the page tells the browser, which drops their drafts)."""
    if key:
        saved = [key, *[k for k in request.session.get(SESSION_KEY, []) if k != key]][:20]
        request.session[SESSION_KEY] = saved


def save_form_once(request, form, save: Callable[[], str], *, fallback: str, replayed: str = "") -> str | None:
    """A valid idempotent form's write through submit_once: the URL to redirect to (`fallback` when the earlier
    result left none), with the message `replayed` when the form had been saved already; None when the write
    refused the data (ValidationError), its messages then on the form, to show it again with what was typed."""
    try:
        url, was_replayed = submit_once(request, form.cleaned_data[FIELD], save)
    except ValidationError as exc:
        apply_errors(form, exc)
        return None
    if was_replayed and replayed:
        messages.info(request, replayed)
    return url or fallback
