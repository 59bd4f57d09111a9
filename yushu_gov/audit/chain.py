"""The audit log's hash chain: tamper evidence against anyone who can write to the database, the
application's own database user included.

Each entry carries `prev_hash`, the previous entry's hash, and `entry_hash`, an HMAC-SM3 (keyed with
AUDIT_CHAIN_KEY, which the database does not hold) over its own content and `prev_hash`. Altering an entry
breaks its own hash; deleting or inserting one breaks the next entry's link; without the key no one can
compute hashes that fit. `manage.py verify_audit` walks the chain and reports the first broken link.

Entries are chained in the order of their ids, so appending is serialised: on PostgreSQL by a transaction-
level advisory lock (which the runtime role may take: it needs no privilege on the table), on SQLite by the
write lock every transaction takes at its start (settings: transaction_mode IMMEDIATE).

The canonical form below is a contract with every entry already written: never change it.
"""

import ipaddress
import json
from dataclasses import dataclass
from datetime import UTC

from django.core.serializers.json import DjangoJSONEncoder

from yushu_gov.security.crypto import audit_mac

GENESIS = "0" * 64
_LOCK_KEY = 0x79757368755F6175  # "yushu_au": the advisory lock of the audit chain


def lock(connection) -> None:
    """Serialises appends until the end of the current transaction (PostgreSQL; SQLite serialises writers)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])


def json_ready(value):
    """`value` as the database will give it back (so that the hash of a stored entry can be recomputed)."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def _ip(value) -> str | None:
    if not value:
        return None
    try:
        address = ipaddress.ip_address(str(value))
    except ValueError:
        return str(value)
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return str(address)


def canonical(entry) -> bytes:
    data = {
        "at": entry.at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor": entry.actor_id,
        "actor_name": entry.actor_name,
        "action": entry.action,
        "content_type": entry.content_type_id,
        "object_id": entry.object_id,
        "object_repr": entry.object_repr,
        "changes": entry.changes,
        "ip": _ip(entry.ip_address),
        "prev": entry.prev_hash,
    }
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def entry_hash(entry) -> str:
    return audit_mac(canonical(entry))


@dataclass
class Break:
    """The first broken link of the chain."""

    entry: object  # the entry at which the chain breaks
    reason: str  # "altered": its content no longer matches its hash; "link": it does not follow the entry before


@dataclass
class Report:
    checked: int
    head: str  # the last entry's hash: note it, and a later report that does not reach it shows a cut tail
    broken: Break | None
    head_id: int | None = None  # the last entry's id
    reached: bool | None = None  # whether the chain passed the anchor given (None: no anchor given)


def verify(entries, *, anchor: tuple[int, str] | None = None) -> Report:
    """Walks `entries` (in id order) and stops at the first broken link. `anchor` (count, head hash): whether
    the chain's entry number `count` is the anchored head (yushu_gov/audit/anchor.py)."""
    previous = GENESIS
    checked = 0
    head_id = None
    reached = None if anchor is None else anchor[0] == 0
    for entry in entries:
        if entry.prev_hash != previous:
            return Report(checked, previous, Break(entry, "link"), head_id, reached)
        if entry.entry_hash != entry_hash(entry):
            return Report(checked, previous, Break(entry, "altered"), head_id, reached)
        previous = entry.entry_hash
        head_id = entry.pk
        checked += 1
        if anchor is not None and checked == anchor[0]:
            reached = entry.entry_hash == anchor[1]
    return Report(checked, previous, None, head_id, reached)
