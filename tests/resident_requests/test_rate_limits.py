"""Rate limits that hold (等保): an IPv6 client is counted on its /64 (one subscriber's allocation), the
address comes only from the trusted proxy hop, an address that cannot be read falls in one shared bucket, and
a sender over the limit is refused before the upload is read or decoded."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from officers.resident_requests import services
from officers.resident_requests.models import ResidentRequest
from yushu_gov.security.clients import UNKNOWN_BUCKET, client_bucket, client_ip

from .helpers import form_data, png_header

pytestmark = pytest.mark.django_db

NEW = reverse("requests_public:new", args=["minzhulu"])
LIMIT = services.LIMITS["submit_address"][0][0]


def test_an_ipv6_client_is_counted_on_its_64(rf):
    first = rf.get("/", REMOTE_ADDR="2001:db8:1:2::1")
    second = rf.get("/", REMOTE_ADDR="2001:db8:1:2:ffff:ffff:ffff:fffe")
    neighbour = rf.get("/", REMOTE_ADDR="2001:db8:1:3::1")
    assert client_bucket(first) == client_bucket(second) == "2001:db8:1:2::/64"
    assert client_bucket(neighbour) != client_bucket(first)
    assert client_bucket(rf.get("/", REMOTE_ADDR="::ffff:192.0.2.7")) == "192.0.2.7"
    assert client_ip(second) == "2001:db8:1:2:ffff:ffff:ffff:fffe"  # the audit log keeps the whole address


def test_only_the_trusted_proxy_hop_is_believed(rf, settings):
    settings.BEHIND_PROXY, settings.TRUSTED_PROXIES = True, ["10.1.0.0/16"]
    via_proxy = rf.get("/", HTTP_X_FORWARDED_FOR="198.51.100.1, 192.0.2.50", REMOTE_ADDR="10.1.2.3")
    assert client_bucket(via_proxy) == "192.0.2.50"
    direct = rf.get("/", HTTP_X_FORWARDED_FOR="192.0.2.51", REMOTE_ADDR="203.0.113.9")  # bypassing the proxy
    assert client_bucket(direct) == "203.0.113.9"


@pytest.mark.parametrize("forwarded", ["not-an-address", "", "999.1.1.1", "1.2.3.4, ", "<script>"])
def test_an_unreadable_address_is_one_shared_bucket(rf, settings, forwarded):
    settings.BEHIND_PROXY = True
    request = rf.get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR="127.0.0.1")
    assert client_bucket(request) == UNKNOWN_BUCKET
    assert client_ip(request) is None


def test_a_flood_from_one_64_is_limited(jiegu_officer):
    """30 addresses of one /64, each submitting once: only the first LIMIT get through."""
    statuses = [
        Client().post(NEW, form_data(), REMOTE_ADDR=f"2001:db8:aa:bb:{n:x}::{n + 1:x}").status_code for n in range(30)
    ]
    assert statuses.count(302) == LIMIT
    assert statuses.count(429) == 30 - LIMIT
    assert ResidentRequest.objects.count() == LIMIT


def test_unparsable_forwarded_addresses_are_limited_together(jiegu_officer, settings):
    settings.BEHIND_PROXY = True
    statuses = [
        Client().post(NEW, form_data(), HTTP_X_FORWARDED_FOR=f"junk-{n}", REMOTE_ADDR="127.0.0.1").status_code
        for n in range(LIMIT + 3)
    ]
    assert statuses.count(302) == LIMIT
    assert ResidentRequest.objects.count() == LIMIT


def test_a_sender_over_the_limit_is_refused_before_the_photo_is_decoded(jiegu_officer, private_media):
    for _ in range(LIMIT):
        assert Client().post(NEW, form_data(), REMOTE_ADDR="192.0.2.77").status_code == 302
    bomb = SimpleUploadedFile("bomb.png", png_header(7000, 7000), content_type="image/png")
    refused = Client().post(NEW, {**form_data(), "photo": bomb}, REMOTE_ADDR="192.0.2.77")
    # Refused as throttled (429), not as a photo: the photo was never opened.
    assert refused.status_code == 429 and "过于频繁" in refused.content.decode()
    assert "像素" not in refused.content.decode()
