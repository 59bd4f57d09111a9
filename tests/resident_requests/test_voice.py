"""Voice messages: checked by content (the first bytes of a WebM, Ogg or MP4 file and the duration read from
the container), at most 60 seconds and 3 MB; a request may be voice only; the officer and the street play it;
a form that comes back keeps it; the retention rule erases it. The Ogg files are real: made by opusenc from a
WAV (tests skip without opus-tools, which `make test` installs)."""

import shutil
import struct
import subprocess
import wave
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from officers.resident_requests import services
from officers.resident_requests.models import HeldUpload, ResidentRequest
from officers.resident_requests.voice import webm_seconds

from .helpers import form_data

pytestmark = pytest.mark.django_db

NEW = reverse("requests_public:new", args=["minzhulu"])


def ogg_opus(tmp_path, seconds: float) -> bytes:
    """A real Ogg Opus file of `seconds` of a quiet tone (opusenc)."""
    if not shutil.which("opusenc"):
        pytest.skip("opusenc not installed (Debian's opus-tools; make test installs it)")
    source = tmp_path / "tone.wav"
    with wave.open(str(source), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16000)
        out.writeframes(struct.pack("<h", 200) * int(16000 * seconds))
    target = tmp_path / "tone.opus"
    subprocess.run(["opusenc", "--quiet", str(source), str(target)], check=True, timeout=60)
    return target.read_bytes()


def _ebml(element: int, body: bytes, *, unknown: bool = False) -> bytes:
    head = element.to_bytes((element.bit_length() + 7) // 8, "big")
    size = b"\x01\xff\xff\xff\xff\xff\xff\xff" if unknown else (0x10000000 | len(body)).to_bytes(4, "big")
    return head + size + body


def live_webm(seconds: int) -> bytes:
    """A WebM as a live MediaRecorder writes it: no duration, a segment and clusters of unknown size."""
    header = _ebml(0x1A45DFA3, _ebml(0x4282, b"webm"))
    info = _ebml(0x1549A966, _ebml(0x2AD7B1, (1_000_000).to_bytes(3, "big")))
    clusters = b""
    for second in range(seconds):
        block = b"\x81" + struct.pack(">h", 980) + b"\x80" + b"\x00" * 20
        clusters += _ebml(
            0x1F43B675, _ebml(0xE7, (second * 1000).to_bytes(4, "big")) + _ebml(0xA3, block), unknown=True
        )
    return header + _ebml(0x18538067, info + clusters, unknown=True)


def _voice(content: bytes, name: str = "voice.webm", content_type: str = "audio/webm"):
    return SimpleUploadedFile(name, content, content_type)


def test_the_duration_of_a_live_webm_is_read_from_its_blocks():
    assert webm_seconds(live_webm(12)) == pytest.approx(11.98)


def test_a_voice_only_request_is_accepted_and_played_to_the_officer(jiegu_officer, officer, client_for, tmp_path):
    response = Client().post(NEW, {**form_data(description=""), "voice": _voice(ogg_opus(tmp_path, 4), "a.bin")})
    assert response.status_code == 302
    item = ResidentRequest.objects.get()
    assert (item.voice_seconds, item.voice_type) == (4, "audio/ogg") and item.voice.name.endswith(".ogg")
    assert item.description  # the model's text says it is a voice message
    page = client_for("officer").get(reverse("requests:detail", args=[item.pk])).content.decode()
    assert 'id="request-voice"' in page
    played = client_for("jiegu_clerk").get(reverse("requests:voice", args=[item.pk]))
    assert played.status_code == 200 and played["Content-Type"] == "audio/ogg"
    assert b"".join(played.streaming_content).startswith(b"OggS")
    assert client_for("xihang_clerk").get(reverse("requests:voice", args=[item.pk])).status_code == 404


def test_a_live_webm_is_accepted(jiegu_officer):
    assert Client().post(NEW, {**form_data(description=""), "voice": _voice(live_webm(8))}).status_code == 302
    assert ResidentRequest.objects.get().voice_seconds == 8


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"RIFF....WAVEfmt " + b"\x00" * 100, "无法识别的语音"),  # a WAV is not one of the recorder's formats
        (b"OggS" + b"\x00" * 100, "无法识别的语音"),  # a broken Ogg
        (b"\x1a\x45\xdf\xa3" + b"\xff" * 50, "无法识别的语音"),  # a broken WebM
        (b"<html>voice.webm</html>", "无法识别的语音"),  # the name says WebM; the content does not
    ],
)
def test_voice_is_checked_by_content(content, message, jiegu_officer):
    response = Client().post(NEW, {**form_data(), "voice": _voice(content)})
    assert response.status_code == 200 and message in response.content.decode()
    assert not ResidentRequest.objects.exists()


def test_over_60_seconds_is_refused(jiegu_officer, tmp_path):
    for content in (live_webm(75), ogg_opus(tmp_path, 70)):
        response = Client().post(NEW, {**form_data(), "voice": _voice(content)})
        assert "语音不能超过60秒" in response.content.decode()
    assert not ResidentRequest.objects.exists()


def test_over_3_mb_is_refused(jiegu_officer):
    response = Client().post(NEW, {**form_data(), "voice": _voice(live_webm(5) + b"\x00" * (3 * 1024 * 1024))})
    assert "语音文件不能超过3MB" in response.content.decode()


def test_neither_text_nor_voice_is_refused(jiegu_officer):
    response = Client().post(NEW, form_data(description=""))
    assert "请写下您反映的问题，或录一段语音" in response.content.decode()


def test_a_form_that_comes_back_keeps_the_voice(jiegu_officer, private_media):
    client = Client()
    first = client.post(NEW, {**form_data(description="", category=""), "voice": _voice(live_webm(6))})
    assert first.status_code == 200 and "已收到您的语音留言" in first.content.decode()
    assert HeldUpload.objects.filter(kind="voice").count() == 1
    token = first.context["upload_token"]
    assert client.post(NEW, form_data(description="", upload_token=token)).status_code == 302
    item = ResidentRequest.objects.get()
    assert item.voice_seconds == 6 and not HeldUpload.objects.exists()


def test_the_retention_rule_erases_the_voice(jiegu_officer, officer, private_media, django_capture_on_commit_callbacks):
    Client().post(NEW, {**form_data(description=""), "voice": _voice(live_webm(5))})
    item = ResidentRequest.objects.get()
    services.request_accept(resident_request=item, by=officer)
    services.request_resolve(resident_request=item, by=officer, reply="已处理。")
    assert list(private_media.rglob("*.webm"))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.personal_data_erase(now=timezone.now() + timedelta(days=400)) == 1
    item.refresh_from_db()
    assert not item.voice and not list(private_media.rglob("*.webm"))
