"""Tibetan script in searches and on pages.

A resident types a name as he writes it: with or without the final tsheg (་) or shad (།), with the
non-breaking tsheg (༌) some keyboards give, or in Wylie on a Latin keyboard ("hung we lam"). `tibetan_key`
is the one normalisation every comparison goes through; `tibetan_search_q` matches a name field with it.
"""

import re
import unicodedata

from django.db.models import Q
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

TSHEG = "\u0f0b"
NON_BREAKING_TSHEG = "\u0f0c"
# Shad and its variants, the gter tsheg and the closing marks a name may end with.
_FINAL_MARKS = TSHEG + NON_BREAKING_TSHEG + "\u0f0d\u0f0e\u0f0f\u0f10\u0f11\u0f12\u0f14"
_TIBETAN_LETTER = re.compile(r"[\u0f40-\u0fbc]")
_WYLIE = re.compile(r"[A-Za-z'+.~\-\s]+")
MAX_QUERY = 50


def has_tibetan(value: str) -> bool:
    return bool(_TIBETAN_LETTER.search(value or ""))


def tibetan_key(value: str) -> str:
    """ "ཧུང་ཝེ་ལམ" for "ཧུང་ཝེ་ལམ་", "ཧུང་ཝེ་ལམ།", "ཧུང༌ཝེ༌ལམ" and " ཧུང་ཝེ་ལམ ། ": NFC, the non-breaking tsheg
    as a tsheg, spaces collapsed, and no final tsheg, shad or space."""
    value = unicodedata.normalize("NFC", value or "")[:MAX_QUERY].replace(NON_BREAKING_TSHEG, TSHEG)
    value = " ".join(value.split())
    return value.rstrip(_FINAL_MARKS + " ")


def wylie_to_tibetan(value: str) -> str:
    """The Tibetan script of a Wylie (EWTS) query, or "" when the query is not Wylie or does not convert."""
    value = (value or "").strip()[:MAX_QUERY]
    if not value or not _WYLIE.fullmatch(value):
        return ""
    import pyewts  # imported here: only Latin-letter searches need it

    warnings: list[str] = []
    converted = pyewts.pyewts().toUnicode(value, warnings)
    if warnings or not has_tibetan(converted) or re.search(r"[A-Za-z]", converted):
        return ""
    return tibetan_key(converted)


def tibetan_search_q(value: str, *, field: str = "name_bo") -> Q | None:
    """A filter matching the Tibetan name in `field` for a query in Tibetan script or Wylie; None when the
    query is neither."""
    key = tibetan_key(value) if has_tibetan(value) else wylie_to_tibetan(value)
    if not key:
        return None
    # Stored names may carry the non-breaking tsheg: match either form of each tsheg of the key.
    variants = {key, key.replace(TSHEG, NON_BREAKING_TSHEG)}
    condition = Q()
    for variant in variants:
        condition |= Q(**{f"{field}__contains": variant})
    return condition


def tsheg_breaks(value: str) -> SafeString:
    """The escaped text with a line-break opportunity (<wbr>) after each tsheg, for long Tibetan names in
    narrow cards; browsers that already break at the tsheg are not changed by it."""
    escaped = str(conditional_escape(value or ""))
    return mark_safe(escaped.replace(TSHEG, TSHEG + "<wbr>"))  # noqa: S308 - escaped above
