"""The dashboard and the briefing at every node of the organisation tree: the prefecture compares 玉树市 with
the five counties, a county its towns, one page of children at a time; a county's administrator sees his
county alone; the briefing's sentence is written for its level; the query count does not follow the number
of children."""

import pytest
from django.urls import reverse

from assessments.demo import ledger as demo_ledger
from assessments.demo import officers as demo_officers
from communities.models import Area, Community
from communities.services import area_create
from officers.ledger.models import WorkRecord

COUNTIES = ["称多县", "囊谦县", "杂多县", "治多县", "曲麻莱县"]


@pytest.fixture
def demo(reference, city_admin):
    demo_officers.load(by=city_admin)
    return demo_ledger.load(by=city_admin)


def board_of(client, **params):
    response = client.get(reverse("reports:dashboard"), {"year": 2023, **params})
    assert response.status_code == 200
    return response.context["board"]


def test_the_prefecture_compares_the_city_with_the_five_counties(demo, client_for):
    board = board_of(client_for("prefecture_admin"))
    assert board.title == "玉树藏族自治州" and board.children == "areas" and board.unit_label == "市（县）"
    assert [unit.name for unit in board.units] == ["玉树市", *COUNTIES]
    city, *counties = board.units
    # The city's row is the city's own dashboard; each county has its placeholder community and no records.
    city_board = board_of(client_for("city_admin"))
    assert city.communities == city_board.total.communities == 18
    assert city.outcomes.total == city_board.total.outcomes.total > 0
    assert city.calls.this_year == city_board.total.calls.this_year
    assert city.outcomes.total == WorkRecord.objects.filter(occurred_on__year=2023).count()
    assert all(unit.communities == 1 and unit.outcomes.total == 0 for unit in counties)
    assert board.total.communities == Community.objects.count() == 23
    # Each row leads down a level; the way back up is on the county's page.
    page = client_for("prefecture_admin").get(reverse("reports:dashboard"), {"year": 2023}).content.decode()
    chenduo = Area.objects.get(code="chenduo")
    assert f"area={chenduo.pk}" in page
    county = board_of(client_for("prefecture_admin"), area=chenduo.pk)
    assert county.title == "称多县" and county.children == "streets" and county.unit_label == "街道（乡镇）"
    assert [unit.name for unit in county.units] == ["称多县乡镇一（名称待核实）"]
    assert [node.name for node in county.ancestors] == ["玉树藏族自治州"]
    # Another year of the same county: the level switch keeps the node.
    county_page = client_for("prefecture_admin").get(reverse("reports:dashboard"), {"area": chenduo.pk})
    assert f'name="area" value="{chenduo.pk}"' in county_page.content.decode()


def test_a_county_administrator_sees_his_county_alone(demo, client_for, reference):
    client = client_for("chenduo_admin")
    board = board_of(client)
    assert board.title == "称多县" and board.total.communities == 1 and board.total.outcomes.total == 0
    assert board.ancestors == []  # nothing above his county is his to see
    for params in (
        {"area": reference["city"].pk},
        {"area": reference["prefecture"].pk},
        {"street": reference["jiegu"].pk},
    ):
        response = client.get(reverse("reports:dashboard"), {"year": 2023, **params})
        assert response.status_code == 404, params
    assert client.get(reverse("reports:briefing"), {"area": reference["nangqian"].pk}).status_code == 404
    # Street staff have no tree to walk: an area asked for is not theirs.
    assert (
        client_for("jiegu_clerk").get(reverse("reports:dashboard"), {"area": reference["city"].pk}).status_code == 404
    )


def test_children_come_one_page_at_a_time_with_the_totals_of_them_all(
    reference, client_for, django_assert_max_num_queries
):
    prefecture = reference["prefecture"]
    for n in range(20):
        area_create(
            code=f"extra-{n}", name=f"演示县{n:02d}", kind=Area.Kind.COUNTY, parent=prefecture, sort_order=50 + n
        )
    client = client_for("prefecture_admin")
    first = board_of(client)
    assert (first.page, first.pages, len(first.units)) == (1, 2, 20)
    second = board_of(client, page=2)
    assert [unit.name for unit in second.units] == [f"演示县{n:02d}" for n in range(14, 20)]
    assert second.total.communities == first.total.communities == 23
    page = client.get(reverse("reports:dashboard"), {"year": 2023}).content.decode()
    assert "第 1 / 2 页" in page and "page=2" in page
    # 26 children cost what 6 do: the children are grouped in the database, not asked for one by one.
    with django_assert_max_num_queries(20):
        client.get(reverse("reports:dashboard"), {"year": 2023, "page": 2})


def test_the_briefing_is_written_for_its_level(demo, client_for, reference):
    client = client_for("prefecture_admin")
    text = client.get(reverse("reports:briefing"), {"year": 2023}).content.decode()
    assert "2023年，玉树藏族自治州所辖6个市（县）共有" in text
    assert "各市（县）中，在任副书记覆盖社区比例最高的是" in text
    county = client.get(reverse("reports:briefing"), {"year": 2023, "area": reference["chenduo"].pk}).content.decode()
    assert "2023年，称多县共有" in county and "各市（县）中" not in county
    street = client_for("city_admin").get(reverse("reports:briefing"), {"year": 2023, "street": reference["jiegu"].pk})
    assert "2023年，结古街道共有" in street.content.decode()


def test_a_nodes_figures_lead_to_the_nodes_own_records(demo, client_for, reference):
    """On the prefecture's page a county's figure links to the work ledger, the requests and the officers
    under that county (?area=), not to everything the user sees; an area outside the scope is refused."""
    client = client_for("prefecture_admin")
    city = reference["city"]
    briefing = client.get(reverse("reports:briefing"), {"year": 2023, "area": city.pk})
    links = {key: briefing.context[key] for key in ("difficulties", "officers", "requests_resolved")}
    assert all(f"area={city.pk}" in str(link) for link in links.values()), links
    in_city = WorkRecord.objects.filter(occurred_on__year=2023).count()
    assert in_city > 0
    listed = client.get(reverse("work:list"), {"area": city.pk, "date_from": "2023-01-01", "date_to": "2023-12-31"})
    assert listed.context["filter"].qs.count() == in_city
    assert "行政区域：<strong>玉树市</strong>" in listed.content.decode()
    county = client.get(reverse("work:list"), {"area": reference["chenduo"].pk})
    assert county.context["filter"].qs.count() == 0  # a placeholder town's community: no records
    officers = client.get(reverse("officers:list"), {"area": reference["chenduo"].pk})
    assert list(officers.context["page"]) == []
    requests = client.get(reverse("requests:list"), {"area": reference["chenduo"].pk})
    assert requests.status_code == 200 and "称多县" in requests.content.decode()
    # A county's administrator cannot widen his list to the city: the id is not among his choices.
    outside = client_for("chenduo_admin").get(reverse("work:list"), {"area": city.pk})
    assert outside.status_code == 200 and "该区域不存在或不在您的管辖范围内" in outside.content.decode()
    assert outside.context["filter"].qs.count() == 0  # his own county's records: none
