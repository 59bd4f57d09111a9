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
        if k
        not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
        | {"PERSONAL_DATA_KEYS", "AUDIT_CHAIN_KEY", "REQUIRE_2FA"}
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


# A production environment: every key set, none of them the development ones.
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "k3y-" + "q8Zr7Lm2Xv9Pw4Ts6Nb1Hc5Jd0Fg3Ay" * 2,
    "ALLOWED_HOSTS": "yushu.example",
    "PERSONAL_DATA_KEYS": "c2VjcmV0LWtleS1mb3ItdGhlLXRlc3QtcHJvZHVjdGlvbi1lbnZpcm9ubWVudA",
    "AUDIT_CHAIN_KEY": "YW5vdGhlci1rZXktZm9yLXRoZS1hdWRpdC1jaGFpbi1pbi10aGUtdGVzdHM",
}


def test_check_deploy_reports_no_warnings_in_production_configuration():
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", **PRODUCTION, PUBLIC_BASE_URL="https://yushu.example"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    "secret_key",
    [
        "change-me-to-a-long-random-string-of-at-least-50-characters",  # .env.example's placeholder
        "k3y-q8Zr7Lm2Xv9Pw4Ts6Nb1Hc5Jd0Fg3Ay",  # 35 characters
        "a" * 64,
    ],
)
def test_debug_off_refuses_the_example_or_a_short_secret_key(secret_key):
    result = run_manage("check", **{**PRODUCTION, "SECRET_KEY": secret_key})
    assert result.returncode != 0
    assert "SECRET_KEY must" in result.stderr


def test_the_example_environment_file_does_not_start_as_it_is():
    example = dict(
        line.split("=", 1)
        for line in (ROOT / ".env.example").read_text().splitlines()
        if "=" in line and line[0] != "#"
    )
    result = run_manage("check", **{k: example[k] for k in ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS")})
    assert result.returncode != 0 and "SECRET_KEY must" in result.stderr


@pytest.mark.parametrize(
    "missing, message",
    [("PERSONAL_DATA_KEYS", "PERSONAL_DATA_KEYS must be set"), ("AUDIT_CHAIN_KEY", "AUDIT_CHAIN_KEY must be set")],
)
def test_debug_off_refuses_to_start_without_the_encryption_keys(missing, message):
    env = {k: v for k, v in PRODUCTION.items() if k != missing}
    result = run_manage("check", **env)
    assert result.returncode != 0
    assert message in result.stderr


def test_debug_off_refuses_the_development_keys_and_malformed_keys():
    from yushu_gov.security.crypto import DEVELOPMENT_PERSONAL_DATA_KEY

    result = run_manage("check", **{**PRODUCTION, "PERSONAL_DATA_KEYS": DEVELOPMENT_PERSONAL_DATA_KEY})
    assert result.returncode != 0 and "PERSONAL_DATA_KEYS must be set" in result.stderr
    result = run_manage("check", **{**PRODUCTION, "AUDIT_CHAIN_KEY": "short"})
    assert result.returncode != 0 and "at least 32 random bytes" in result.stderr


def test_two_factor_is_required_with_debug_off_and_optional_under_make_run():
    result = run_manage("shell", "-c", "from django.conf import settings; print(settings.REQUIRE_2FA)", **PRODUCTION)
    assert result.stdout.strip().endswith("True"), result.stderr
    result = run_manage("shell", "-c", "from django.conf import settings; print(settings.REQUIRE_2FA)")
    assert result.stdout.strip().endswith("False")
    result = run_manage("shell", "-c", "from django.conf import settings; print(settings.REQUIRE_2FA)", REQUIRE_2FA="1")
    assert result.stdout.strip().endswith("True")


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
