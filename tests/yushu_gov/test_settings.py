"""Settings: safe defaults with no environment, refusal to start in production without the essentials,
and the date formats a Chinese clerk types."""

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args, **env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )


def test_runs_with_no_environment_at_all():
    result = run_manage("check")
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_debug_off_without_secret_key_refuses_to_start():
    result = run_manage("check", DEBUG="0", ALLOWED_HOSTS="yushu.example")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_debug_off_without_allowed_hosts_refuses_to_start():
    result = run_manage("check", DEBUG="0", SECRET_KEY="x" * 60 + "abcdefgh")
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


def test_check_deploy_reports_no_warnings_in_production_configuration():
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING",
        DEBUG="0", SECRET_KEY="k3y-" + "q8Zr7Lm2Xv9Pw4Ts6Nb1Hc5Jd0Fg3Ay" * 2, ALLOWED_HOSTS="yushu.example",
        PUBLIC_BASE_URL="https://yushu.example",
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_language_and_time_zone():
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.USE_TZ is True
    assert "en" in dict(settings.LANGUAGES)


@pytest.mark.parametrize("typed", ["2016年9月5日", "2016-09-05", "2016/9/5", "2016年09月05日"])
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_date_fields_accept_the_formats_clerks_type(typed, language):
    with translation.override(language):
        field = forms.DateField()
        assert field.clean(typed) == date(2016, 9, 5)


def test_date_fields_reject_nonsense_with_a_message():
    with translation.override("zh-hans"):
        with pytest.raises(forms.ValidationError) as exc:
            forms.DateField().clean("2016年13月5日")
    assert "日期" in str(exc.value)


def test_idle_session_timeout_is_thirty_minutes():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
