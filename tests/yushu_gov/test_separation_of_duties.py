"""等保 三员分立: the system administrator (city administrator), the security administrator and the auditor
hold separate rights. Only the security administrator manages accounts, roles and scopes; nobody changes
their own account or makes anyone a security administrator or auditor through the application; the role
groups are read-only; every account change, password included, is in the audit log."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from yushu_gov.access.roles import GROUP_NAMES, Role, role_of
from yushu_gov.models import AuditEntry, User

from ..factories import UserFactory

CHANGELIST = reverse("admin:yushu_gov_user_changelist")
ADD = reverse("admin:yushu_gov_user_add")


def change_url(user):
    return reverse("admin:yushu_gov_user_change", args=[user.pk])


def account_form(user, **overrides):
    role = role_of(user)
    data = {
        "username": user.username,
        "full_name": user.full_name,
        "email": "",
        "role": role.value if role else "",
        "street": user.street_id or "",
        "station": user.station_id or "",
        "is_active": "on" if user.is_active else "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v != ""}


def test_the_city_administrator_no_longer_manages_accounts(client_for, jiegu_clerk):
    client = client_for("city_admin")
    assert client.get(CHANGELIST).status_code == 403
    assert client.get(ADD).status_code == 403
    assert client.post(change_url(jiegu_clerk), account_form(jiegu_clerk, role="city_admin")).status_code == 403
    assert role_of(User.objects.get(pk=jiegu_clerk.pk)) == Role.STREET_STAFF
    assert client.get(reverse("admin:auth_user_password_change", args=[jiegu_clerk.pk])).status_code == 403


def test_the_attack_of_the_issue_renaming_the_auditors_group_is_impossible(client_for, city_admin):
    """The city administrator renamed 审计管理员, joined it, renamed it back, and read the audit log."""
    auditors = Group.objects.get(name=GROUP_NAMES[Role.AUDITOR])
    url = reverse("admin:auth_group_change", args=[auditors.pk])
    for role in ("city_admin", "security_admin"):
        client = client_for(role)
        response = client.post(url, {"name": "临时组"})
        assert response.status_code == 403
    assert Group.objects.get(pk=auditors.pk).name == "审计管理员"
    assert client_for("city_admin").get(reverse("admin:auth_group_changelist")).status_code == 403
    assert client_for("city_admin").get(reverse("audit_log")).status_code == 403


def test_the_security_administrator_reads_the_groups_but_cannot_change_them(client_for, reference):
    client = client_for("security_admin")
    html = client.get(reverse("admin:auth_group_changelist")).content.decode()
    assert "审计管理员" in html and "audit.view" in html  # each role's rights, from the code
    assert client.get(reverse("admin:auth_group_add")).status_code == 403
    group = Group.objects.get(name=GROUP_NAMES[Role.CITY_ADMIN])
    assert client.post(reverse("admin:auth_group_delete", args=[group.pk]), {"post": "yes"}).status_code == 403


def test_the_security_administrator_creates_an_account_with_role_scope_and_a_forced_password_change(
    client_for, reference
):
    client = client_for("security_admin")
    html = client.get(ADD).content.decode()
    assert 'name="is_superuser"' not in html and 'name="groups"' not in html
    assert 'value="auditor"' not in html and 'value="security_admin"' not in html  # the operator's roles
    response = client.post(
        ADD,
        {
            "username": "new_clerk",
            "full_name": "新职员",
            "usable_password": "true",
            "password1": "Xy7#kPq2-mW9",
            "password2": "Xy7#kPq2-mW9",
            "role": "street_staff",
            "street": reference["jiegu"].pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    user = User.objects.get(username="new_clerk")
    assert role_of(user) == Role.STREET_STAFF and user.street == reference["jiegu"]
    assert user.must_change_password and not user.is_staff and not user.is_superuser
    entry = AuditEntry.objects.get(action="yushu_gov.user.created")
    assert entry.actor.username == "t_security"
    assert entry.changes["role"] == [None, "街道党工委工作人员"]
    assert "Xy7#kPq2" not in str(entry.changes)


def test_a_role_needs_its_scope_and_only_its_scope(client_for, reference, jiegu_clerk):
    client = client_for("security_admin")
    response = client.post(change_url(jiegu_clerk), account_form(jiegu_clerk, role="station_leader"))
    assert response.status_code == 200
    assert "派出所负责人须选择所属派出所" in response.content.decode()
    assert "只有街道党工委工作人员绑定街道" in response.content.decode()
    assert role_of(User.objects.get(pk=jiegu_clerk.pk)) == Role.STREET_STAFF


def test_role_changes_are_audited_and_staff_follows_the_role(client_for, xihang_clerk, reference):
    client = client_for("security_admin")
    response = client.post(
        change_url(xihang_clerk),
        account_form(xihang_clerk, role="station_leader", street="", station=reference["xihang_station"].pk),
    )
    assert response.status_code == 302
    user = User.objects.get(pk=xihang_clerk.pk)
    assert role_of(user) == Role.STATION_LEADER and not user.is_staff and user.street is None
    entry = AuditEntry.objects.get(action="yushu_gov.user.changed", object_id=str(xihang_clerk.pk))
    assert entry.changes["role"] == ["街道党工委工作人员", "派出所负责人"]
    assert entry.changes["street"] == ["西杭街道", None]


def test_nobody_grants_themselves_or_another_a_right_they_do_not_have(client_for, security_admin, auditor, city_admin):
    client = client_for("security_admin")
    # Not their own account: no role, scope or status change, no password reset through the admin site.
    assert client.post(change_url(security_admin), account_form(security_admin, role="city_admin")).status_code == 403
    assert client.get(reverse("admin:auth_user_password_change", args=[security_admin.pk])).status_code == 403
    # Not the auditor's account, nor anyone into the operator's roles (a forged choice is refused).
    assert client.post(change_url(auditor), account_form(auditor, full_name="x")).status_code == 403
    response = client.post(change_url(city_admin), account_form(city_admin, role="auditor"))
    assert response.status_code == 200  # not a choice
    assert role_of(User.objects.get(pk=city_admin.pk)) == Role.CITY_ADMIN
    # No superuser flag, no personal permissions anywhere in the form.
    html = client.get(change_url(city_admin)).content.decode()
    assert 'name="is_superuser"' not in html and 'name="user_permissions"' not in html
    assert 'name="is_staff"' not in html
    # The auditor reads the accounts and changes nothing.
    auditor.is_staff = True
    auditor.save(update_fields=["is_staff"])
    auditor_client = client_for("auditor")
    assert auditor_client.get(CHANGELIST).status_code == 200
    assert auditor_client.post(change_url(city_admin), account_form(city_admin, full_name="x")).status_code == 403
    assert auditor_client.get(ADD).status_code == 403


def test_a_password_reset_in_the_admin_site_is_audited_and_must_be_changed(client_for, jiegu_clerk):
    url = reverse("admin:auth_user_password_change", args=[jiegu_clerk.pk])
    response = client_for("security_admin").post(
        url, {"usable_password": "true", "password1": "Reset#2026abc", "password2": "Reset#2026abc"}
    )
    assert response.status_code == 302
    user = User.objects.get(pk=jiegu_clerk.pk)
    assert user.check_password("Reset#2026abc") and user.must_change_password
    entry = AuditEntry.objects.get(action="auth.password.reset")
    assert (entry.actor.username, entry.object_id) == ("t_security", str(jiegu_clerk.pk))
    assert "Reset#2026abc" not in str(entry.changes)


def test_only_the_operator_makes_an_auditor_or_a_security_administrator(jiegu_clerk):
    out = io.StringIO()
    call_command("assign_role", "t_jiegu", "auditor", stdout=out)
    user = User.objects.get(pk=jiegu_clerk.pk)
    assert role_of(user) == Role.AUDITOR and user.is_staff and user.street is None
    entry = AuditEntry.objects.get(action="yushu_gov.user.role_assigned")
    assert entry.actor is None and entry.changes["role"] == ["街道党工委工作人员", "审计管理员"]
    assert "operator" in entry.changes


def test_the_security_administrator_unlocks_and_resets_a_second_factor(client_for, jiegu_clerk):
    from axes.models import AccessAttempt

    from yushu_gov.models import TOTPDevice

    visitor = client_for("anonymous")
    for _ in range(5):
        visitor.post(reverse("login"), {"username": "t_jiegu", "password": "wrong"})
    assert AccessAttempt.objects.filter(username="t_jiegu").exists()
    TOTPDevice.objects.create(user=jiegu_clerk, key="ab" * 20, confirmed=True)
    client = client_for("security_admin")
    for action in ("unlock", "reset_two_factor"):
        response = client.post(CHANGELIST, {"action": action, "_selected_action": [jiegu_clerk.pk]})
        assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username="t_jiegu").exists()
    assert not TOTPDevice.objects.filter(user=jiegu_clerk).exists()
    assert {"auth.unlocked", "auth.2fa.reset"} <= set(AuditEntry.objects.values_list("action", flat=True))


@pytest.mark.parametrize("role", ["city_admin", "auditor"])
def test_other_roles_cannot_use_the_account_actions(role, client_for, jiegu_clerk):
    response = client_for(role).post(CHANGELIST, {"action": "unlock", "_selected_action": [jiegu_clerk.pk]})
    assert response.status_code in (302, 403)
    assert not AuditEntry.objects.filter(action="auth.unlocked").exists()


def test_the_demo_has_a_security_account():
    from assessments.demo.accounts import ACCOUNTS

    assert ("security", Role.SECURITY_ADMIN) in [(a[0], a[2]) for a in ACCOUNTS]


def test_every_role_has_its_group_and_a_user_of_several_roles_gets_the_least(reference):
    user = UserFactory(username="both", role=Role.CITY_ADMIN)
    user.groups.add(Group.objects.get(name=GROUP_NAMES[Role.SECURITY_ADMIN]))
    assert role_of(User.objects.get(pk=user.pk)) == Role.SECURITY_ADMIN
    assert set(Group.objects.values_list("name", flat=True)) >= set(GROUP_NAMES.values())


def test_the_security_administrators_home_page_shows_the_accounts(client_for, jiegu_clerk, city_admin):
    from yushu_gov.accounts import services as accounts

    accounts.password_set(user=jiegu_clerk, password="Reset#2026abc", by=city_admin)  # must change it
    html = client_for("security_admin").get(reverse("home")).content.decode()
    assert "账号与角色" in html and "街道党工委工作人员：1" in html
    assert "须修改密码（重置或过期）：1" in html
    assert "审计日志" not in html.split('id="site-nav"')[1].split("</nav>")[0]  # not the auditor's
