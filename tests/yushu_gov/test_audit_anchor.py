"""The audit chain anchored (等保): `anchor_audit` writes the head hash and the entry count as a signed line,
and `verify_audit` reports a chain that no longer reaches the latest anchor — the log truncated, or its newest
entries deleted — which the chain alone shows as intact."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from yushu_gov.audit.log import audit_log

from .test_audit_chain import tamper


def run(command: str, *args) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command(command, *args, stdout=out)
    except CommandError as exc:
        return 1, out.getvalue() + str(exc)
    return 0, out.getvalue()


@pytest.fixture
def anchored(city_admin, settings, tmp_path):
    settings.AUDIT_ANCHOR_FILE = str(tmp_path / "anchors.log")
    entries = [audit_log(actor=city_admin, action=f"test.step{n}", changes={"n": [None, n]}) for n in range(5)]
    code, output = run("anchor_audit")
    assert code == 0 and output.startswith("audit-anchor {")
    return entries


@pytest.mark.django_db
def test_an_anchored_chain_verifies_and_grows(anchored, city_admin):
    code, output = run("verify_audit")
    assert code == 0 and "Audit chain intact: 5 entries" in output and "reaches the latest anchor" in output
    audit_log(actor=city_admin, action="test.later")
    assert run("verify_audit")[0] == 0  # entries after the anchor are fine
    assert run("anchor_audit")[0] == 0


@pytest.mark.django_db
def test_deleting_the_newest_entries_is_reported(anchored):
    tamper("DELETE FROM yushu_gov_auditentry WHERE id >= %s", [anchored[3].pk])
    code, output = run("verify_audit")
    assert code == 1 and "Audit chain TRUNCATED" in output and "now holds 3 entries" in output
    assert run("anchor_audit")[0] == 1  # the cut is not blessed by a new anchor


@pytest.mark.django_db
def test_an_emptied_log_is_reported(anchored):
    tamper("DELETE FROM yushu_gov_auditentry")
    code, output = run("verify_audit")
    assert code == 1 and "TRUNCATED" in output and "5 entries" in output and "now holds 0 entries" in output


@pytest.mark.django_db
def test_a_forged_anchor_is_refused(anchored, settings):
    with open(settings.AUDIT_ANCHOR_FILE, encoding="utf-8") as handle:
        line = json.loads(handle.read().splitlines()[-1])
    line["count"] = 2  # someone rewrites the anchor to match a cut log
    with open(settings.AUDIT_ANCHOR_FILE, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(line) + "\n")
    code, output = run("verify_audit")
    assert code == 1 and "Audit anchor INVALID" in output
