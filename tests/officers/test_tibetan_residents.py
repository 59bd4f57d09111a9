"""Tibetan (བོད་ཡིག) for residents: the residents' pages in Tibetan from the catalogue (locale/bo), the language
chosen from the browser on a first visit and remembered once chosen, the staff pages still Chinese-first, a
search by Tibetan name tolerant of the final tsheg or shad and of Wylie, and the Tibetan font served locally."""

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import timezone

from communities.models import Community
from officers.models import Officer
from yushu_gov.input.tibetan import tibetan_key, tsheg_breaks, wylie_to_tibetan

HONGWEI = "ཧུང་ཝེ་ལམ་སྡོད་ཁུལ།"
TASHI = "བཀྲ་ཤིས་རྡོ་རྗེ།"


@pytest.fixture
def tibetan_names(jiegu_officer):
    Officer.objects.filter(pk=jiegu_officer.pk).update(name_bo=TASHI, directory_consent_at=timezone.now())
    Community.objects.filter(code="hongweilu").update(name_bo=HONGWEI)


@pytest.mark.parametrize(
    "typed",
    ["ཧུང་ཝེ་ལམ", "ཧུང་ཝེ་ལམ་", "ཧུང་ཝེ་ལམ།", " ཧུང་ཝེ་ལམ ། ", "ཧུང༌ཝེ༌ལམ", "ཧུང་ཝེ་ལམ་སྡོད་ཁུལ"],
)
def test_tibetan_key_drops_the_final_tsheg_and_shad(typed):
    assert tibetan_key(typed) in {"ཧུང་ཝེ་ལམ", "ཧུང་ཝེ་ལམ་སྡོད་ཁུལ"}
    assert not tibetan_key(typed).endswith(("་", "།", " "))


def test_wylie_becomes_tibetan_and_other_latin_does_not_match():
    assert wylie_to_tibetan("hung we lam") == "ཧུང་ཝེ་ལམ"
    assert wylie_to_tibetan("扎西") == ""


def test_tsheg_breaks_escapes_and_adds_break_opportunities():
    assert str(tsheg_breaks("ཧུང་ཝེ<b>")) == "ཧུང་<wbr>ཝེ&lt;b&gt;"


@pytest.mark.parametrize("typed", ["ཧུང་ཝེ་ལམ", "ཧུང་ཝེ་ལམ་", "ཧུང་ཝེ་ལམ་སྡོད་ཁུལ", "ཧུང་ཝེ་ལམ་སྡོད་ཁུལ་", "hung we lam"])
def test_residents_find_a_community_by_its_tibetan_name(typed, tibetan_names, client):
    response = client.get(reverse("directory:index"), {"q": typed})
    cards = [card["community"] for section in response.context["sections"] for card in section["cards"]]
    assert cards == ["红卫路社区"]


@pytest.mark.parametrize("typed", ["བཀྲ་ཤིས", "བཀྲ་ཤིས་", "bkra shis"])
def test_residents_find_an_officer_by_his_tibetan_name(typed, tibetan_names, jiegu_officer, client):
    response = client.get(reverse("directory:index"), {"q": typed})
    officers = [card["officer"]["name"] for section in response.context["sections"] for card in section["cards"]]
    assert officers == [jiegu_officer.name]


def test_a_first_visit_follows_the_browsers_language_on_the_residents_pages(reference, client):
    response = client.get(reverse("directory:index"), HTTP_ACCEPT_LANGUAGE="bo-CN,bo;q=0.9,zh-CN;q=0.8")
    html = response.content.decode()
    assert '<html lang="bo">' in html
    assert "ཡུས་ཧྲུའུ་གྲོང་ཁྱེར། · སྡོད་ཁུལ་ཉེན་རྟོག་པ་ཧྲུའུ་ཅི་གཞོན་པ་འཚོལ་བ།" in html  # the header, in Tibetan
    assert "Accept-Language" in response["Vary"]
    for header, code in (("zh-CN", "zh-hans"), ("en-GB", "en")):
        html = client.get(reverse("directory:index"), HTTP_ACCEPT_LANGUAGE=header).content.decode()
        assert f'<html lang="{code}">' in html


def test_a_chosen_language_is_remembered_over_the_browsers(reference, client):
    client.post(reverse("set_language"), {"language": "bo", "next": "/directory/"})
    html = client.get(reverse("directory:index"), HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert '<html lang="bo">' in html


def test_staff_pages_stay_chinese_whatever_the_browser_says(client_for):
    html = client_for("jiegu_clerk").get(reverse("home"), HTTP_ACCEPT_LANGUAGE="bo").content.decode()
    assert '<html lang="zh-hans">' in html


def test_the_switch_offers_three_languages_each_in_its_own_script(reference, client):
    html = client.get(reverse("directory:index")).content.decode()
    for code, label in (("zh-hans", "中文"), ("bo", "བོད་ཡིག"), ("en", "English")):
        assert f'name="language" value="{code}" lang="{code}"' in html and label in html
    assert [code for code, _label in settings.LANGUAGES] == ["zh-hans", "bo", "en"]


@pytest.mark.parametrize("url_name", ["requests_public:new", "requests_public:track", "directory:card"])
def test_every_residents_page_is_titled_for_residents_in_tibetan_too(url_name, reference, client):
    args = [] if url_name == "requests_public:track" else ["hongweilu"]
    client.post(reverse("set_language"), {"language": "bo", "next": "/"})
    html = client.get(reverse(url_name, args=args)).content.decode()
    assert "管理系统" not in html
    assert "ཡུས་ཧྲུའུ་གྲོང་ཁྱེར།" in html[html.index("<title>") : html.index("</title>")]


def test_the_request_form_and_its_errors_read_in_tibetan(reference, client):
    client.post(reverse("set_language"), {"language": "bo", "next": "/"})
    response = client.post(reverse("requests_public:new", args=["hongweilu"]), {"description": ""})
    html = response.content.decode()
    assert "རེ་འདུན་ཞུ་བ།" in html  # 反映诉求
    assert "འདི་ངེས་པར་དུ་འབྲི་དགོས།" in html  # Django's "This field is required."
    assert "This field is required." not in html


def test_the_tibetan_font_is_served_from_static():
    path = finders.find("fonts/NotoSerifTibetan-Regular.ttf")
    assert path is not None
    with open(path, "rb") as font:
        assert font.read(4) == b"\x00\x01\x00\x00"  # a TrueType font
    assert finders.find("fonts/OFL.txt") is not None
