"""The tracking code a resident is given: YS-2026-000123-7KQF-M2XD, the request's number and a secret of eight
Crockford base32 characters (40 bits; no I, L, O or U, so that it reads aloud and copies by hand without
doubt). What a resident types is normalised the Crockford way: any case, full-width characters, spaces and
any kind of dash, O read as 0 and I or L as 1.

Codes given before the secret grew keep working: four characters of the older alphabet (no 0, 1, I, L, O; with
U), about 19.8 bits. Residents hold them on paper and cannot be given new ones; every code, old or new, locks
after a few wrong tries (services.request_find), which leaves a stranger about 120 guesses a day on one request.
"""

import math
import re
import secrets
import unicodedata

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
SECRET_LENGTH = 8
SECRET_BITS = SECRET_LENGTH * math.log2(len(CROCKFORD))  # 40.0
LEGACY_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LEGACY_LENGTH = 4

_CODE_RE = re.compile(r"^YS-?(\d{4})-?(\d{6})-?([0-9A-Z-]{4,9})$")
_DASHES = str.maketrans({dash: "-" for dash in "‐‑‒–—―−﹣－_"})
_CROCKFORD_READS = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_secret() -> str:
    return "".join(secrets.choice(CROCKFORD) for _ in range(SECRET_LENGTH))


def format_secret(secret: str) -> str:
    """Two groups of four, as it is read aloud: 7KQF-M2XD (an older code as it was given)."""
    return f"{secret[:4]}-{secret[4:]}" if len(secret) == SECRET_LENGTH else secret


def normalize_code(value: str) -> str:
    """The code as typed, in capitals without spaces, full-width characters made plain and every dash a '-'."""
    value = unicodedata.normalize("NFKC", value or "").translate(_DASHES)
    return "".join(value.split()).upper()


def parse_code(value: str) -> tuple[int, int, str] | None:
    """(year, serial, secret) of a typed tracking code, or None when it cannot be one."""
    match = _CODE_RE.match(normalize_code(value))
    if not match:
        return None
    typed = match[3].replace("-", "")
    if len(typed) == SECRET_LENGTH:
        secret = typed.translate(_CROCKFORD_READS)
        if any(char not in CROCKFORD for char in secret):
            return None
    elif len(typed) == LEGACY_LENGTH and all(char in LEGACY_ALPHABET for char in typed):
        secret = typed  # the older alphabet has no 0, 1, I, L or O to confuse
    else:
        return None
    return int(match[1]), int(match[2]), secret
