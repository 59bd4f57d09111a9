"""Up to three photos, each re-encoded without metadata; photos kept on the server when the form comes back
with an error (and the page says so); the resident's position ("use my location") stored and shown to the
handling staff with map links; a landmark picked from the community's list; all erased by the retention rule."""

from datetime import timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from communities.models import Community
from officers.resident_requests import services, uploads
from officers.resident_requests.models import HeldUpload, Landmark, ResidentRequest
from tests.conftest import jpeg_bytes

from .helpers import form_data

pytestmark = pytest.mark.django_db

NEW = reverse("requests_public:new", args=["minzhulu"])


def _photo(n: int):
    exif = Image.Exif()
    exif[0x010F] = f"PhoneMaker{n}"
    return SimpleUploadedFile(f"13912345678-{n}.jpg", jpeg_bytes(size=(60, 40), exif=exif.tobytes()), "image/jpeg")


def test_three_photos_are_kept_each_without_metadata(jiegu_officer, private_media):
    response = Client().post(NEW, {**form_data(), "photo": [_photo(1), _photo(2), _photo(3)]})
    assert response.status_code == 302
    item = ResidentRequest.objects.get()
    assert [number for number, _photo_file in item.photos] == [1, 2, 3]
    for _number, stored in item.photos:
        with stored.open("rb") as handle:
            content = handle.read()
        assert content.startswith(b"\xff\xd8") and b"PhoneMaker" not in content and b"Exif" not in content


def test_a_fourth_photo_is_refused(jiegu_officer, private_media):
    response = Client().post(NEW, {**form_data(), "photo": [_photo(n) for n in range(4)]})
    assert response.status_code == 200 and "最多上传3张照片" in response.content.decode()
    assert not ResidentRequest.objects.exists()


def test_photos_sent_with_a_form_that_comes_back_are_kept_and_go_with_the_request(
    jiegu_officer, private_media, django_capture_on_commit_callbacks
):
    client = Client()
    first = client.post(NEW, {**form_data(description=""), "photo": [_photo(1), _photo(2)]})
    page = first.content.decode()
    assert first.status_code == 200 and "已收到您的照片2张" in page  # the page says so
    token = first.context["upload_token"]
    assert HeldUpload.objects.filter(token=token).count() == 2
    # Sent again with the description and one more photo, without choosing the first two again.
    with django_capture_on_commit_callbacks(execute=True):  # the held files are deleted once the request is in
        second = client.post(NEW, {**form_data(), "upload_token": token, "photo": [_photo(3)]})
    assert second.status_code == 302
    item = ResidentRequest.objects.get()
    assert len(item.photos) == 3
    assert not HeldUpload.objects.exists()  # taken by the request
    held_dir = private_media / "private" / "held"
    assert not held_dir.exists() or not any(held_dir.iterdir())


def test_held_photos_count_toward_the_three(jiegu_officer, private_media):
    client = Client()
    token = client.post(NEW, {**form_data(description=""), "photo": [_photo(1), _photo(2)]}).context["upload_token"]
    response = client.post(NEW, {**form_data(), "upload_token": token, "photo": [_photo(3), _photo(4)]})
    assert "最多上传3张照片" in response.content.decode()
    assert not ResidentRequest.objects.exists()


def test_a_forged_upload_token_holds_nothing(jiegu_officer, private_media):
    response = Client().post(NEW, {**form_data(), "upload_token": "../../etc/passwd"})
    assert response.status_code == 302
    assert ResidentRequest.objects.get().photos == []


def test_held_uploads_of_forms_never_sent_are_deleted(jiegu_officer, private_media):
    Client().post(NEW, {**form_data(description=""), "photo": [_photo(1)]})
    assert HeldUpload.objects.count() == 1
    assert uploads.expire_held(now=timezone.now() + timedelta(hours=uploads.UPLOAD_HOLD_HOURS, minutes=1)) == 1
    assert not HeldUpload.objects.exists()


def test_the_position_is_stored_and_shown_with_map_links_to_the_handling_staff(jiegu_officer, officer, client_for):
    response = Client().post(NEW, form_data(latitude="33.006667", longitude="97.005000"))
    assert response.status_code == 302
    item = ResidentRequest.objects.get()
    assert (item.latitude, item.longitude) == (Decimal("33.006667"), Decimal("97.005000"))
    page = client_for("officer").get(reverse("requests:detail", args=[item.pk])).content.decode()
    assert "33.006667, 97.005000" in page and 'href="geo:33.006667,97.005000"' in page
    assert "openstreetmap.org/?mlat=33.006667&amp;mlon=97.005000" in page
    reviewer = client_for("bureau").get(reverse("requests:detail", args=[item.pk])).content.decode()
    assert "33.006667" not in reviewer and "群众留有位置" in reviewer


@pytest.mark.parametrize(("latitude", "longitude"), [("33.0", ""), ("91", "97"), ("33", "181")])
def test_an_incomplete_or_impossible_position_is_refused(latitude, longitude, jiegu_officer):
    response = Client().post(NEW, form_data(latitude=latitude, longitude=longitude))
    assert response.status_code == 200
    assert not ResidentRequest.objects.exists()


def test_a_landmark_is_picked_from_the_communitys_list(jiegu_officer, officer, client_for):
    minzhu = Community.objects.get(code="minzhulu")
    garden = Landmark.objects.create(community=minzhu, name="格萨尔花园小区")
    other = Landmark.objects.create(community=Community.objects.get(code="hongweilu"), name="红卫路小区")
    page = Client().get(NEW).content.decode()
    assert "格萨尔花园小区" in page and "红卫路小区" not in page
    refused = Client().post(NEW, form_data(landmark=other.pk))
    assert refused.status_code == 200 and not ResidentRequest.objects.exists()
    assert Client().post(NEW, form_data(landmark=garden.pk)).status_code == 302
    item = ResidentRequest.objects.get()
    assert item.landmark == garden
    assert "格萨尔花园小区" in client_for("officer").get(reverse("requests:detail", args=[item.pk])).content.decode()


def test_without_a_list_the_form_offers_no_landmark(jiegu_officer):
    assert 'name="landmark"' not in Client().get(NEW).content.decode()


def test_the_retention_rule_erases_every_photo_and_the_position(
    jiegu_officer, officer, private_media, django_capture_on_commit_callbacks
):
    Client().post(NEW, {**form_data(latitude="33.0", longitude="97.0"), "photo": [_photo(1), _photo(2)]})
    item = ResidentRequest.objects.get()
    services.request_accept(resident_request=item, by=officer)
    services.request_resolve(resident_request=item, by=officer, reply="已处理。")
    files = [path for path in private_media.rglob("*.jpg")]
    assert len(files) == 2
    with django_capture_on_commit_callbacks(execute=True):  # the files are deleted once the rows are saved
        later = timezone.now() + timedelta(days=400)
        assert services.personal_data_erase(now=later) == 1
    item.refresh_from_db()
    assert item.photos == [] and item.latitude is None and item.longitude is None
    assert not [path for path in private_media.rglob("*.jpg")]


def test_the_daily_command_also_expires_held_uploads(jiegu_officer, private_media, capsys):
    call_command("erase_request_personal_data")
    assert "held uploads" in capsys.readouterr().out


def test_the_staff_photo_link_serves_each_photo(jiegu_officer, officer, client_for, private_media):
    Client().post(NEW, {**form_data(), "photo": [_photo(1), _photo(2)]})
    item = ResidentRequest.objects.get()
    client = client_for("officer")
    second = client.get(reverse("requests:photo", args=[item.pk]), {"n": 2})
    assert second.status_code == 200 and second["Content-Type"] == "image/jpeg"
    assert client.get(reverse("requests:photo", args=[item.pk]), {"n": 3}).status_code == 404
    assert Image.open(BytesIO(b"".join(second.streaming_content))).format == "JPEG"
