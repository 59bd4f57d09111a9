"""Histories and the audit log show every field by its Chinese name, a file as "已上传照片" (never its
storage path), and a resident's own steps as 群众（查询码 …末四位）.

The walk: every action of the registry, each with a sample change that holds every name the production
code writes into an audit entry's changes (read from the source: the keys of the dicts given as `changes=`
or built in a variable named `changes` or by a `*snapshot*` function, and the field lists of the snapshots),
each valued with a stored file's path."""

import ast
import re
from pathlib import Path

from django.urls import reverse

from officers.resident_requests import services
from yushu_gov.audit.log import action_choices, actor_label, change_rows
from yushu_gov.models import AuditEntry

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = ["yushu_gov", "communities", "officers", "assessments"]
RAW = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
PATH = "private/requests/2026/3f9a.jpg"


def _strings(node) -> set[str]:
    if isinstance(node, ast.Dict):
        return {k.value for k in node.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)}
    if isinstance(node, ast.List | ast.Tuple):
        return {e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)}
    return set()


def logged_names() -> set[str]:
    names = set()
    for folder in PRODUCTION:
        for path in (ROOT / folder).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.Call):
                    func = node.func
                    called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                    if called in ("audit_log", "changes_of"):
                        for keyword in node.keywords:
                            if keyword.arg == "changes":
                                names |= _strings(keyword.value)
                    if called == "snapshot" and len(node.args) > 1:
                        names |= _strings(node.args[1])
                elif isinstance(node, ast.Assign):
                    targets = [t.id if isinstance(t, ast.Name) else "" for t in node.targets]
                    if "changes" in targets:
                        names |= _strings(node.value)
                    if any(t.endswith("_FIELDS") for t in targets) and isinstance(node.value, ast.List | ast.Tuple):
                        names |= _strings(node.value)  # the field lists the snapshots take
                    if any(isinstance(t, ast.Subscript) and getattr(t.value, "id", "") == "changes"
                           for t in node.targets):  # fmt: skip
                        names |= {
                            t.slice.value for t in node.targets if isinstance(getattr(t, "slice", None), ast.Constant)
                        }
                elif isinstance(node, ast.FunctionDef) and "snapshot" in node.name:
                    for inner in ast.walk(node):
                        if isinstance(inner, ast.Return) and inner.value is not None:
                            names |= _strings(inner.value)
    return names


def test_the_source_logs_the_names_the_walk_reported():
    assert {"note", "work_record", "in_time", "role", "photo"} <= logged_names()


def test_every_action_of_the_registry_shows_no_raw_name_and_no_path(db):
    names = logged_names()
    raw = {}
    for code, _label in action_choices():
        entry = AuditEntry(action=code, changes={name: [None, PATH] for name in names}, object_repr="YS-2026-000123")
        for row in change_rows(entry):
            if RAW.fullmatch(row.label) or PATH in row.new or "private/" in row.new:
                raw.setdefault(code, []).append(f"{row.label}={row.new}")
    assert raw == {}


def test_a_residents_own_step_names_the_resident_by_the_codes_last_four_digits(resident_request):
    entry = AuditEntry.objects.get(action="resident_requests.request.submitted")
    assert actor_label(entry) == "群众（查询码 …0001）"
    assert resident_request.secret not in actor_label(entry)


def test_the_request_history_and_the_audit_log_read_in_chinese(
    resident_request, officer, jiegu_work_record, client_for
):
    services.request_accept(resident_request=resident_request, by=officer)
    services.request_note(resident_request=resident_request, by=officer, note="已联系", work_record=jiegu_work_record)
    history = client_for("jiegu_clerk").get(reverse("requests:detail", args=[resident_request.pk])).content.decode()
    section = history[history.index("变更记录") :]
    for raw in ("note:", "work_record:", "in_time:", "private/", ">—<"):
        assert raw not in section.replace(" ", ""), raw
    assert "群众（查询码 …0001）" in section and "已上传照片" in section and "关联工作台账" in section
    log = client_for("auditor").get(reverse("audit_log")).content.decode()
    assert "private/" not in log and "in_time" not in log and "群众（查询码 …0001）" in log
