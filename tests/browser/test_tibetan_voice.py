"""The residents' channel in Tibetan, at 375 px, with a fake microphone: a resident finds the community by its
Tibetan name, reads its resolved requests, starts a request, is offered a similar open one, files a voice-only
request recorded by Chromium's MediaRecorder from a WAV that espeak-ng speaks, and follows its status with
both deadlines; the officer plays the voice on his request page."""

import shutil
import subprocess
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from communities.models import Community
from officers.resident_requests import services
from officers.resident_requests.models import ResidentRequest
from tests.factories import AppointmentFactory, OfficerFactory
from yushu_gov.models import User

from .conftest import CHROMIUM, CHROMIUM_ARGS, PHONE

HONGWEI = "ཧུང་ཝེ་ལམ་སྡོད་ཁུལ།"
LAMP = "小区路灯坏了一个多月，晚上出行不安全"


@pytest.fixture
def spoken_wav(tmp_path):
    if not shutil.which("espeak-ng"):
        pytest.skip("espeak-ng not installed (make test installs it)")
    wav = tmp_path / "resident.wav"
    text = "Tashi delek. The street light in front of building three has been broken for a month."
    subprocess.run(["espeak-ng", "-w", str(wav), text], check=True, timeout=60)
    return wav


def _fits(page):
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{page.url} is {overflow}px wider than the screen"


def test_a_tibetan_reader_files_a_voice_request_and_follows_it(
    demo_accounts, live_server, browser_type, spoken_wav, settings, login, page
):
    settings.RESIDENT_REQUEST_MIN_FILL_SECONDS = 0
    community = Community.objects.get(code="hongweilu")
    Community.objects.filter(pk=community.pk).update(name_bo=HONGWEI)
    officer = OfficerFactory(name="藏语测试民警（演示）", directory_consent_at=timezone.now())
    AppointmentFactory(officer=officer, community=community)
    User.objects.filter(username="officer").update(officer=officer)
    user = User.objects.get(username="officer")
    neighbour = services.request_submit(
        community=community, data={"category": "facility", "description": LAMP, "public_consent": True}
    )
    answered = services.request_submit(
        community=community,
        data={"category": "dispute", "description": "楼道堆放杂物，邻里有矛盾", "public_consent": True},
        now=timezone.now() - timedelta(days=3),
    )
    services.request_accept(resident_request=answered, by=user)
    services.request_resolve(resident_request=answered, by=user, reply="已协调清理楼道。")

    browser = browser_type.launch(
        executable_path=CHROMIUM,
        headless=True,
        args=[*CHROMIUM_ARGS, "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
              f"--use-file-for-fake-audio-capture={spoken_wav}"],
    )  # fmt: skip
    try:
        context = browser.new_context(viewport=PHONE, locale="bo")
        context.grant_permissions(["microphone"], origin=live_server.url)
        resident = context.new_page()

        # Tibetan from the browser's language; the community found by its Tibetan name without the shad.
        resident.goto(f"{live_server.url}/directory/")
        expect(resident.locator("html")).to_have_attribute("lang", "bo")
        resident.fill("#directory-q", "ཧུང་ཝེ་ལམ")
        resident.locator(".directory-search button[type=submit]").click()
        resident.locator(".community-link", has_text="红卫路社区").click()
        _fits(resident)
        resolved = resident.locator("#resolved-requests")
        expect(resolved).to_contain_text("ཉིན་ ༩༠ ནང་ཐག་ཆོད་པའི་རེ་འདུན།")
        expect(resolved).to_contain_text("已协调清理楼道。")

        # The form: a similar open request is offered first.
        resident.get_by_role("link", name="རེ་འདུན་ཞུ་བ།").first.click()
        _fits(resident)
        resident.locator("input[name=category][value=facility]").check()
        resident.fill("#id_description", "3号楼路灯坏了，晚上很黑")
        resident.locator(".request-form button[type=submit]").click()
        similar = resident.locator("#similar-requests")
        expect(similar).to_be_visible()
        expect(similar).to_contain_text(LAMP)
        expect(similar.locator(".support-button")).to_have_count(1)

        # Not the same after all: voice only, recorded from the fake microphone.
        resident.fill("#id_description", "")
        resident.locator(".record-start").click()
        resident.wait_for_timeout(3000)
        resident.locator(".record-stop").click()
        expect(resident.locator(".recorder")).to_have_attribute("data-ready", "1")
        resident.locator("button[name=confirm_new]").click()
        code = resident.locator("#tracking-code").inner_text().strip()
        assert code.startswith("YS-")
        _fits(resident)

        # The status page, in Tibetan, with both deadlines.
        resident.locator(".tracking ~ p a.button, a.button.primary").first.click()
        deadlines = resident.locator("#request-deadlines dd")
        expect(deadlines).to_have_count(2)
        expect(resident.locator("#request-deadlines")).to_contain_text("ལན་འདེབས་ཀྱི་དུས་ཚད།")
        expect(resident.locator("#request-next")).to_be_visible()
        _fits(resident)
    finally:
        browser.close()

    item = ResidentRequest.objects.exclude(pk__in=[neighbour.pk, answered.pk]).get()
    assert item.voice and item.voice_type == "audio/webm" and 1 <= item.voice_seconds <= 5

    # The officer plays it on his request page.
    page.set_viewport_size(PHONE)
    login("officer")
    page.goto(f"{live_server.url}/requests/{item.pk}/")
    audio = page.locator("#request-voice")
    expect(audio).to_be_visible()
    response = page.request.get(f"{live_server.url}/requests/{item.pk}/voice/")
    assert response.status == 200 and response.body()[:4] == b"\x1a\x45\xdf\xa3"
