"""Duplicates and the public list: before a new request the form shows up to five similar open requests of
the same community, to add "我也遇到了" to instead (counted once per session, seen by the staff); each
community's page lists its resolved requests of the last 90 days whose resident ticked "可以公开",
anonymised."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from officers.resident_requests import services
from officers.resident_requests.models import ResidentRequest
from officers.resident_requests.similar import pair_similarity, similar_open

from .helpers import form_data, submit

pytestmark = pytest.mark.django_db

NEW = reverse("requests_public:new", args=["minzhulu"])
LAMP = "小区路灯坏了一个多月，晚上出行不安全"


def test_pair_similarity():
    assert pair_similarity("路灯坏了", LAMP) == 1.0
    assert pair_similarity("邻居漏水", LAMP) == 0.0


def test_the_form_offers_similar_open_requests_of_the_same_community_first(jiegu_officer):
    same = submit(description=LAMP, public_consent=True)
    submit(description="邻居家漏水到我家，协商不成")  # not alike
    submit("hongweilu", description=LAMP)  # another community
    client = Client()
    response = client.post(NEW, form_data(description="3号楼路灯坏了，晚上很黑", confirm_new=""))
    assert response.status_code == 200 and not ResidentRequest.objects.filter(description__contains="很黑").exists()
    assert [item["pk"] for item in response.context["similar"]] == [same.pk]
    page = response.content.decode()
    assert "本社区已有类似的诉求正在办理" in page and LAMP in page and "我也遇到了" in page
    # Not the same problem after all: filed, once confirmed.
    confirmed = client.post(NEW, form_data(description="3号楼路灯坏了，晚上很黑"))
    assert confirmed.status_code == 302
    assert ResidentRequest.objects.filter(description__contains="很黑").count() == 1


def test_at_most_five_and_only_open_ones(jiegu_officer, officer):
    items = [submit(description=f"{LAMP}（第{n}次）") for n in range(7)]
    services.request_accept(resident_request=items[0], by=officer)
    services.request_resolve(resident_request=items[0], by=officer, reply="已修复。")
    from communities.models import Community

    found = similar_open(community=Community.objects.get(code="minzhulu"), text=LAMP)
    assert len(found) == 5 and items[0] not in found


def test_the_text_of_a_request_not_consented_is_not_shown(jiegu_officer):
    submit(description=LAMP)  # no "可以公开"
    page = Client().post(NEW, form_data(description="路灯坏了，晚上不安全", confirm_new="")).content.decode()
    assert "反映人未同意公开内容" in page and "一个多月" not in page


def test_a_resident_supports_a_similar_request_once(jiegu_officer, officer, client_for):
    item = submit(description=LAMP)
    client = Client()
    support = reverse("requests_public:support")
    response = client.post(support, {"request": item.pk})
    assert response.status_code == 302 and response.url == reverse("directory:community", args=["minzhulu"])
    client.post(support, {"request": item.pk})  # the same browser again: counted once
    Client().post(support, {"request": item.pk})  # a neighbour
    item.refresh_from_db()
    assert item.supporter_count == 2
    assert ResidentRequest.objects.count() == 1
    page = client_for("officer").get(reverse("requests:detail", args=[item.pk])).content.decode()
    assert '<dd id="supporters">2位居民' in page


def test_a_resolved_request_cannot_be_supported(jiegu_officer, officer):
    item = submit(description=LAMP)
    services.request_accept(resident_request=item, by=officer)
    services.request_resolve(resident_request=item, by=officer, reply="已修复。")
    assert Client().post(reverse("requests_public:support"), {"request": item.pk}).status_code == 404


def test_the_community_page_lists_resolved_requests_consented_and_recent(jiegu_officer, officer):
    shown = submit(description=LAMP, public_consent=True, resident_name="卓玛", resident_phone="13912345678",
                   contact_consent=True, location="3号楼")  # fmt: skip
    hidden = submit(description="不同意公开的诉求内容", public_consent=False)
    with time_machine.travel(timezone.now() - timedelta(days=120)):
        old = submit(description="很久以前办结的诉求", public_consent=True)
        services.request_accept(resident_request=old, by=officer)
        services.request_resolve(resident_request=old, by=officer, reply="早已处理。")
    for item in (shown, hidden):
        services.request_accept(resident_request=item, by=officer)
        services.request_resolve(resident_request=item, by=officer, reply="路灯已于今日修复。")
    page = Client().get(reverse("directory:community", args=["minzhulu"])).content.decode()
    section = page[page.index('id="resolved-requests"') :]
    assert LAMP in section and "路灯已于今日修复。" in section and "设施" in section
    for private in ("卓玛", "13912345678", "139****5678", "3号楼", "不同意公开", "很久以前"):
        assert private not in section


def test_the_community_page_costs_the_same_whatever_the_number_of_requests(
    jiegu_officer, officer, client, django_assert_max_num_queries
):
    for n in range(3):
        item = submit(description=f"{LAMP}{n}", public_consent=True)
        services.request_accept(resident_request=item, by=officer)
        services.request_resolve(resident_request=item, by=officer, reply="已修复。")
    # The community with its seat (2), the resolved requests (1), the session-free page (no more).
    with django_assert_max_num_queries(4):
        client.get(reverse("directory:community", args=["minzhulu"]))
