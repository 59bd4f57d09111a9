"""The second factor: TOTP for the system, security and audit administrators and the bureau reviewers,
required with REQUIRE_2FA (always with DEBUG off); enrolment with a QR code, recovery codes, a code
accepted once, back-off after failures, the secret encrypted at rest."""

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP

from yushu_gov.accounts import two_factor
from yushu_gov.models import AuditEntry, RecoveryCode, TOTPDevice

SETUP = reverse("account:two_factor_setup")
VERIFY = reverse("account:two_factor_verify")


def code_for(device, at=None) -> str:
    totp = TOTP(bytes.fromhex(device.key), step=30, digits=6)
    totp.time = (at or timezone.now()).timestamp()
    return f"{totp.token():06d}"


def login(client, username):
    return client.post(reverse("login"), {"username": username, "password": "Yushu@2023"})


def open_link(client, user):
    """The holder opens the enrolment link the security administrator issued (signed in as `user`)."""
    token = two_factor.enrolment_link_issue(user=user, by=user)
    assert client.get(reverse("account:two_factor_enrol_link", args=[token])).url == SETUP


@pytest.fixture
def required(settings):
    settings.REQUIRE_2FA = True


@pytest.mark.parametrize("role", ["city_admin", "security_admin", "auditor", "bureau"])
def test_the_administrators_and_the_bureau_must_enrol_before_anything_else(role, required, request):
    user = request.getfixturevalue(role)
    client = Client()
    assert login(client, user.username).status_code == 302
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(SETUP)
    assert client.get(reverse("audit_log")).url.startswith(SETUP)
    open_link(client, user)
    page = client.get(SETUP).content.decode()
    assert "<svg" in page  # the QR code, inline (no script, no other host)
    device = TOTPDevice.objects.get(user=user)
    assert not device.confirmed
    response = client.post(SETUP, {"token": code_for(device)})
    assert response.status_code == 200
    codes = response.context["codes"]
    assert len(codes) == 10 and RecoveryCode.objects.filter(user=user).count() == 10
    assert client.get(reverse("home")).status_code == 200
    assert AuditEntry.objects.filter(action="auth.2fa.enrolled", actor=user).exists()


@pytest.mark.parametrize("role", ["jiegu_clerk", "station_leader"])
def test_other_roles_are_not_asked_unless_they_enrolled(role, required, request):
    user = request.getfixturevalue(role)
    client = Client()
    login(client, user.username)
    assert client.get(reverse("home")).status_code == 200


def test_off_under_make_run_unless_required(settings, city_admin):
    settings.REQUIRE_2FA = False
    client = Client()
    login(client, "t_admin")
    assert client.get(reverse("home")).status_code == 200


@pytest.fixture
def enrolled(city_admin):
    device = TOTPDevice.objects.create(user=city_admin, key="3132333435363738393031323334353637383930", confirmed=True)
    return device


def test_after_the_password_the_code_is_asked_and_accepted_once(enrolled, required):
    client = Client()
    login(client, "t_admin")
    response = client.get(reverse("officers:list"))
    assert response.status_code == 302 and response.url.startswith(VERIFY)
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        code = code_for(enrolled, now)
        assert client.post(VERIFY, {"token": "000000" if code != "000000" else "111111"}).status_code == 200
        TOTPDevice.objects.filter(pk=enrolled.pk).update(throttling_failure_count=0)
        assert client.post(VERIFY, {"token": code, "next": "/officers/"}).url == "/officers/"
    assert client.get(reverse("officers:list")).status_code == 200
    # The same code in another session is refused (replay), whatever the clock says now.
    other = Client()
    login(other, "t_admin")
    with time_machine.travel(now, tick=False):
        response = other.post(VERIFY, {"token": code})
    assert response.status_code == 200 and "验证码不正确" in response.content.decode()
    actions = list(AuditEntry.objects.filter(actor=enrolled.user).values_list("action", flat=True))
    assert "auth.2fa.verified_totp" in actions and "auth.2fa.failed" in actions


def test_failures_back_off(enrolled, required):
    client = Client()
    login(client, "t_admin")
    client.post(VERIFY, {"token": "12345x"})
    response = client.post(VERIFY, {"token": code_for(enrolled)})  # the right code, too soon after a failure
    assert "秒后再试" in response.content.decode()
    assert client.get(reverse("home")).status_code == 302


def test_a_recovery_code_works_once(city_admin, required):
    client = Client()
    login(client, "t_admin")
    open_link(client, city_admin)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=city_admin)
    codes = client.post(SETUP, {"token": code_for(device)}).context["codes"]
    client.post(reverse("logout"))
    for attempt in (1, 2):
        fresh = Client()
        login(fresh, "t_admin")
        TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
        response = fresh.post(VERIFY, {"token": codes[0].lower()})
        if attempt == 1:
            assert response.status_code == 302
            assert fresh.get(reverse("home")).status_code == 200
        else:
            assert response.status_code == 200  # used up
    assert two_factor.recovery_codes_left(city_admin) == 9


def test_the_secret_is_encrypted_at_rest(enrolled):
    with connection.cursor() as cursor:
        cursor.execute("SELECT key FROM yushu_gov_totpdevice WHERE id = %s", [enrolled.pk])
        stored = cursor.fetchone()[0]
    assert stored.startswith("sm4gcm:") and "31323334" not in stored
    assert TOTPDevice.objects.get(pk=enrolled.pk).key == "3132333435363738393031323334353637383930"


def test_an_enrolled_user_regenerates_recovery_codes(client_for, enrolled):
    client = client_for("city_admin")
    session = client.session
    session.pop(two_factor.PENDING_KEY)  # as after a code was accepted
    session.save()
    url = reverse("account:recovery_codes")
    assert "重新生成" in client.get(url).content.decode()
    response = client.post(url)
    assert len(response.context["codes"]) == 10
    assert two_factor.recovery_codes_left(enrolled.user) == 10


def test_the_provisioning_uri_names_the_issuer_and_the_account(enrolled):
    uri = two_factor.provisioning_uri(enrolled)
    assert uri.startswith("otpauth://totp/") and "secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ" in uri
    assert "t_admin" in uri


def test_an_authenticator_reset_during_the_login_leads_to_a_new_enrolment(enrolled, required):
    client = Client()
    login(client, "t_admin")
    assert client.get(reverse("home")).url.startswith(VERIFY)
    TOTPDevice.objects.filter(pk=enrolled.pk).delete()  # the security administrator reset it meanwhile
    response = client.get(VERIFY)
    assert response.url == SETUP
    assert client.get(SETUP).status_code == 403  # no redirect loop: the page asks for an enrolment link
    open_link(client, enrolled.user)
    assert client.get(SETUP).status_code == 200
    assert client.get(reverse("home")).url.startswith(SETUP)
