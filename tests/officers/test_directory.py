"""The public directory: no login; name, photo, station, work phone and serving since — and never a
mobile or ID number."""

import os
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from communities.models import Community
from officers.directory_views import SEARCH_LIMIT

from ..factories import AppointmentFactory, CommunityFactory, OfficerFactory

# A 1×1 PNG.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)


@pytest.fixture
def public_officer(reference, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    officer = OfficerFactory(
        name="尼玛扎西",
        station=reference["jiegu_station"],
        work_phone="0976-8822110",
        mobile="13997600001",
        photo=SimpleUploadedFile("p.png", PNG, content_type="image/png"),
        directory_consent_at=timezone.now(),  # PIPL: the directory shows him once his consent is recorded
    )
    AppointmentFactory(officer=officer, community=Community.objects.get(code="minzhulu"))
    return officer


def _pages(client):
    return [
        client.get(reverse("directory:index")),
        client.get(reverse("directory:community", args=["minzhulu"])),
        client.get(reverse("directory:card", args=["minzhulu"])),
    ]


def test_anyone_sees_the_public_facts(client, public_officer):
    index, page, card = _pages(client)
    for response in (index, page, card):
        assert response.status_code == 200
        html = response.content.decode()
        assert "尼玛扎西" in html and "0976-8822110" in html and "结古派出所" in html
    assert public_officer.photo.url in page.content.decode()
    assert "2022年7月起" in page.content.decode()


def test_no_personal_data_on_any_public_page(client, public_officer):
    for response in _pages(client):
        html = response.content.decode()
        assert "13997600001" not in html and "139****0001" not in html
        assert public_officer.id_number not in html and public_officer.masked_id_number not in html
        assert public_officer.police_number not in html
        # No mobile number anywhere: eleven digits standing alone (the photo's random hex name may hold a run
        # of digits, and did: a run inside a longer hex name is not a number).
        assert not re.search(r"(?<![0-9a-f])1[3-9]\d{9}(?![0-9a-f])", html)


def test_card_has_a_qr_code_linking_to_the_community_page(client, public_officer):
    response = client.get(reverse("directory:card", args=["minzhulu"]))
    html = response.content.decode()
    assert "<svg" in html and 'class="segno"' in html
    assert response.context["url"] == "http://testserver" + reverse("directory:community", args=["minzhulu"])


def test_a_community_without_a_deputy_and_an_unconfirmed_name(client, reference):
    response = client.get(reverse("directory:community", args=["relocation-1"]))
    html = response.content.decode()
    assert "正在选派中" in html and "名称待核实" in html


def test_unknown_community_is_404(client, reference):
    assert client.get(reverse("directory:community", args=["nowhere"])).status_code == 404


@pytest.mark.parametrize("extra", [0, 482])
def test_directory_query_count_is_constant_from_18_to_500_communities(
    extra, client, reference, django_assert_num_queries
):
    for community in CommunityFactory.create_batch(extra, street=reference["xihang"]):
        AppointmentFactory(community=community, officer__directory_consent_at=timezone.now())
    xihang = reference["xihang"]
    # the streets with their number of communities, the street's communities, their serving seats with
    # officer and station, their streets' stations (the duty phone where no officer is published): 4 at any
    # size, no session.
    with django_assert_num_queries(4):
        response = client.get(reverse("directory:index"), {"street": xihang.pk})
    assert sum(len(s["cards"]) for s in response.context["sections"]) == 3 + extra
    assert {s.name: s.community_count for s in response.context["streets"]}["西杭街道"] == 3 + extra
    # A search lists at most SEARCH_LIMIT communities and says there are more.
    with django_assert_num_queries(4):
        found = client.get(reverse("directory:index"), {"q": "社区"})
    assert found.context["found"] == min(23 + extra, SEARCH_LIMIT) and found.context["more"] == (extra > 0)
    assert len(found.content) < 300_000


def test_residents_pick_their_street_then_their_community(client, public_officer, reference):
    first = client.get(reverse("directory:index"))
    assert first.context["street"].name == "结古街道"  # the first street to start with
    html = first.content.decode()
    assert f'href="?street={reference["xihang"].pk}"' in html and "西杭社区" not in html
    xihang = client.get(reverse("directory:index"), {"street": reference["xihang"].pk}).content.decode()
    assert "西杭社区" in xihang and "民主路社区" not in xihang and 'aria-current="page">西杭街道' in xihang
    assert client.get(reverse("directory:index"), {"street": "99999"}).context["street"].name == "结古街道"


def test_a_replaced_photo_leaves_the_public_folder(public_officer, city_admin, django_capture_on_commit_callbacks):
    from officers import services

    old = public_officer.photo.path
    assert os.path.exists(old)
    with django_capture_on_commit_callbacks(execute=True):
        services.officer_update(
            officer=public_officer,
            by=city_admin,
            data={"photo": SimpleUploadedFile("n.png", PNG, content_type="image/png")},
        )
    public_officer.refresh_from_db()
    assert not os.path.exists(old)
    assert os.path.exists(public_officer.photo.path)
    current = public_officer.photo.path
    with django_capture_on_commit_callbacks(execute=True):
        services.officer_update(officer=public_officer, by=city_admin, data={"photo": False})  # cleared
    public_officer.refresh_from_db()
    assert not public_officer.photo
    assert not os.path.exists(current)
