"""Search-as-you-type fields (yushu_gov/lists/lookups.py): the scoped, bounded JSON suggestions, and the filters
that take either the id picked or, without JavaScript, the text typed."""

from django.urls import reverse

from communities.models import Community
from yushu_gov.lists.lookups import MAX_RESULTS

from ..factories import AppointmentFactory, CommunityFactory, OfficerFactory, WorkRecordFactory


def _labels(response):
    return [row["label"] for row in response.json()["results"]]


def test_officer_suggestions_are_scoped(client_for, jiegu_officer, xihang_officer):
    url = reverse("officers:lookup")
    assert _labels(client_for("city_admin").get(url, {"q": "测试民警"})) == ["测试民警甲", "测试民警乙"]
    assert _labels(client_for("jiegu_clerk").get(url, {"q": "测试民警"})) == ["测试民警甲"]
    assert _labels(client_for("xihang_clerk").get(url, {"q": "测试民警甲"})) == []
    by_number = client_for("city_admin").get(url, {"q": jiegu_officer.police_number}).json()["results"]
    assert [r["id"] for r in by_number] == [jiegu_officer.pk]
    assert jiegu_officer.police_number in by_number[0]["hint"]
    assert client_for("auditor").get(url, {"q": "测试"}).status_code == 403


def test_community_suggestions_are_scoped_bounded_and_searched_by_pinyin(client_for, reference):
    url = reverse("communities:lookup")
    assert _labels(client_for("jiegu_clerk").get(url, {"q": "mzl"})) == ["民主路社区"]
    assert _labels(client_for("xihang_clerk").get(url, {"q": "mzl"})) == []
    CommunityFactory.create_batch(MAX_RESULTS + 5, street=reference["xihang"])
    many = client_for("city_admin").get(url, {"q": "社区"}).json()
    assert len(many["results"]) == MAX_RESULTS and many["more"] is True
    assert client_for("city_admin").get(url, {"q": ""}).json() == {"results": [], "more": False}
    long = client_for("city_admin").get(url, {"q": "民" * 200})
    assert long.status_code == 200 and long.json()["results"] == []
    assert client_for("anonymous").get(url, {"q": "mzl"}).status_code == 302


def test_the_ledger_filter_takes_the_id_picked_or_the_name_typed(client_for, jiegu_officer, reference):
    minzhu = Community.objects.get(name="民主路社区")
    namesake = OfficerFactory(name="测试民警甲", station=jiegu_officer.station)  # the same name, another man
    AppointmentFactory(officer=namesake, community=Community.objects.get(name="新建路社区"))
    WorkRecordFactory.create_batch(2, officer=jiegu_officer, community=minzhu)
    WorkRecordFactory(officer=namesake, community=Community.objects.get(name="新建路社区"))
    client = client_for("city_admin")
    url = reverse("work:list")

    def count(params):
        return client.get(url, params).context["page"].paginator.count

    assert count({"officer": jiegu_officer.pk}) == 2  # picked from the suggestions: exactly him
    assert count({"officer_q": "测试民警甲"}) == 3  # typed without JavaScript: whoever has the name
    assert count({"officer_q": "csmj"}) == 3  # or its initials
    assert count({"officer": jiegu_officer.pk, "officer_q": "测试民警甲"}) == 2  # the pick and its own name
    assert count({"officer": jiegu_officer.pk, "officer_q": "nobody"}) == 0  # typed over the pick: the text wins
    assert count({"officer": "abc", "officer_q": ""}) == 3  # a malformed id is ignored
    assert count({"community_q": "mzl"}) == 2 and count({"community": minzhu.pk}) == 2
    page = client.get(url, {"officer": jiegu_officer.pk}).content.decode()
    assert 'name="officer_q"' in page and 'value="测试民警甲"' in page  # the pick's name shown in the box
    assert 'data-lookup="/officers/lookup/"' in page and "<option" not in page.split('name="officer"')[1][:200]


def test_a_pick_outside_the_scope_finds_nothing_and_shows_no_name(client_for, jiegu_officer, xihang_officer):
    response = client_for("jiegu_clerk").get(reverse("work:list"), {"officer": xihang_officer.pk})
    assert response.context["page"].paginator.count == 0
    assert xihang_officer.name not in response.content.decode()


def test_the_talk_grid_links_still_pick_the_officer(client_for, jiegu_talk):
    talk = jiegu_talk
    local = talk.held_at.astimezone()
    params = {"officer": talk.officer_id, "year": local.year}
    response = client_for("jiegu_clerk").get(reverse("talks:list"), params)
    assert [t.pk for t in response.context["page"]] == [talk.pk]
    assert f'value="{talk.officer.name}"' in response.content.decode()
