"""Password rules of 等保 level 3 beyond Django's own validators (settings.AUTH_PASSWORD_VALIDATORS):
three of the four character classes, none of the last five passwords, and an expiry.

Every password set through the application (the change-password page, the security administrator's new
account and reset in the admin site) goes through `accounts.password_set`, which records it in the history
and writes the audit entry.
"""

import functools
import gzip
import re
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _


def character_classes(password: str) -> int:
    """How many of upper-case letters, lower-case letters, digits and other characters the password holds."""
    return sum(
        [
            any(c.isupper() for c in password),
            any(c.islower() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        ]
    )


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's, with its message in Chinese (Django's Chinese catalogue lacks its newer wording)."""

    def get_error_message(self):
        return _("密码太短，至少须 %(n)s 个字符。") % {"n": self.min_length}


class CharacterClassValidator:
    """At least `min_classes` of: upper-case letters, lower-case letters, digits, symbols."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        if character_classes(password) < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_character_classes")

    def get_help_text(self):
        return _("密码须包含大写字母、小写字母、数字、符号四类中的至少 %(n)s 类。") % {"n": self.min_classes}


COMMON_PASSWORDS = Path(__file__).with_name("common-passwords.txt.gz")
# How the common passwords are dressed up to pass the character classes: capitals, digits and symbols around a
# common word ("Qwerty123!"), letters written as digits or symbols ("P@ssw0rd"), a short unit repeated
# ("Aa1!Aa1!Aa").
_LEET = str.maketrans({"0": "o", "1": "l", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i"})
_EDGES = re.compile(r"^[\W\d_]+|[\W\d_]+$")
_REPEATED = re.compile(r"^(.{1,4}?)\1+(.{0,3})$", re.DOTALL)
_MIN_CORE = 4  # shorter common words inside a password are not refused


@functools.cache
def common_passwords() -> frozenset[str]:
    """The 10,000 most common passwords, lower case (derived from the list Django ships, in this folder)."""
    with gzip.open(COMMON_PASSWORDS, "rt", encoding="utf-8") as handle:
        return frozenset(line.strip() for line in handle if line.strip())


def _variants(password: str) -> set[str]:
    lowered = password.lower()
    variants = {lowered, lowered.translate(_LEET)}
    for text in list(variants):
        variants.add(_EDGES.sub("", text))  # Qwerty123! -> qwerty
        variants.add(re.sub(r"[\W_]+$", "", text))  # Qwerty123! -> qwerty123
        variants.add(re.sub(r"^[\W_]+", "", text))
    return {text for text in variants if len(text) >= _MIN_CORE}


class CommonPasswordValidator:
    """Not a common password, however dressed up: the list of the 10,000 most common, checked against the
    password itself, without the digits and symbols around its letters, and with digits and symbols read as
    the letters they stand for; and not a short unit repeated."""

    def validate(self, password, user=None):
        listed = common_passwords()
        if _REPEATED.match(password) or any(text in listed for text in _variants(password)):
            raise ValidationError(
                _("密码过于常见（或由常见密码加数字、符号组成，或由短字符重复而成），请换一个不易猜到的密码。"),
                code="password_too_common",
            )

    def get_help_text(self):
        return _("不能使用常见密码。")


class PasswordHistoryValidator:
    """None of the user's last `remembered` passwords (the current one included)."""

    def __init__(self, remembered: int = 5):
        self.remembered = remembered

    def validate(self, password, user=None):
        if user is None or user.pk is None:
            return
        from yushu_gov.accounts.models import PasswordHistory

        recent = PasswordHistory.objects.filter(user=user).order_by("-created_at", "-id")[: self.remembered]
        hashes = [entry.password for entry in recent]
        if user.password and user.password not in hashes:
            hashes.append(user.password)
        if any(check_password(password, encoded) for encoded in hashes):
            raise ValidationError(self.get_help_text(), code="password_reused")

    def get_help_text(self):
        return _("新密码不能与最近使用过的 %(n)s 个密码相同。") % {"n": self.remembered}


def password_expired(user) -> bool:
    """Whether the user's password is older than PASSWORD_MAX_AGE_DAYS (never, when that is 0)."""
    days = settings.PASSWORD_MAX_AGE_DAYS
    if not days or user.password_changed_at is None:
        return False
    return timezone.now() - user.password_changed_at > timedelta(days=days)
