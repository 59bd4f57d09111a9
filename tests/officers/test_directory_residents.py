"""The public directory is for residents on phones: a tap-to-call work phone, a search by community or
officer in characters or pinyin, a header naming the residents' service, the QR code at PUBLIC_BASE_URL,
and the login page's link to it."""

import pytest
from django.urls import reverse
from django.utils import timezone

from communities.models import Community
from officers.directory_views import tel_href
from tests.factories import AppointmentFactory, OfficerFactory


@pytest.fixture
def deputy(reference):
    officer = OfficerFactory(
        name="扎西多杰",
        station=reference["jiegu_station"],
        work_phone="0976-882 2110",
        directory_consent_at=timezone.now(),  # PIPL: shown once his consent is recorded
    )
    AppointmentFactory(officer=officer, community=Community.objects.get(code="minzhulu"))
    return officer


@pytest.mark.parametrize(
    ("typed", "href"),
    [
        ("0976-8822110", "tel:09768822110"),
        ("（0976）882 2110", "tel:09768822110"),
        ("+86 976 8822110", "tel:+869768822110"),
        ("—", ""),
    ],
)
def test_tel_links(typed, href):
    assert tel_href(typed) == href


def test_the_work_phone_is_a_tap_to_call_link(deputy, client):
    for url in (reverse("directory:index"), reverse("directory:community", args=["minzhulu"])):
        html = client.get(url).content.decode()
        assert '<a class="tel" href="tel:09768822110">0976-882 2110</a>' in html


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("mzl", ["民主路社区"]),
        ("minzhu", ["民主路社区"]),
        ("民主", ["民主路社区"]),
        ("zxdj", ["民主路社区"]),
        ("扎西", ["民主路社区", "扎西南路社区", "扎西大通社区", "扎西科社区"]),
    ],
)
def test_residents_find_a_community_by_name_or_pinyin(typed, found, deputy, client):
    response = client.get(reverse("directory:index"), {"q": typed})
    cards = [card["community"] for section in response.context["sections"] for card in section["cards"]]
    assert cards == found
    assert response.context["found"] == len(found)


def test_a_search_that_finds_nothing_says_so(reference, client):
    html = client.get(reverse("directory:index"), {"q": "nowhere"}).content.decode()
    assert "没有找到符合的社区" in html


def test_the_header_names_the_residents_service(reference, client):
    html = client.get(reverse("directory:index")).content.decode()
    header = html[html.index("<header") : html.index("</header>")]
    assert "找社区民警副书记" in header and "管理系统" not in header
    assert "管理系统" not in html[html.index("<title>") : html.index("</title>")]


def test_the_qr_code_points_at_the_public_base_url(deputy, client, settings):
    settings.PUBLIC_BASE_URL = "https://yushu.example.gov.cn"
    settings.ALLOWED_HOSTS = ["10.0.0.7"]  # the page is served on an internal address
    response = client.get(reverse("directory:card", args=["minzhulu"]), HTTP_HOST="10.0.0.7:8000")
    assert response.context["url"] == "https://yushu.example.gov.cn/directory/minzhulu/"
    assert "10.0.0.7" not in response.content.decode()


def test_the_login_page_links_to_the_directory(reference, client):
    html = client.get(reverse("login")).content.decode()
    assert f'href="{reverse("directory:index")}"' in html and "我是居民" in html
