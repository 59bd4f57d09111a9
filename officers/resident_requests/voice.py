"""A resident's voice message, checked by its content, never by its name or the browser's word: the first
bytes must be those of a WebM (Matroska EBML), Ogg or MP4 file, and the duration read from the container
must be at most MAX_SECONDS. Chromium and Android record Opus in WebM (MediaRecorder), Firefox Opus in Ogg,
iPhones AAC in MP4. Ogg and MP4 are read with mutagen; WebM (which mutagen does not read) by walking its EBML
elements: the Info element's Duration when the recorder wrote one, else the last block's time (a live
MediaRecorder stream leaves the duration and the cluster sizes unknown)."""

import io
import struct

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _

MAX_BYTES = 3 * 1024 * 1024  # 60 s of Opus at 128 kbit/s is under 1 MB; AAC at 256 kbit/s under 2 MB
MAX_SECONDS = 60
TYPES = {"webm": "audio/webm", "ogg": "audio/ogg", "mp4": "audio/mp4"}

UNREADABLE = _("无法识别的语音，请重新录音（支持 WebM、Ogg、MP4 格式）。")
TOO_LONG = _("语音不能超过60秒。")
TOO_BIG = _("语音文件不能超过3MB。")


def sniff(head: bytes) -> str:
    """ "webm", "ogg", "mp4" or "" from a file's first bytes."""
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "webm"
    if head.startswith(b"OggS"):
        return "ogg"
    if head[4:8] == b"ftyp":
        return "mp4"
    return ""


# --- WebM (EBML) ----------------------------------------------------------------------------------------------

SEGMENT, INFO, TIMECODE_SCALE, DURATION = 0x18538067, 0x1549A966, 0x2AD7B1, 0x4489
CLUSTER, CLUSTER_TIME, SIMPLE_BLOCK, BLOCK_GROUP, BLOCK = 0x1F43B675, 0xE7, 0xA3, 0xA0, 0xA1
CONTAINERS = {SEGMENT, INFO, CLUSTER, BLOCK_GROUP}


def _vint(data: bytes, pos: int, *, keep_marker: bool) -> tuple[int, int, bool]:
    """An EBML variable-length integer at `pos`: (value, next position, all value bits set = unknown size)."""
    first = data[pos]
    length = 1
    while length <= 8 and not first & (0x80 >> (length - 1)):
        length += 1
    if length > 8 or pos + length > len(data):
        raise ValueError("bad vint")
    value = first if keep_marker else first & (0xFF >> length)
    for byte in data[pos + 1 : pos + length]:
        value = (value << 8) | byte
    unknown = not keep_marker and value == (1 << (7 * length)) - 1
    return value, pos + length, unknown


def webm_seconds(data: bytes) -> float:
    scale = 1_000_000  # nanoseconds per tick, the default TimecodeScale
    duration = None
    cluster_time = 0
    last = 0
    pos, end = 0, len(data)
    steps = 0
    while pos < end:
        steps += 1
        if steps > 200_000:
            raise ValueError("too many elements")
        element, pos, _unknown = _vint(data, pos, keep_marker=True)
        size, pos, unknown = _vint(data, pos, keep_marker=False)
        if element in CONTAINERS:
            continue  # walk into it (an unknown size runs to the end of its parent: the file here)
        body_end = end if unknown else pos + size
        if body_end > end:
            body_end = end  # a recording cut short: read what there is
        body = data[pos:body_end]
        if element == TIMECODE_SCALE:
            scale = int.from_bytes(body, "big") or scale
        elif element == DURATION and len(body) in (4, 8):
            duration = struct.unpack(">f" if len(body) == 4 else ">d", body)[0]
        elif element == CLUSTER_TIME:
            cluster_time = int.from_bytes(body, "big")
        elif element in (SIMPLE_BLOCK, BLOCK) and len(body) >= 4:
            _track, offset, _u = _vint(body, 0, keep_marker=False)
            relative = struct.unpack(">h", body[offset : offset + 2])[0]
            last = max(last, cluster_time + relative)
        pos = body_end
    ticks = duration if duration and duration > 0 else last
    if ticks <= 0:
        raise ValueError("no audio")
    return ticks * scale / 1e9


def _mutagen_seconds(data: bytes) -> float:
    import mutagen  # imported here: only requests with a voice message need it

    found = mutagen.File(io.BytesIO(data))
    if found is None or not getattr(found.info, "length", 0):
        raise ValueError("no audio")
    return float(found.info.length)


def clean_voice(upload) -> tuple[ContentFile, int, str]:
    """(the file, its whole seconds, its content type), or a ValidationError a resident understands."""
    if upload.size > MAX_BYTES:
        raise ValidationError(TOO_BIG, code="voice_size")
    upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    kind = sniff(data[:16])
    if not kind:
        raise ValidationError(UNREADABLE, code="voice_format")
    try:
        seconds = webm_seconds(data) if kind == "webm" else _mutagen_seconds(data)
    except Exception as exc:  # noqa: BLE001 - any parsing failure of a hostile file is "unreadable"
        raise ValidationError(UNREADABLE, code="voice_format") from exc
    if seconds > MAX_SECONDS + 1:  # a recorder stopped at 60 s writes a little more
        raise ValidationError(TOO_LONG, code="voice_length")
    if seconds < 0.5:
        raise ValidationError(UNREADABLE, code="voice_format")
    return ContentFile(data, name=f"voice.{kind}"), max(1, round(seconds)), TYPES[kind]
