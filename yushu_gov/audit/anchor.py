"""Anchors of the audit chain: what a hash chain alone cannot show is a cut tail. TRUNCATE, or deleting the
newest entries, leaves a shorter chain that is still whole. So the operator runs `manage.py anchor_audit`
periodically (cron, as an OS user other than the database's): it writes the chain's head hash and entry count
as one line signed with HMAC-SM3 under a key from the environment (AUDIT_ANCHOR_KEY, never in the database),
appended to AUDIT_ANCHOR_FILE and printed, for the operator to ship off the machine. `manage.py verify_audit`
compares the chain with the latest anchor: a chain that no longer reaches the anchored head at the anchored
count lost entries from its end (or was rewritten).

A line:  {"at": "2026-12-06T03:40:00+00:00", "count": 1191, "head": "<64 hex>", "head_id": 1203, "mac": "<64 hex>"}
"""

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.utils.crypto import constant_time_compare

from yushu_gov.security.crypto import anchor_mac


class BadAnchor(ValueError):
    """An anchor line that is not one this application signed (altered, or signed with another key)."""


@dataclass(frozen=True)
class Anchor:
    at: datetime
    count: int  # entries in the chain when it was anchored
    head: str  # the hash of its last entry
    head_id: int | None

    def _payload(self) -> dict:
        return {"at": self.at.isoformat(), "count": self.count, "head": self.head, "head_id": self.head_id}

    def line(self) -> str:
        payload = self._payload()
        mac = anchor_mac(json.dumps(payload, sort_keys=True, separators=(",", ":")).encode())
        return json.dumps({**payload, "mac": mac}, sort_keys=True, separators=(",", ":"))


def parse(line: str) -> Anchor:
    """The anchor of a line, its signature checked (BadAnchor otherwise)."""
    try:
        data = json.loads(line)
        mac = data.pop("mac")
        anchor = Anchor(
            at=datetime.fromisoformat(data["at"]),
            count=int(data["count"]),
            head=str(data["head"]),
            head_id=data.get("head_id"),
        )
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise BadAnchor("not an audit anchor line") from exc
    expected = anchor_mac(json.dumps(anchor._payload(), sort_keys=True, separators=(",", ":")).encode())
    if not constant_time_compare(str(mac), expected):
        raise BadAnchor("the anchor's signature does not match (altered, or signed with another key)")
    return anchor


def latest(path: str | Path) -> Anchor | None:
    """The last anchor of the file (None when there is none); BadAnchor when its last line is not signed."""
    path = Path(path)
    if not path.exists():
        return None
    with path.open("rb") as handle:
        handle.seek(0, 2)
        size = handle.tell()
        handle.seek(max(0, size - 64 * 1024))
        lines = [line for line in handle.read().decode("utf-8", "replace").splitlines() if line.strip()]
    return parse(lines[-1]) if lines else None


def append(path: str | Path, anchor: Anchor) -> None:
    with Path(path).open("a", encoding="utf-8") as handle:
        handle.write(anchor.line() + "\n")
