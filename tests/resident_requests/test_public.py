"""The residents' pages, without an account: the form on the community's page, the tracking code, the status
page without personal data, the rating with the code; and the abuse bounds — honeypot, minimum fill time,
size limits, hostile photos, rate limits per address and per phone — with nothing saved when refused."""

from datetime import timedelta
from io import BytesIO

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from communities.models import Community
from officers.resident_requests import services
from officers.resident_requests.models import RequestStep, ResidentRequest, ThrottleHit
from tests.conftest import jpeg_bytes
from yushu_gov.models import AuditEntry

from .helpers import form_data, png_header, started

pytestmark = pytest.mark.django_db

NEW = reverse("requests_public:new", args=["minzhulu"])
TRACK = reverse("requests_public:track")


def post(client, data, *, address="203.0.113.7", **files):
    return client.post(NEW, {**data, **files}, REMOTE_ADDR=address)


def test_the_community_page_and_its_card_offer_the_form(jiegu_officer):
    client = Client()
    for url in (reverse("directory:community", args=["minzhulu"]), reverse("directory:card", args=["minzhulu"])):
        assert NEW in client.get(url).content.decode()
    page = client.get(NEW).content.decode()
    assert "个人信息告知" in page and "180天后自动删除" in page  # what is kept, for what, for how long
    assert 'name="website"' in page and "hp" in page  # the honeypot, hidden by the stylesheet
    assert client.get(reverse("requests_public:new", args=["no-such-community"])).status_code == 404


def test_a_resident_submits_and_gets_a_tracking_code(jiegu_officer):
    client = Client()
    response = post(client, form_data(resident_name="卓玛", resident_phone="13912345678", contact_consent="on"))
    assert response.status_code == 302 and response.url == reverse("requests_public:submitted")
    item = ResidentRequest.objects.get()
    assert (item.community.code, item.officer, item.status) == ("minzhulu", jiegu_officer, "submitted")
    assert item.respond_by - item.submitted_at == timedelta(hours=24)
    assert item.resolve_by - item.submitted_at == timedelta(days=7)
    page = client.get(response.url).content.decode()
    assert item.tracking_code in page
    assert ResidentRequest.objects.filter(pk=item.pk).values_list("year", "serial").get() == (item.year, 1)
    code = item.tracking_code
    assert code.startswith(f"YS-{item.year}-000001-") and len(code.rsplit("-", 1)[1]) == 4
    entry = AuditEntry.objects.get(action="resident_requests.request.submitted")
    assert entry.actor is None and entry.ip_address is None  # the resident's address is not kept
    assert entry.changes["resident_phone"] == [None, "139****5678"]
    assert "13912345678" not in str(entry.changes) and "卓玛" not in str(entry.changes)


def test_numbers_typed_into_the_description_are_masked(jiegu_officer):
    post(Client(), form_data(description="联系我 139 1234 5678，身份证632701199001011233"))
    item = ResidentRequest.objects.get()
    assert "139****5678" in item.description and "632701********1233" in item.description
    assert "12345678" not in item.description


def test_a_vacant_seat_sends_the_request_to_the_street(reference):
    post(Client(), form_data())
    item = ResidentRequest.objects.get()
    assert (item.officer, item.status, item.holder) == (None, "at_street", "street_staff")
    assert item.steps.get().kind == RequestStep.Kind.TO_STREET


def test_the_status_page_shows_the_stages_and_replies_never_personal_data(resident_request, officer, client_for):
    services.request_accept(resident_request=resident_request, by=officer)
    services.request_note(resident_request=resident_request, by=officer, note="内部：已联系物业经理王某 13800001111")
    services.request_resolve(resident_request=resident_request, by=officer, reply="路灯已于今日修复。")
    client = Client()
    response = client.post(TRACK, {"code": resident_request.tracking_code.lower().replace("-", " - ")})
    assert response.status_code == 302  # typed in lower case with spaces: still found
    page = client.get(TRACK).content.decode()
    assert "已办结" in page and "路灯已于今日修复。" in page and "受理" in page and "跟进办理" in page
    for private in ("测试居民", "13912345678", "139****5678", "内部", "王某", "13800001111", "/photo/"):
        assert private not in page
    assert "附照片1张" in page  # that there is a photo, not the photo


def test_a_wrong_code_finds_nothing(resident_request):
    client = Client()
    wrong = resident_request.tracking_code[:-4] + ("AAAA" if not resident_request.secret == "AAAA" else "BBBB")
    for code in (wrong, "YS-2026-999999-K7QF", "<script>", "x" * 40):
        response = client.post(TRACK, {"code": code})
        assert response.status_code == 200 and "查询码不正确" in response.content.decode()
    assert client.post(TRACK, {"code": "x" * 41}).status_code == 200  # too long: a form error
    assert client.session.get("resident_requests.tracked") is None


def test_guessing_codes_is_bounded_per_address(resident_request):
    client = Client()
    for _ in range(services.LIMITS["lookup_address"][0][0]):
        client.post(TRACK, {"code": "YS-2026-000099-AAAA-AAAA"}, REMOTE_ADDR="198.51.100.9")  # no such request: no lock
    response = client.post(TRACK, {"code": resident_request.tracking_code}, REMOTE_ADDR="198.51.100.9")
    assert "过于频繁" in response.content.decode()  # even the right code waits now
    assert client.session.get("resident_requests.tracked") is None
    other = Client().post(TRACK, {"code": resident_request.tracking_code}, REMOTE_ADDR="198.51.100.10")
    assert other.status_code == 302  # another address is not held back
    assert not ThrottleHit.objects.filter(key__contains="198.51").exists()  # addresses are stored as hashes


def _track(client, item):
    assert client.post(TRACK, {"code": item.tracking_code}).status_code == 302


def test_the_resident_rates_with_the_code(resident_request, officer):
    services.request_accept(resident_request=resident_request, by=officer)
    services.request_resolve(resident_request=resident_request, by=officer, reply="已修复。")
    client = Client()
    assert client.post(reverse("requests_public:rate"), {"rating": "satisfied"}).status_code == 302
    assert ResidentRequest.objects.get().status == "resolved"  # no code looked up: nothing rated
    _track(client, resident_request)
    assert "请评价办理结果" in client.get(TRACK).content.decode()
    response = client.post(reverse("requests_public:rate"), {"rating": "satisfied", "comment": "谢谢！"})
    assert response.status_code == 302
    item = ResidentRequest.objects.get()
    assert (item.status, item.rating, item.rating_comment) == ("closed", "satisfied", "谢谢！")
    assert AuditEntry.objects.filter(action="resident_requests.request.rated", object_id=str(item.pk)).exists()
    assert "请评价办理结果" not in client.get(TRACK).content.decode()  # rated once
    assert client.post(reverse("requests_public:rate"), {"rating": "unsatisfied"}).status_code == 302
    assert ResidentRequest.objects.get().rating == "satisfied"


def test_unsatisfied_reopens_once_at_the_street(resident_request, officer, jiegu_clerk):
    services.request_accept(resident_request=resident_request, by=officer)
    services.request_resolve(resident_request=resident_request, by=officer, reply="已修复。")
    client = Client()
    _track(client, resident_request)
    client.post(reverse("requests_public:rate"), {"rating": "unsatisfied", "comment": "还是不亮"})
    item = ResidentRequest.objects.get()
    assert (item.status, item.reopened, item.holder, item.resolved_at) == ("supervised", True, "street_staff", None)
    assert AuditEntry.objects.filter(action="resident_requests.request.reopened").count() == 1
    services.request_resolve(resident_request=item, by=jiegu_clerk, reply="街道督办，已更换灯具。")
    client.post(reverse("requests_public:rate"), {"rating": "unsatisfied"})
    item = ResidentRequest.objects.get()
    assert (item.status, item.rating) == ("closed", "unsatisfied")  # the second 不满意 closes it
    kinds = list(item.steps.values_list("kind", flat=True))
    assert kinds.count("reopened") == 1 and kinds.count("rated") == 2 and kinds.count("resolved") == 2


# ---------------------------------------------------------------- abuse bounds


def test_the_honeypot_and_the_fill_time_refuse_robots(jiegu_officer, settings):
    client = Client()
    assert "提交未成功" in post(client, form_data(website="http://spam.example")).content.decode()
    assert "提交太快" in post(client, form_data(started=started(seconds_ago=1))).content.decode()
    assert "页面已过期" in post(client, form_data(started="forged")).content.decode()
    assert "页面已过期" in post(client, form_data(started=started(seconds_ago=3 * 3600))).content.decode()
    assert not ResidentRequest.objects.exists()
    settings.RESIDENT_REQUEST_MIN_FILL_SECONDS = 0
    assert post(client, form_data(started=started(seconds_ago=0))).status_code == 302


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("description", "很" * 1001, "1000"),
        ("description", "", "请写下您反映的问题，或录一段语音"),  # text or voice: one of them
        ("location", "楼" * 101, "100"),
        ("resident_name", "名" * 31, "30"),
        ("resident_phone", "12345", "手机号码应为以1开头的11位数字"),
        ("resident_phone", "139123456789", "11"),
        ("category", "arson", "选择一个有效的选项"),
    ],
)
def test_sizes_and_formats_are_bounded(jiegu_officer, field, value, message):
    response = post(Client(), form_data(**{field: value}))
    assert response.status_code == 200 and message in response.content.decode()
    assert not ResidentRequest.objects.exists()


def test_a_phone_needs_the_residents_consent(jiegu_officer):
    response = post(Client(), form_data(resident_phone="13912345678"))
    assert "须先阅读并同意个人信息告知" in response.content.decode()  # the constraint's own message
    assert not ResidentRequest.objects.exists()


def test_script_in_the_text_is_shown_as_text(jiegu_officer, client_for):
    post(Client(), form_data(description="<script>alert(1)</script>", location='"><img src=x onerror=alert(1)>'))
    item = ResidentRequest.objects.get()
    for page in (
        client_for("officer").get(reverse("requests:detail", args=[item.pk])).content.decode(),
        client_for("officer").get(reverse("requests:list")).content.decode(),
    ):
        assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page
        assert "<img src=x" not in page


def _upload(content: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def test_the_photos_gps_position_and_other_metadata_are_removed(jiegu_officer, private_media):
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (33.0, 0.0, 24.0), "E", (97.0, 0.0, 18.0)  # 玉树 33°0'24"N 97°0'18"E
    original = jpeg_bytes(size=(3000, 2000), exif=exif.tobytes())
    assert b"PhoneMaker" in original and Image.open(BytesIO(original)).getexif().get_ifd(0x8825)
    response = post(Client(), form_data(), photo=_upload(original, name="13912345678.jpg"))
    assert response.status_code == 302
    item = ResidentRequest.objects.get()
    with item.photo.open("rb") as handle:
        stored = handle.read()
    image = Image.open(BytesIO(stored))
    assert image.format == "JPEG" and max(image.size) == 1600  # re-encoded, scaled down
    assert not image.getexif() and "exif" not in image.info
    assert b"PhoneMaker" not in stored and b"Exif" not in stored
    assert item.photo.name.startswith(f"private/requests/{item.year}/") and "13912345678" not in item.photo.name


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"%PDF-1.4 not a photo", "photo.jpg", "无法识别的图片"),
        (b"GIF89a" + b"\x00" * 100, "photo.gif", "无法识别的图片"),
        (png_header(30000, 30000), "bomb.png", "无法识别的图片"),  # Pillow itself refuses it
        (png_header(8000, 7000), "big.png", "不超过5000万像素"),
        (jpeg_bytes()[:200], "cut.jpg", "无法识别的图片"),  # a truncated file
    ],
)
def test_hostile_photos_are_refused(jiegu_officer, private_media, content, name, message):
    response = post(Client(), form_data(), photo=_upload(content, name=name))
    assert response.status_code == 200 and message in response.content.decode()
    assert not ResidentRequest.objects.exists()


def test_a_photo_over_5_mb_is_refused(jiegu_officer, private_media):
    response = post(Client(), form_data(), photo=_upload(jpeg_bytes() + b"\x00" * (5 * 1024 * 1024)))
    assert "照片不能超过5MB" in response.content.decode()
    assert not ResidentRequest.objects.exists()


def test_submissions_are_limited_per_address(jiegu_officer):
    client = Client()
    limit = services.LIMITS["submit_address"][0][0]
    for _ in range(limit):
        assert post(client, form_data(), address="192.0.2.1").status_code == 302
    refused = post(client, form_data(), address="192.0.2.1")
    assert refused.status_code == 429 and "过于频繁" in refused.content.decode()
    assert ResidentRequest.objects.count() == limit
    assert post(client, form_data(), address="192.0.2.2").status_code == 302  # another address
    with time_machine.travel(timezone.now() + timedelta(hours=1, minutes=1), tick=False):
        assert post(client, form_data(started=started()), address="192.0.2.1").status_code == 302  # an hour later


def test_submissions_are_limited_per_phone_number(jiegu_officer):
    client = Client()
    phone = {"resident_phone": "13912345678", "contact_consent": "on"}
    limit = services.LIMITS["submit_phone"][0][0]
    for n in range(limit):
        assert post(client, form_data(**phone), address=f"192.0.2.{n + 10}").status_code == 302
    refused = post(client, form_data(**phone), address="192.0.2.99")
    assert "该手机号码今天提交的诉求已达上限" in refused.content.decode()
    assert ResidentRequest.objects.count() == limit
    assert post(client, form_data(), address="192.0.2.99").status_code == 302  # without the phone: accepted
    assert not ThrottleHit.objects.filter(key="13912345678").exists()


def test_the_behind_proxy_address_is_the_one_the_proxy_appended(jiegu_officer, settings):
    settings.BEHIND_PROXY = True
    client = Client()
    limit = services.LIMITS["submit_address"][0][0]
    for n in range(limit):  # a forged first X-Forwarded-For entry changes nothing
        client.post(NEW, form_data(), HTTP_X_FORWARDED_FOR=f"10.0.0.{n}, 192.0.2.50", REMOTE_ADDR="127.0.0.1")
    refused = client.post(NEW, form_data(), HTTP_X_FORWARDED_FOR="10.9.9.9, 192.0.2.50", REMOTE_ADDR="127.0.0.1")
    assert "过于频繁" in refused.content.decode()


def test_two_residents_at_once_get_two_numbers(jiegu_officer):
    first = post(Client(), form_data(), address="192.0.2.1")
    second = post(Client(), form_data(), address="192.0.2.2")
    assert first.status_code == second.status_code == 302
    assert sorted(ResidentRequest.objects.values_list("serial", flat=True)) == [1, 2]
    assert Community.objects.get(code="minzhulu").resident_requests.count() == 2


def test_an_oversized_body_is_refused_before_it_is_read(jiegu_officer):
    client = Client()
    response = client.post(NEW, form_data(), CONTENT_LENGTH=str(50 * 1024 * 1024))
    assert response.status_code == 413 and "过大" in response.content.decode()
    assert not ResidentRequest.objects.exists()


def test_a_refused_request_leaves_no_photo_behind(jiegu_officer, private_media):
    data = {"category": "other", "description": "x", "resident_phone": "13912345678"}  # no consent
    with pytest.raises(ValidationError) as caught:
        services.request_submit(
            community=Community.objects.get(code="minzhulu"), data=data, photo=ContentFile(jpeg_bytes(), "p.jpg")
        )
    assert "contact_consent" in caught.value.message_dict
    assert not [path for path in private_media.rglob("*") if path.is_file()]


def _status(client, resident_request):
    client.post(TRACK, {"code": resident_request.tracking_code})
    return client.get(TRACK)


def test_the_status_page_shows_both_deadlines_and_what_happens_next(resident_request, officer):
    client = Client()
    status = _status(client, resident_request).context["status"]
    assert [d["state"] for d in status["deadlines"]] == ["waiting", "waiting"]
    assert [d["by"] for d in status["deadlines"]] == [resident_request.respond_by, resident_request.resolve_by]
    assert "受理您的诉求" in str(status["next_step"])
    services.request_accept(resident_request=resident_request, by=officer)
    services.request_resolve(resident_request=resident_request, by=officer, reply="路灯已于今日修复。")
    response = _status(client, resident_request)
    page = response.content.decode()
    assert [d["state"] for d in response.context["status"]["deadlines"]] == ["met", "met"]
    assert "响应期限" in page and "办结期限" in page and "按时完成" in page
    assert "民警副书记的答复" in page and "路灯已于今日修复。" in page
    assert "请在下方评价办理结果" in page


def test_a_missed_deadline_is_shown_as_missed(resident_request, officer):
    late = resident_request.resolve_by + timedelta(hours=1)
    with time_machine.travel(late, tick=False):
        status = _status(Client(), resident_request).context["status"]
        assert [d["state"] for d in status["deadlines"]] == ["overdue", "overdue"]
        services.request_accept(resident_request=resident_request, by=officer)
        services.request_resolve(resident_request=resident_request, by=officer, reply="已处理。")
        response = _status(Client(), resident_request)
    assert [d["state"] for d in response.context["status"]["deadlines"]] == ["late", "late"]
    assert "已完成，但超过期限" in response.content.decode()


def test_the_same_form_sent_twice_makes_one_request(jiegu_officer):
    client = Client()
    key = client.get(NEW).context["form"].initial["idem_key"]
    data = form_data(idem_key=key)
    first = post(client, data)
    code = client.session["resident_requests.submitted"]
    again = post(Client(), data)  # the draft sent again once the network is back, the first answer lost
    assert first.status_code == again.status_code == 302
    assert ResidentRequest.objects.count() == 1
    assert ResidentRequest.objects.get().tracking_code == code
    assert key in client.get(reverse("requests_public:submitted")).content.decode()  # the browser drops the draft
