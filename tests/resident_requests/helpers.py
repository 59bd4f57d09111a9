"""Shared by the residents' requests tests: a valid public form, and requests moved along their steps."""

import struct
import time
import zlib

import time_machine

from communities.models import Community
from officers.resident_requests import services
from officers.resident_requests.forms import form_started_token

FORM = {
    "category": "facility",
    "description": "小区路灯坏了一个多月，晚上出行不安全",
    "location": "3号楼",
    "resident_name": "",
    "resident_phone": "",
    "website": "",
}


def started(seconds_ago: float = 60) -> str:
    """The token of a form shown `seconds_ago` seconds ago (the minimum fill time is measured from it)."""
    with time_machine.travel(time.time() - seconds_ago, tick=False):
        return form_started_token()


def form_data(**changes) -> dict:
    """The form as sent; "confirm_new" passes the similar-requests check (test_duplicates.py sends it empty)."""
    return {**FORM, "started": started(), "confirm_new": "1", **changes}


def submit(community_code: str = "minzhulu", **data):
    """A request submitted through the service (no rate limit address)."""
    values = {key: value for key, value in FORM.items() if key != "website"}
    values.update(data)
    return services.request_submit(community=Community.objects.get(code=community_code), data=values)


def png_header(width: int, height: int) -> bytes:
    """A PNG that claims the given size but holds almost nothing: what a "decompression bomb" looks like
    to a server that believes the header."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00")) + chunk(b"IEND", b"")
