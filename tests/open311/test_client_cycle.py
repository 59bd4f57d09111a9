"""The whole GeoReport v2 cycle by a client that is not ours, against the live server: the `georeport`
package (a published Open311 client) lists the services, reads a definition, reads requests back by id and in a
date range, in JSON and in XML. It has no discovery and no POST, so those two are plain `requests` calls, as a
partner's platform would make them. The officer resolves the request in between: the client sees it closed."""

from datetime import timedelta

import pytest
import requests
from django.utils import timezone
from georeport import GeoReport

from officers.open311 import services
from officers.resident_requests import services as request_services
from officers.resident_requests.models import ResidentRequest


@pytest.mark.django_db(transaction=True)
def test_a_published_open311_client_does_the_whole_cycle(live_server, officer, security_admin):
    _key, raw = services.partner_key_issue(name="州平台", by=security_admin)
    root = f"{live_server.url}/open311/v2"

    discovery = requests.get(f"{root}/discovery.json", timeout=10).json()
    endpoint = discovery["endpoints"][0]["url"].rstrip("/")
    assert endpoint == root
    client = GeoReport(endpoint, jurisdiction="yushu.qh.cn")
    xml_client = GeoReport(endpoint, jurisdiction="yushu.qh.cn", output_format="xml")

    services_list = client.get_service_list()
    assert {s["service_code"] for s in services_list} == {"security", "dispute", "hardship", "facility", "other"}
    assert [s["service_code"] for s in xml_client.get_service_list()] == [s["service_code"] for s in services_list]
    definition = client.get_service_definition("facility")
    # the officer's community, picked by its name from the definition's list
    community = next(v["key"] for v in definition["attributes"][0]["values"] if v["name"] == "民主路社区")
    assert [a["code"] for a in definition["attributes"]] == ["community", "landmark", "public_consent"]

    posted = requests.post(
        f"{root}/requests.json",
        data={"api_key": raw, "jurisdiction_id": "yushu.qh.cn", "service_code": "facility",
              "description": "路灯坏了", "attribute[community]": community, "attribute[landmark]": "广场东侧",
              "attribute[public_consent]": "true"},
        timeout=10,
    )  # fmt: skip
    assert posted.status_code == 201, posted.text
    number, token = posted.json()[0]["service_request_id"], posted.json()[0]["token"]
    assert requests.get(f"{root}/tokens/{token}.json", timeout=10).json()[0]["service_request_id"] == number

    one = client.get_service_request(number)
    assert (one["service_request_id"], one["status"], one["service_code"]) == (number, "open", "facility")
    assert xml_client.get_service_request(number)["status_notes"] == "待受理"
    now = timezone.localtime()
    in_range = client.get_service_requests(
        start_date=(now - timedelta(days=1)).isoformat(), end_date=(now + timedelta(minutes=5)).isoformat()
    )
    assert [r["service_request_id"] for r in in_range] == [number]
    assert client.get_service_requests(service_request_id=number, status="open")[0]["status"] == "open"

    resident_request = ResidentRequest.objects.get()
    request_services.request_accept(resident_request=resident_request, by=officer)
    request_services.request_resolve(resident_request=resident_request, by=officer, reply="已修好")

    closed = client.get_service_request(number)
    assert (closed["status"], closed["status_notes"]) == ("closed", "已办结")
    assert xml_client.get_service_request(number)["status"] == "closed"
    assert client.get_service_requests(status="closed")[0]["service_request_id"] == number
