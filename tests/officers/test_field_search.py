"""Finding and sorting: officers and communities by name, pinyin or initials ("zxdj" finds 扎西多杰), sortable
columns on the lists, and the talk list's filters."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from communities.models import Community
from officers.models import Officer
from tests.factories import AppointmentFactory, MonthlyTalkFactory, OfficerFactory
from yushu_gov.input.pinyin import pinyin_key

SH = ZoneInfo("Asia/Shanghai")


def test_the_pinyin_key():
    assert pinyin_key("扎西多杰（演示）") == "zhaxiduojie zxdj"
    assert pinyin_key("新建路社区") == "xinjianlushequ xjlsq"


@pytest.fixture
def tashi(reference):
    officer = OfficerFactory(name="扎西多杰", station=reference["jiegu_station"])
    AppointmentFactory(officer=officer, community=Community.objects.get(code="hongweilu"))
    return officer


@pytest.mark.parametrize("typed", ["zxdj", "ZXDJ", "zhaxi", "zha xi duo jie", "扎西", "多杰"])
def test_officers_are_found_by_name_pinyin_or_initials(typed, tashi, jiegu_officer, client_for):
    page = client_for("city_admin").get(reverse("officers:list"), {"q": typed}).context["page"]
    assert [o.name for o in page] == ["扎西多杰"]


def test_a_renamed_officer_is_found_by_the_new_name(tashi, city_admin):
    from officers import services

    services.officer_update(officer=tashi, by=city_admin, data={"name": "尼玛"})
    assert Officer.objects.get(pk=tashi.pk).name_pinyin == "nima nm"


def test_appointments_are_found_by_officer_or_community_pinyin(tashi, jiegu_officer, client_for):
    client = client_for("city_admin")
    assert [
        a.officer.name for a in client.get(reverse("officers:appointment_list"), {"q": "zxdj"}).context["page"]
    ] == ["扎西多杰"]
    found = client.get(reverse("officers:appointment_list"), {"q": "mzl"}).context["page"]
    assert [a.community.name for a in found] == ["民主路社区"]


def test_communities_are_found_by_pinyin(client_for, reference):
    html = client_for("city_admin").get(reverse("communities:list"), {"q": "xjl"}).content.decode()
    assert "新建路社区" in html and "红卫路社区" not in html


def test_every_list_sorts_by_its_columns(tashi, jiegu_officer, client_for):
    client = client_for("city_admin")
    names = [o.name for o in client.get(reverse("officers:list"), {"sort": "name"}).context["page"]]
    assert names == ["测试民警甲", "扎西多杰"]  # by pinyin: ceshi… before zhaxi…
    names = [o.name for o in client.get(reverse("officers:list"), {"sort": "-name"}).context["page"]]
    assert names == ["扎西多杰", "测试民警甲"]
    html = client.get(reverse("officers:list"), {"sort": "-name"}).content.decode()
    assert 'aria-sort="descending"' in html and "?sort=name" in html
    # A column the list does not offer is ignored, never passed to the database.
    assert client.get(reverse("officers:list"), {"sort": "id_number"}).status_code == 200
    for url_name, column in [
        ("officers:appointment_list", "started_on"),
        ("talks:list", "officer"),
        ("work:list", "kind"),
        ("assessments:year", "score"),
    ]:
        kwargs = {"year": 2023} if url_name == "assessments:year" else {}
        response = client.get(reverse(url_name, kwargs=kwargs), {"sort": f"-{column}"})
        assert response.status_code == 200 and response.context["sorting"].key == column, url_name


def test_the_talk_list_has_its_filters_on_the_page(tashi, jiegu_officer, client_for):
    minzhu, hongweilu = Community.objects.get(code="minzhulu"), Community.objects.get(code="hongweilu")
    MonthlyTalkFactory(officer=jiegu_officer, community=minzhu, held_at=datetime(2026, 3, 2, 10, tzinfo=SH))
    MonthlyTalkFactory(
        officer=tashi,
        community=hongweilu,
        held_at=datetime(2026, 4, 2, 10, tzinfo=SH),
        topic_party_building=False,
        topic_public_order=True,
        talker_role="member",
    )
    client = client_for("jiegu_clerk")
    response = client.get(reverse("talks:list"))
    html = response.content.decode()
    for field in ('name="q"', 'name="officer"', 'name="year"', 'name="month"', 'name="street"', 'name="topic"'):
        assert field in html

    def names(**params):
        return [t.officer.name for t in client.get(reverse("talks:list"), params).context["page"]]

    assert names(q="zxdj") == ["扎西多杰"]
    assert names(topic="topic_public_order") == ["扎西多杰"]
    assert names(talker_role="member") == ["扎西多杰"]
    assert names(year=2026, month=3) == ["测试民警甲"]
    assert names(officer=jiegu_officer.pk) == ["测试民警甲"]
