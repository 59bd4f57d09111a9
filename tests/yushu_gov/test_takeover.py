"""Separation of duties without takeover (等保 三员分立): the security administrator can neither make an
account of a privileged role (city administrator, bureau reviewer) nor reset the password or second factor of
one and log in as its holder; the operator does it on the server (manage.py), a second person. His own session
survives a password reset he does in the admin site."""

import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from yushu_gov.access.roles import Role, role_of
from yushu_gov.models import AuditEntry, TOTPDevice, User

from .test_separation_of_duties import ADD, CHANGELIST, account_form, change_url

pytestmark = pytest.mark.django_db

PASSWORD = "Reset#2026abc"


def password_url(user):
    return reverse("admin:auth_user_password_change", args=[user.pk])


def test_the_security_administrator_cannot_reset_the_city_administrators_password(client_for, city_admin):
    client = client_for("security_admin")
    response = client.post(
        password_url(city_admin), {"usable_password": "true", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 403
    assert not User.objects.get(pk=city_admin.pk).check_password(PASSWORD)
    assert Client().post(reverse("login"), {"username": "t_admin", "password": PASSWORD}).status_code == 200  # no entry


def test_nor_his_second_factor(client_for, city_admin, bureau):
    for user in (city_admin, bureau):
        TOTPDevice.objects.create(user=user, key="ab" * 20, confirmed=True)
    client_for("security_admin").post(
        CHANGELIST, {"action": "reset_two_factor", "_selected_action": [city_admin.pk, bureau.pk]}
    )
    assert TOTPDevice.objects.filter(user__in=[city_admin, bureau]).count() == 2
    assert not AuditEntry.objects.filter(action="auth.2fa.reset").exists()


@pytest.mark.parametrize("role", ["city_admin", "bureau_reviewer"])
def test_no_account_of_a_privileged_role_is_made_in_the_application(client_for, reference, jiegu_clerk, role):
    client = client_for("security_admin")
    response = client.post(
        ADD,
        {"username": "shadow", "full_name": "影子", "usable_password": "true", "password1": "Xy7#kPq2-mW9",
         "password2": "Xy7#kPq2-mW9", "role": role},
    )  # fmt: skip
    assert response.status_code == 200 and not User.objects.filter(username="shadow").exists()
    client.post(change_url(jiegu_clerk), account_form(jiegu_clerk, role=role, street=""))
    assert role_of(User.objects.get(pk=jiegu_clerk.pk)) == Role.STREET_STAFF


def test_a_privileged_account_keeps_its_role_when_its_name_is_corrected(client_for, city_admin):
    response = client_for("security_admin").post(change_url(city_admin), account_form(city_admin, full_name="新名字"))
    assert response.status_code == 302
    user = User.objects.get(pk=city_admin.pk)
    assert user.full_name == "新名字" and role_of(user) == Role.CITY_ADMIN


def test_the_operator_resets_a_privileged_account_on_the_server(city_admin):
    TOTPDevice.objects.create(user=city_admin, key="ab" * 20, confirmed=True)
    out = io.StringIO()
    call_command("reset_account", "t_admin", "--password", "--two-factor", "--operator", "张运维", stdout=out)
    new_password = out.getvalue().split("new password ")[1].split()[0]
    user = User.objects.get(pk=city_admin.pk)
    assert user.check_password(new_password) and user.must_change_password
    assert not TOTPDevice.objects.filter(user=city_admin).exists()
    entries = AuditEntry.objects.for_object(city_admin).filter(action__in=["auth.password.reset", "auth.2fa.reset"])
    assert {e.changes["operator"][1] for e in entries} == {"张运维"} and entries.count() == 2


def test_the_security_administrators_session_survives_a_password_reset(security_admin, jiegu_clerk):
    client = Client()
    client.post(reverse("login"), {"username": "t_security", "password": "Yushu@2023"})
    assert client.get(CHANGELIST).status_code == 200
    response = client.post(
        password_url(jiegu_clerk), {"usable_password": "true", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 302 and User.objects.get(pk=jiegu_clerk.pk).check_password(PASSWORD)
    assert client.get(CHANGELIST).status_code == 200
