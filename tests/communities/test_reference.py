"""Reference data: the 4 streets and 18 communities of DOMAIN.md §2, loaded idempotently, with the
unconfirmed names flagged and shown with the 名称待核实 badge until an administrator confirms them."""

from django.urls import reverse

from communities.models import Community, PoliceStation, Street
from communities.reference import load_reference_data


def test_four_streets_and_eighteen_communities(reference):
    city = Community.objects.filter(street__area__code="yushu")
    assert list(Street.objects.filter(area__code="yushu").values_list("name", flat=True)) == [
        "结古街道", "西杭街道", "扎西科街道", "新寨街道",
    ]  # fmt: skip
    assert city.count() == 18
    assert city.filter(kind=Community.Kind.URBAN).count() == 16
    assert city.filter(kind=Community.Kind.RELOCATION).count() == 2
    assert city.filter(name_confirmed=True).count() == 15
    jiegu = Community.objects.filter(street__name="结古街道", name_confirmed=True)
    assert set(jiegu.values_list("name", flat=True)) == {"新建路社区", "红卫路社区", "民主路社区", "扎西南路社区"}


def test_unconfirmed_names_say_so_and_are_never_presented_as_real(reference):
    for community in Community.objects.filter(name_confirmed=False):
        assert "名称待核实" in community.name
    for street in Street.objects.filter(name_confirmed=False):
        assert "名称待核实" in street.name
    assert PoliceStation.objects.filter(name_confirmed=False).count() == PoliceStation.objects.count() == 4 + 5


def test_the_prefecture_holds_the_city_and_five_counties_each_with_placeholders(reference):
    prefecture = reference["prefecture"]
    assert prefecture.parent is None and prefecture.depth == 0 and prefecture.path == f"{prefecture.pk}."
    children = list(prefecture.children.order_by("sort_order").values_list("name", "kind"))
    assert children == [("玉树市", "city")] + [
        (n, "county") for n in ("称多县", "囊谦县", "杂多县", "治多县", "曲麻莱县")
    ]
    for county in prefecture.children.exclude(code="yushu"):
        assert county.path == f"{prefecture.path}{county.pk}." and county.ancestor_ids == [prefecture.pk]
        [town] = Street.objects.filter(area=county)
        assert town.kind == Street.Kind.TOWN and not town.name_confirmed and "名称待核实" in town.name
        [community] = Community.objects.filter(street=town)
        assert not community.name_confirmed and "名称待核实" in community.name
        assert county.stations.get().streets.get() == town
    # Everything under an area is one prefix match.
    assert Community.objects.filter(street__in=Street.objects.under(prefecture)).count() == 18 + 5
    assert Community.objects.filter(street__in=Street.objects.under(reference["chenduo"])).count() == 1


def test_loading_again_changes_nothing_and_keeps_administrators_edits(reference):
    community = Community.objects.get(name="移民搬迁社区一（名称待核实）")
    community.name = "日益格社区"
    community.name_confirmed = True
    community.save()
    assert load_reference_data() == {"areas": 0, "streets": 0, "communities": 0, "stations": 0, "groups": 0}
    assert Community.objects.count() == 18 + 5
    assert Community.objects.get(name="日益格社区").name_confirmed


def test_a_second_load_on_untouched_data_creates_nothing(reference):
    assert load_reference_data() == {"areas": 0, "streets": 0, "communities": 0, "stations": 0, "groups": 0}
    assert Community.objects.count() == 18 + 5


def test_page_shows_the_badge_until_confirmed(client_for, reference):
    client = client_for("city_admin")
    html = client.get(reverse("communities:list")).content.decode()
    assert html.count("badge-warn") == 3 + 4  # the city's three communities and four stations
    Community.objects.filter(name_confirmed=False).update(name_confirmed=True)
    html = client.get(reverse("communities:list")).content.decode()
    assert html.count("badge-warn") == 4


def test_street_staff_see_their_streets_communities_only(client_for, reference):
    response = client_for("jiegu_clerk").get(reverse("communities:list"))
    assert [s.name for s in response.context["streets"]] == ["结古街道"]
    assert response.context["community_total"] == 5  # four named + the unconfirmed 16th urban community
