"""Masking of personal data: citizen ID numbers and mobile numbers are never shown or stored in full
outside their own column (DOMAIN.md §4.4, the 防返贫 notice rules)."""

import re

from django.views.debug import SafeExceptionReporterFilter

# Field names that hold personal data, wherever they appear (forms, audit entries, error reports).
PERSONAL_FIELDS = frozenset({"id_number", "mobile", "resident_id_number", "resident_phone", "resident_name"})

# Numbers as people type them in free text: up to three separators (spaces, hyphens, dots, slashes,
# underscores, commas, 、 or ·) between the digits, a +86 or 86 prefix on mobiles, 18-digit and old 15-digit ID
# numbers, whatever letter or text follows them. Full-width digits and punctuation are folded first.
_SEP = r"[\s\-./_,，、·]{0,3}"
_ID_RE = re.compile(rf"(?<!\d)\d(?:{_SEP}\d){{16}}{_SEP}[\dXx](?!\d)|(?<!\d)\d(?:{_SEP}\d){{14}}(?!\d)")
_MOBILE_RE = re.compile(rf"(?<!\d)(?:\+?86{_SEP})?1[3-9]\d(?:{_SEP}\d){{8}}(?!\d)")
_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９Ｘｘ＋－／＿．", "0123456789Xx+-/_.")


def mask_id_number(value: str | None) -> str:
    """632701199001011234 -> 632701********1234."""
    if not value:
        return ""
    value = str(value)
    if len(value) <= 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_mobile(value: str | None) -> str:
    """13912345678 -> 139****5678."""
    if not value:
        return ""
    value = str(value)
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_value(field: str, value):
    if field in PERSONAL_FIELDS and value:
        if "phone" in field or field == "mobile":
            return mask_mobile(value)
        return mask_id_number(value)
    return value


def _digits(match: re.Match) -> str:
    return re.sub(r"[^\dXx]", "", match.group(0))


def mask_text(text: str) -> str:
    """Masks any ID or mobile number that appears inside free text, however it was typed:
    "身份证 632701 19900101 1233" -> "身份证632701********1233", "+86 139-1234-5678" -> "139****5678"."""
    if not text:
        return text
    text = str(text).translate(_FULL_WIDTH_DIGITS)
    text = _ID_RE.sub(lambda m: mask_id_number(_digits(m)), text)
    return _MOBILE_RE.sub(lambda m: mask_mobile(_digits(m)[-11:]), text)


class PersonalDataExceptionFilter(SafeExceptionReporterFilter):
    """Error reports (the debug page and the e-mails to admins) never carry personal data."""

    hidden_settings = re.compile(SafeExceptionReporterFilter.hidden_settings.pattern + "|ID_NUMBER|MOBILE", flags=re.I)

    def get_post_parameters(self, request):
        params = super().get_post_parameters(request)
        if request is None:
            return params
        params = params.copy()
        for key in params:
            if key in PERSONAL_FIELDS:
                params[key] = self.cleansed_substitute
        return params

    def get_traceback_frame_variables(self, request, tb_frame):
        return [
            (name, self.cleansed_substitute if name in PERSONAL_FIELDS else self._mask(value))
            for name, value in super().get_traceback_frame_variables(request, tb_frame)
        ]

    def _mask(self, value):
        if isinstance(value, str):
            return mask_text(value)
        if isinstance(value, dict):
            return {
                key: self.cleansed_substitute if key in PERSONAL_FIELDS else self._mask(item)
                for key, item in value.items()
            }
        return value
