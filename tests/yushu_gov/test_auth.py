"""Login throttling (5 failures lock the account for 30 minutes) and the idle session timeout."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone


def _login(client, password):
    return client.post(reverse("login"), {"username": "t_jiegu", "password": password})


def test_five_failures_lock_the_account_even_with_the_right_password(client, jiegu_clerk):
    for _ in range(4):
        response = _login(client, "wrong")
        assert response.status_code == 200
        assert "正确" in response.content.decode()  # "请输入一个正确的 用户名 和密码"
    response = _login(client, "wrong")  # the fifth failure locks
    assert response.status_code == 429
    response = _login(client, "Yushu@2023")
    assert response.status_code == 429
    assert "账号已锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_four_failures_do_not_lock(client, jiegu_clerk):
    for _ in range(4):
        _login(client, "wrong")
    response = _login(client, "Yushu@2023")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(jiegu_clerk.pk)


def test_the_lock_lifts_after_thirty_minutes(client, jiegu_clerk):
    for _ in range(5):
        _login(client, "wrong")
    assert _login(client, "Yushu@2023").status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=29))
    assert _login(client, "Yushu@2023").status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=31))
    assert _login(client, "Yushu@2023").status_code == 302


def test_other_accounts_are_not_locked(client, jiegu_clerk, xihang_clerk):
    for _ in range(5):
        _login(client, "wrong")
    response = client.post(reverse("login"), {"username": "t_xihang", "password": "Yushu@2023"})
    assert response.status_code == 302


def test_each_request_renews_the_thirty_minute_idle_timeout(client, jiegu_clerk):
    assert _login(client, "Yushu@2023").status_code == 302
    session = Session.objects.get()
    assert timedelta(minutes=29) < session.expire_date - timezone.now() <= timedelta(minutes=30)
    Session.objects.update(expire_date=timezone.now() + timedelta(minutes=5))
    client.get(reverse("home"))
    assert Session.objects.get().expire_date - timezone.now() > timedelta(minutes=29)


def test_an_idle_session_has_expired(client, jiegu_clerk):
    _login(client, "Yushu@2023")
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("password", ["12345678", "yushu", "t_jiegu123"])
def test_password_validators_refuse_weak_passwords(password, jiegu_clerk):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        validate_password(password, user=jiegu_clerk)
