"""Form pieces every app shares: dates and times read the way clerks type them, and a service's
ValidationError put on a form."""

import re
import unicodedata
from datetime import date, time

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DATE_PLACEHOLDER = _("如 2016-09-05、2016年9月5日 或 9月5日")
TIME_PLACEHOLDER = _("如 14:30")
_MAX_TYPED = 30  # no date or time is longer than this, however it is typed

_HALF_DAY = {"上午": 0, "早上": 0, "凌晨": 0, "中午": 12, "下午": 12, "晚上": 12}


def _plain(text: str) -> str:
    """Full-width digits and punctuation as ASCII (１４：３０ → 14:30), without spaces."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def parse_clerk_date(text: str, *, today: date | None = None) -> date | None:
    """A date as clerks type it: 2026-11-05, 2026/11/5, 2026.11.5, 20261105, 2026年11月5日 (or 号), and
    without the year (11月5日, 11-5, 11/5) in the current year. None when it is none of these."""
    text = _plain(text)
    if not text or len(text) > _MAX_TYPED:
        return None
    today = today or timezone.localdate()
    patterns = [
        (r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})[日号]?", True),
        (r"(\d{4})(\d{2})(\d{2})", True),
        (r"(\d{1,2})[-/.月](\d{1,2})[日号]?", False),
    ]
    for pattern, with_year in patterns:
        match = re.fullmatch(pattern, text)
        if match:
            numbers = [int(group) for group in match.groups()]
            year, month, day = numbers if with_year else [today.year, *numbers]
            try:
                return date(year, month, day)
            except ValueError:
                return None
    return None


def parse_clerk_time(text: str) -> time | None:
    """A time as clerks type it: 14:30, 14：30 (full-width colon), 14.30, 1430, 930, 14点30, 14点30分, 14时30分,
    14点, 14点半, 下午2点30. None when it is none of these."""
    text = _plain(text)
    if not text or len(text) > _MAX_TYPED:
        return None
    shift = 0
    for word, hours in _HALF_DAY.items():
        if text.startswith(word):
            text, shift = text[len(word) :], hours
            break
    match = (
        re.fullmatch(r"(\d{1,2})[:.](\d{2})(?::(\d{2}))?", text)
        or re.fullmatch(r"(\d{1,2})(\d{2})", text)
        or re.fullmatch(r"(\d{1,2})[点时](?:(\d{1,2})分?|(半))?(?:(\d{1,2})秒)?", text)
    )
    if not match:
        return None
    groups = match.groups()
    hour = int(groups[0])
    minute = 30 if len(groups) > 2 and groups[2] == "半" else int(groups[1] or 0)
    if shift and hour < 12:
        hour += shift
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        return None
    return time(hour, minute)


class ClerkDateInput(forms.DateInput):
    def __init__(self, attrs=None, format="%Y-%m-%d"):
        super().__init__(
            {"placeholder": DATE_PLACEHOLDER, "autocomplete": "off", "maxlength": _MAX_TYPED, **(attrs or {})}, format
        )


class ClerkTimeInput(forms.TimeInput):
    """A time field: phones offer their time picker (with its colon), desktops a field typed as 14:30 or 1430."""

    input_type = "time"

    def __init__(self, attrs=None, format="%H:%M"):
        super().__init__({"placeholder": TIME_PLACEHOLDER, **(attrs or {})}, format)


class ClerkDateField(forms.DateField):
    """Every date field of the application: reads parse_clerk_date's forms besides Django's input formats."""

    widget = ClerkDateInput

    def to_python(self, value):
        if isinstance(value, str):
            if len(value) > _MAX_TYPED:
                raise ValidationError(self.error_messages["invalid"], code="invalid")
            parsed = parse_clerk_date(value)
            if parsed is not None:
                return parsed
        return super().to_python(value)


class ClerkTimeField(forms.TimeField):
    """Every time field of the application: reads parse_clerk_time's forms besides Django's input formats."""

    widget = ClerkTimeInput

    def to_python(self, value):
        if isinstance(value, str):
            if len(value) > _MAX_TYPED:
                raise ValidationError(self.error_messages["invalid"], code="invalid")
            parsed = parse_clerk_time(value)
            if parsed is not None:
                return parsed
        return super().to_python(value)


def apply_errors(form, exc: ValidationError) -> None:
    """Puts a service's ValidationError on the form: messages for the form's fields go beside those
    fields, everything else at the top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)
