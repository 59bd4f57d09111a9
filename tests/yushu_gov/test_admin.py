"""The admin site: titled, every model registered with its list configuration, officers changed through
the services (masked, audited), the audit log read-only and only for the auditor."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from officers.models import Officer
from yushu_gov.models import AuditEntry, User

OUR_APPS = ("yushu_gov", "communities", "officers", "assessments")


def test_site_title():
    assert admin.site.site_header == "玉树市党员民警兼任社区党支部副书记管理系统"


# Secrets are never shown in the admin site, not even as hashes.
SECRETS = ("PasswordHistory", "TOTPDevice", "RecoveryCode", "EnrolmentLink")


def _ours(model) -> bool:
    return model._meta.app_label in OUR_APPS and model.__name__ not in SECRETS


def test_every_model_is_registered_and_configured():
    for model in apps.get_models():
        if model._meta.app_label in OUR_APPS and model.__name__ in SECRETS:
            assert not admin.site.is_registered(model), model
            continue
        if not _ours(model):
            continue
        assert admin.site.is_registered(model), model
        model_admin = admin.site._registry[model]
        assert model_admin.list_display != ("__str__",), model
        assert model_admin.search_fields, model


# Every model but the audit log, which is the auditor's, and the accounts, which are the security
# administrator's (tests/yushu_gov/test_separation_of_duties.py).
@pytest.mark.parametrize("model", [m for m in apps.get_models() if _ours(m) and m not in (AuditEntry, User)])
def test_city_admin_opens_every_changelist(model, client_for, jiegu_officer):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    assert client_for("city_admin").get(url).status_code == 200


def test_officer_change_form_never_shows_the_full_id_number(client_for, jiegu_officer):
    url = reverse("admin:officers_officer_change", args=[jiegu_officer.pk])
    html = client_for("city_admin").get(url).content.decode()
    assert jiegu_officer.id_number not in html
    assert jiegu_officer.masked_id_number in html
    changelist = client_for("city_admin").get(reverse("admin:officers_officer_changelist")).content.decode()
    assert jiegu_officer.id_number not in changelist and jiegu_officer.mobile not in changelist


def test_officer_changed_in_the_admin_is_audited(client_for, jiegu_officer, reference):
    url = reverse("admin:officers_officer_change", args=[jiegu_officer.pk])
    data = {
        "name": jiegu_officer.name,
        "gender": "male",
        "ethnicity": "tibetan",
        "police_number": jiegu_officer.police_number,
        "id_number": "",
        "mobile": "",
        "work_phone": "0976-1",
        "station": reference["jiegu_station"].pk,
        "rank": "",
        "post": "所长",
        "party_status": "full",
        "party_member_since": "2010-07-01",
    }
    response = client_for("city_admin").post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Officer.objects.get(pk=jiegu_officer.pk).post == "所长"
    entry = AuditEntry.objects.get(action="officers.officer.changed")
    assert entry.changes["post"] == ["", "所长"]


def test_audit_log_in_the_admin_is_the_auditors_and_read_only(client_for, auditor, city_admin):
    auditor.is_staff = True
    auditor.save()
    entry = AuditEntry.objects.create(action="test.read")
    changelist = reverse("admin:yushu_gov_auditentry_changelist")
    assert client_for("city_admin").get(changelist).status_code == 403
    assert client_for("auditor").get(changelist).status_code == 200
    change = reverse("admin:yushu_gov_auditentry_change", args=[entry.pk])
    response = client_for("auditor").post(change, {"action": "tampered"})
    assert response.status_code == 403
    delete = reverse("admin:yushu_gov_auditentry_delete", args=[entry.pk])
    assert client_for("auditor").post(delete, {"post": "yes"}).status_code == 403
    assert AuditEntry.objects.get(pk=entry.pk).action == "test.read"


def test_community_edit_in_the_admin_is_audited(client_for, reference):
    from communities.models import Community

    community = Community.objects.get(code="urban-16")
    url = reverse("admin:communities_community_change", args=[community.pk])
    data = {
        "code": "urban-16",
        "name": "某某社区",
        "street": community.street_id,
        "kind": "urban",
        "name_confirmed": "on",
        "note": "",
        "sort_order": 90,
        "branch_posts": 5,
        "branch_members-TOTAL_FORMS": 0,
        "branch_members-INITIAL_FORMS": 0,
    }
    assert client_for("city_admin").post(url, data).status_code == 302
    entry = AuditEntry.objects.get(action="communities.community.changed")
    assert entry.changes["name"] == ["第16个城市社区（名称待核实）", "某某社区"]
    assert entry.changes["name_confirmed"] == [False, True]


def test_inline_changes_in_the_admin_are_audited(client_for, reference):
    from communities.models import Community

    community = Community.objects.get(code="minzhulu")
    url = reverse("admin:communities_community_change", args=[community.pk])
    data = {
        "code": community.code, "name": community.name, "street": community.street_id, "kind": "urban",
        "name_confirmed": "on", "note": "", "sort_order": community.sort_order, "branch_posts": 5,
        "branch_members-TOTAL_FORMS": 1, "branch_members-INITIAL_FORMS": 0,
        "branch_members-0-post": "member", "branch_members-0-name": "新委员", "branch_members-0-sort_order": 1,
    }  # fmt: skip
    assert client_for("city_admin").post(url, data).status_code == 302
    entry = AuditEntry.objects.get(action="communities.community.changed")
    assert "新委员" in entry.changes["支部委员"][1]
