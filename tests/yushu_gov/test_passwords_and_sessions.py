"""Passwords and sessions of 等保 level 3: 3 of 4 character classes and 10 characters, none of the last 5,
expiry after 90 days, a forced change after a reset, a change-password page for everyone, a 12-hour
absolute session lifetime beside the 30-minute idle timeout, and one active session per account."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import download_export
from yushu_gov.accounts import services as accounts
from yushu_gov.models import AuditEntry, PasswordHistory, User

CHANGE = reverse("account:password_change")


def login(client, username="t_jiegu", password="Yushu@2023"):
    return client.post(reverse("login"), {"username": username, "password": password})


@pytest.mark.parametrize(
    "password, why",
    [
        ("Ab1!xyz", "too short"),
        ("abcdefghij", "one class"),
        ("abcdefgh12", "two classes"),
        ("ABCDEFGH12", "two classes"),
    ],
)
def test_weak_passwords_are_refused(password, why, jiegu_clerk):
    with pytest.raises(ValidationError):
        validate_password(password, user=jiegu_clerk)


@pytest.mark.parametrize("password", ["Qinghai#2026", "rainbow7-lake", "STONE-river-9", "yak milk 42 X"])
def test_three_of_four_classes_and_ten_characters_pass(password, jiegu_clerk):
    validate_password(password, user=jiegu_clerk)


def test_the_last_five_passwords_cannot_be_chosen_again(jiegu_clerk):
    chosen = [f"Lake#{n}water" for n in range(6)]
    for password in chosen:
        validate_password(password, user=jiegu_clerk)
        accounts.password_set(user=jiegu_clerk, password=password, by=jiegu_clerk)
    for recent in chosen[1:]:  # the current one and the four before it
        with pytest.raises(ValidationError, match="最近使用过的 5 个密码"):
            validate_password(recent, user=jiegu_clerk)
    validate_password(chosen[0], user=jiegu_clerk)  # six changes ago: allowed again
    assert PasswordHistory.objects.filter(user=jiegu_clerk).count() == 6


def test_every_user_changes_their_own_password_and_stays_logged_in(client, jiegu_clerk):
    login(client)
    response = client.post(
        CHANGE, {"old_password": "Yushu@2023", "new_password1": "Snow-lion-2026", "new_password2": "Snow-lion-2026"}
    )
    assert response.status_code == 302
    assert User.objects.get(pk=jiegu_clerk.pk).check_password("Snow-lion-2026")
    assert client.get(reverse("home")).status_code == 200  # the renewed session is still the account's one
    entry = AuditEntry.objects.get(action="auth.password.changed")
    assert entry.actor == jiegu_clerk and "Snow-lion" not in str(entry.changes)


def test_a_weak_new_password_is_refused_on_the_page(client, jiegu_clerk):
    login(client)
    response = client.post(CHANGE, {"old_password": "Yushu@2023", "new_password1": "abc", "new_password2": "abc"})
    assert response.status_code == 200
    assert "密码太短，至少须 10 个字符" in response.content.decode()
    assert User.objects.get(pk=jiegu_clerk.pk).check_password("Yushu@2023")


def test_a_reset_password_must_be_changed_before_anything_else(client, jiegu_clerk, security_admin):
    accounts.password_set(user=jiegu_clerk, password="Temp#pass2026", by=security_admin)
    assert login(client, password="Temp#pass2026").status_code == 302
    response = client.get(reverse("talks:grid"))
    assert response.status_code == 302 and response.url.startswith(CHANGE)
    page = client.get(CHANGE).content.decode()
    assert "安全管理员设置或重置" in page
    client.post(
        CHANGE, {"old_password": "Temp#pass2026", "new_password1": "Mine#only2026", "new_password2": "Mine#only2026"}
    )
    assert not User.objects.get(pk=jiegu_clerk.pk).must_change_password
    assert client.get(reverse("talks:grid")).status_code == 200


def test_a_password_expires_after_ninety_days(client, jiegu_clerk, settings):
    assert settings.PASSWORD_MAX_AGE_DAYS == 90
    login(client)
    assert client.get(reverse("home")).status_code == 200
    User.objects.filter(pk=jiegu_clerk.pk).update(password_changed_at=timezone.now() - timedelta(days=91))
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(CHANGE)
    assert "已超过有效期" in client.get(CHANGE).content.decode()
    settings.PASSWORD_MAX_AGE_DAYS = 0  # configurable: never
    assert client.get(reverse("home")).status_code == 200


def test_an_absolute_session_lifetime_of_twelve_hours(client, jiegu_clerk, settings):
    assert settings.SESSION_ABSOLUTE_SECONDS == 12 * 3600
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        login(client)
        for _hour in range(11):  # active every hour, so never idle for 30 minutes
            clock.shift(timedelta(hours=1))
            Session.objects.update(expire_date=timezone.now() + timedelta(minutes=30))
            assert client.get(reverse("home")).status_code == 200
        clock.shift(timedelta(hours=1, minutes=1))
        Session.objects.update(expire_date=timezone.now() + timedelta(minutes=30))
        response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert AuditEntry.objects.filter(action="auth.session_ended").exists()


def test_one_active_session_per_account(jiegu_clerk, settings):
    first, second = Client(), Client()
    login(first)
    assert first.get(reverse("home")).status_code == 200
    login(second)  # the same account elsewhere
    assert second.get(reverse("home")).status_code == 200
    response = first.get(reverse("home"), follow=True)
    assert response.redirect_chain[0][0].startswith(reverse("login"))
    assert "您的账号已在其他地方登录，本会话已结束" in response.content.decode()
    assert first.get(reverse("home")).status_code == 302  # and it stays ended
    assert Session.objects.count() == 1  # the ended session is gone
    settings.SINGLE_SESSION_PER_ACCOUNT = False  # configurable
    login(first)
    assert first.get(reverse("home")).status_code == 200 and second.get(reverse("home")).status_code == 200


def test_pages_behind_login_and_downloads_are_not_cached(client_for, jiegu_officer, client):
    response = client_for("city_admin").get(reverse("officers:list"))
    assert "no-store" in response["Cache-Control"]
    response = download_export(client_for("city_admin"), reverse("work:export"))
    assert "no-store" in response["Cache-Control"]
    assert "no-store" not in client.get(reverse("directory:index")).get("Cache-Control", "")
