"""The smaller 等保 gaps: common passwords however dressed up, a password-only login that ends no verified
session, refused privileged actions in the audit log, the residents' status page never cached."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.yushu_gov.test_two_factor import VERIFY, code_for, login
from yushu_gov.accounts import two_factor
from yushu_gov.models import AuditEntry, TOTPDevice

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("password", ["Qwerty123!", "Aa1!Aa1!Aa", "P@ssw0rd2026!", "Monkey!2026", "Abc#Abc#Abc#"])
def test_common_passwords_however_dressed_up_are_refused(password):
    with pytest.raises(ValidationError) as refused:
        validate_password(password)
    assert "password_too_common" in [error.code for error in refused.value.error_list]


@pytest.mark.parametrize("password", ["Snow-lion-2026", "Xy7#kPq2-mW9", "Reset#2026abc", "Yushu@2023"])
def test_uncommon_passwords_pass(password):
    validate_password(password)


def test_a_password_only_login_ends_no_verified_session(city_admin, settings):
    settings.REQUIRE_2FA = True
    device = TOTPDevice.objects.create(user=city_admin, key="3132333435363738393031323334353637383930", confirmed=True)
    owner = Client()
    login(owner, "t_admin")
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        owner.post(VERIFY, {"token": code_for(device, now)})
    assert owner.get(reverse("officers:list")).status_code == 200
    stranger = Client()
    login(stranger, "t_admin")  # the password only
    assert stranger.get(reverse("officers:list")).url.startswith(VERIFY)
    assert owner.get(reverse("officers:list")).status_code == 200  # the verified session lives on
    later = now + timedelta(seconds=90)
    with time_machine.travel(later, tick=False):
        stranger.post(VERIFY, {"token": code_for(device, later)})
    assert stranger.get(reverse("officers:list")).status_code == 200
    assert owner.get(reverse("officers:list")).status_code == 302  # ended now, by the second factor


def test_a_refused_privileged_action_is_audited(client_for, jiegu_clerk):
    response = client_for("jiegu_clerk").get(reverse("audit_log"))
    assert response.status_code == 403
    entry = AuditEntry.objects.get(action="access.refused")
    assert entry.actor == jiegu_clerk and entry.changes["path"] == [None, reverse("audit_log")]


def test_the_residents_pages_are_never_cached(resident_request):
    for url in (reverse("requests_public:track"), reverse("requests_public:submitted")):
        assert "no-store" in Client().get(url)["Cache-Control"]
    assert "no-store" in Client().get(reverse("requests_public:new", args=["minzhulu"]))["Cache-Control"]


def test_the_first_enrolment_needs_the_security_administrators_one_time_link(city_admin, security_admin, settings):
    from tests.yushu_gov.test_two_factor import SETUP

    settings.REQUIRE_2FA = True
    stranger = Client()
    login(stranger, "t_admin")  # has the password, not the link
    page = stranger.get(SETUP)
    assert page.status_code == 403 and "<svg" not in page.content.decode()
    assert stranger.post(SETUP, {"token": "123456"}).status_code == 403
    assert not TOTPDevice.objects.filter(user=city_admin, confirmed=True).exists()
    # The security administrator issues the link (admin site action), shown once.
    TOTPDevice.objects.create(user=security_admin, key="ab" * 20, confirmed=True)
    admin = Client()
    admin.force_login(security_admin)
    session = admin.session
    session.pop(two_factor.PENDING_KEY)  # as after his own code was accepted
    session.save()
    response = admin.post(
        reverse("admin:yushu_gov_user_changelist"),
        {"action": "enrolment_link", "_selected_action": [city_admin.pk]},
        follow=True,
    )
    text = next(str(m) for m in response.context["messages"] if "/account/2fa/enrol/" in str(m))
    link = "/account/2fa/enrol/" + text.split("/account/2fa/enrol/")[1].split("/")[0] + "/"
    assert AuditEntry.objects.filter(action="auth.2fa.enrolment_link_issued", actor=security_admin).exists()
    # A wrong link opens nothing; the right one, opened by the holder, shows the QR code, once.
    assert stranger.get("/account/2fa/enrol/forged-token/").url == SETUP
    assert stranger.get(SETUP).status_code == 403
    holder = Client()
    login(holder, "t_admin")
    assert holder.get(link).url == SETUP
    assert "<svg" in holder.get(SETUP).content.decode()
    device = TOTPDevice.objects.get(user=city_admin)
    assert holder.post(SETUP, {"token": code_for(device)}).status_code == 200
    assert TOTPDevice.objects.get(user=city_admin).confirmed
    TOTPDevice.objects.filter(user=city_admin).delete()  # reset: the used link does not open a new enrolment
    later = Client()
    login(later, "t_admin")
    assert later.get(link).url == SETUP and later.get(SETUP).status_code == 403
