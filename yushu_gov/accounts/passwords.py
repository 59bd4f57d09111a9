"""Password rules of 等保 level 3 beyond Django's own validators (settings.AUTH_PASSWORD_VALIDATORS):
three of the four character classes, none of the last five passwords, and an expiry.

Every password set through the application (the change-password page, the security administrator's new
account and reset in the admin site) goes through `accounts.password_set`, which records it in the history
and writes the audit entry.
"""

from datetime import timedelta

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
