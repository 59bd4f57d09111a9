"""Every action the application writes to the audit log has a Chinese name in the log's pages: the auditor
reads 登录失败, not auth.login_failed. The actions are found in the source (literal codes given to
audit_log and audit_export), so a new action without a label fails here."""

import re
from pathlib import Path

from officers.models import Appointment
from yushu_gov.audit.log import EXPORT_PREFIX, action_label
from yushu_gov.documents.export_jobs import export_kinds

BASE = Path(__file__).resolve().parents[2]
APPS = ["yushu_gov", "communities", "officers", "assessments"]
# The first `action="…"` (or `what="…"`) after a call of audit_log (or audit_export): the calls span a few lines.
LITERAL_ACTION = re.compile(r'\baudit_log\([^()]{0,400}?\baction="([a-z0-9_]+(?:\.[a-z0-9_]+)+)"', re.DOTALL)
LITERAL_EXPORT = re.compile(r'\baudit_export\([^()]{0,400}?\bwhat="([a-z0-9_]+(?:\.[a-z0-9_]+)*)"', re.DOTALL)
# Codes built at run time, with every value they take.
BUILT = [
    *(
        f"assessments.report.{body}.{verb}"
        for body in ("street", "bureau")
        for verb in ("entered", "submitted", "drafted")
    ),
    *(f"auth.2fa.verified_{method}" for method in ("totp", "recovery")),
    *(f"officers.appointment.{to}" for to in Appointment.Status.values),
    "officers.officer.consent_withdrawn",
    "resident_requests.request.rated",
]


def written_actions() -> set[str]:
    # Background exports write "export.<kind>" when their job is done.
    found = set(BUILT) | {EXPORT_PREFIX + kind.name for kind in export_kinds()}
    for app in APPS:
        for path in (BASE / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            text = path.read_text(encoding="utf-8")
            found.update(LITERAL_ACTION.findall(text))
            found.update(EXPORT_PREFIX + what for what in LITERAL_EXPORT.findall(text))
    return found


def test_the_source_scan_finds_the_actions():
    actions = written_actions()
    # The scan itself could silently find nothing (a changed call style); these are written today.
    assert {"auth.login", "officers.talk.recorded", "export.talks.sheet"} <= actions
    assert len(actions) > 40


def test_every_action_written_has_a_chinese_name():
    unnamed = sorted(code for code in written_actions() if action_label(code) in (code, ""))
    unnamed += sorted(
        code
        for code in written_actions()
        if code.startswith(EXPORT_PREFIX) and action_label(code).startswith("导出文件（")
    )
    assert unnamed == []
