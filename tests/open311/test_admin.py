"""Partner keys in the admin site (officers/open311/admin.py): the security administrator issues a key, which
is shown once and stored as a SHA-256 hash, and revokes it; the auditor reads the keys; nobody else sees them,
and nobody edits or deletes a key."""

import hashlib
import re

import pytest
from django.urls import reverse

from officers.open311.models import PartnerKey
from yushu_gov.models import AuditEntry

pytestmark = pytest.mark.django_db

ADD = reverse("admin:open311_partnerkey_add")
LIST = reverse("admin:open311_partnerkey_changelist")


def test_the_security_administrator_issues_a_key_shown_once_and_revokes_it(client_for):
    client = client_for("security_admin")
    response = client.post(
        ADD, {"name": "12345热线", "may_post": "on", "may_work_orders": "on", "rate_per_minute": 120}, follow=True
    )
    page = response.content.decode()
    raw = re.search(r"ys311_[A-Za-z0-9_-]{43}", page).group(0)
    key = PartnerKey.objects.get()
    assert key.key_hash == hashlib.sha256(raw.encode()).hexdigest() and key.prefix == raw[:12]
    assert (key.may_post, key.may_work_orders, key.rate_per_minute) == (True, True, 120)
    assert raw not in client.get(LIST).content.decode()  # once only
    assert raw not in client.get(reverse("admin:open311_partnerkey_change", args=[key.pk])).content.decode()
    assert not PartnerKey.objects.filter(key_hash=raw).exists()  # the key itself is nowhere
    issued = AuditEntry.objects.get(action="open311.partnerkey.issued")
    assert issued.actor.username == "t_security" and raw not in str(issued.changes)

    client.post(LIST, {"action": "revoke", "_selected_action": [key.pk]})
    key.refresh_from_db()
    assert key.revoked_at is not None
    assert AuditEntry.objects.filter(action="open311.partnerkey.revoked", object_id=str(key.pk)).exists()
    answer = client_for("anonymous").post(reverse("open311:requests", kwargs={"fmt": "json"}), {"api_key": raw})
    assert answer.status_code == 403


@pytest.mark.parametrize(
    ("role", "list_status", "add_status"),
    [("security_admin", 200, 200), ("auditor", 200, 403), ("city_admin", 403, 403), ("jiegu_clerk", 302, 302)],
)
def test_only_the_security_administrator_issues_and_the_auditor_reads(
    client_for, request, role, list_status, add_status
):
    if role == "auditor":  # staff, as accounts.services makes the auditor's account
        request.getfixturevalue("auditor").__class__.objects.filter(username="t_auditor").update(is_staff=True)
    client = client_for(role)
    assert client.get(LIST).status_code == list_status
    assert client.get(ADD).status_code == add_status
    if role == "auditor":
        assert client.post(ADD, {"name": "x", "rate_per_minute": 60}).status_code == 403
        assert not PartnerKey.objects.exists()
