"""Open311 GeoReport v2 (officers/open311/): discovery, services, posting with a partner key (the web form's
flow), reading requests back with the standard's filters and paging, in JSON and XML, with no personal data;
the keys' refusals, rate and audit; the 12345 hotline's work orders and their stage feed."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from officers.open311 import services, views
from officers.open311.models import PartnerRequest
from officers.resident_requests import services as request_services
from officers.resident_requests.models import RequestStep, ResidentRequest
from yushu_gov.models import AuditEntry

from ..resident_requests.helpers import submit as submit_private


def submit(**data):
    """A request whose resident ticked "可以公开": the only kind the open interfaces list."""
    return submit_private(public_consent=True, **data)


PERSONAL = ("测试居民", "13912345678", "3号楼", "路灯坏了")


def url(name: str, fmt: str = "json", **kwargs) -> str:
    return reverse(f"open311:{name}", kwargs={"fmt": fmt, **kwargs})


@pytest.fixture
def partner(security_admin):
    key, raw = services.partner_key_issue(name="12345热线", by=security_admin, may_work_orders=True, rate_per_minute=50)
    return key, raw


def post_request(client, raw, **changes):
    data = {
        "api_key": raw,
        "jurisdiction_id": "yushu.qh.cn",
        "service_code": "facility",
        "description": "3号楼门口的路灯坏了",
        "attribute[community]": "minzhulu",
        "attribute[landmark]": "3号楼",
        "last_name": "测试居民",
        "phone": "13912345678",
        "attribute[contact_consent]": "true",
        "attribute[public_consent]": "true",
        **changes,
    }
    return client.post(url("requests"), {k: v for k, v in data.items() if v is not None})


def test_discovery_services_and_definitions_in_json_and_xml(client, reference):
    discovery = client.get(url("discovery")).json()
    assert discovery["endpoints"][0]["url"].endswith("/open311/v2/")
    assert discovery["endpoints"][0]["formats"] == ["application/json", "text/xml"]
    services_list = client.get(url("services"), {"jurisdiction_id": "yushu.qh.cn"}).json()
    assert [s["service_code"] for s in services_list] == ["security", "dispute", "hardship", "facility", "other"]
    assert services_list[3]["service_name"] == "设施" and services_list[3]["metadata"] is True
    xml = ET.fromstring(client.get(url("services", "xml")).content)
    assert xml.tag == "services" and [s.findtext("service_code") for s in xml.findall("service")][0] == "security"
    facility = client.get(url("service_definition", code="facility")).json()
    codes = [a["code"] for a in facility["attributes"]]
    assert codes == ["community", "landmark", "public_consent"] and facility["attributes"][0]["required"] is True
    assert {"key": "minzhulu", "name": "民主路社区"} in facility["attributes"][0]["values"]
    assert [a["code"] for a in client.get(url("service_definition", code="hardship")).json()["attributes"]] == [
        "community",
        "public_consent",
    ]
    definition = ET.fromstring(client.get(url("service_definition", "xml", code="facility")).content)
    assert definition.find("attributes/attribute/values/value/key") is not None
    missing = client.get(url("service_definition", code="nothing"))
    assert missing.status_code == 404 and missing.json()[0]["code"] == 404
    other_city = client.get(url("services"), {"jurisdiction_id": "chicago.il.us"})
    assert other_city.status_code == 404 and "yushu.qh.cn" in other_city.json()[0]["description"]


def test_a_posted_request_enters_the_web_forms_flow_and_goes_out_without_personal_data(
    client, partner, jiegu_officer, officer
):
    key, raw = partner
    response = post_request(client, raw)
    assert response.status_code == 201, response.content
    answer = response.json()[0]
    resident_request = ResidentRequest.objects.get()
    # the web form's flow: the community's serving officer, the category's deadlines, the first step
    assert resident_request.officer == jiegu_officer and resident_request.status == "submitted"
    assert resident_request.respond_by == resident_request.submitted_at + timedelta(hours=24)
    assert resident_request.location == "3号楼" and resident_request.resident_phone == "13912345678"
    assert list(resident_request.steps.values_list("kind", flat=True)) == ["submitted"]
    partner_request = PartnerRequest.objects.get()
    assert answer["service_request_id"] == resident_request.number
    assert answer["token"] == str(partner_request.token) and partner_request.partner == key
    assert resident_request.tracking_code in answer["service_notice"]  # for the caller's rating
    actions = list(AuditEntry.objects.order_by("pk").values_list("action", flat=True))
    actions = [action for action in actions if not action.startswith("notices.")]  # the SMS notice is its own
    assert actions[-3:] == ["open311.partnerkey.used", "resident_requests.request.submitted",
                            "open311.partnerrequest.created"]  # fmt: skip

    one = client.get(url("request", number=resident_request.number))
    item = one.json()[0]
    assert item["status"] == "open" and item["status_notes"] == "待受理" and item["service_code"] == "facility"
    assert item["agency_responsible"] == "民主路社区党支部副书记（党员民警）办公室"
    assert item["address"] == "玉树市结古街道民主路社区" and item["address_id"] == "minzhulu"
    assert item["requested_datetime"].endswith("+08:00")
    body = one.content.decode() + client.get(url("request", "xml", number=resident_request.number)).content.decode()
    assert not [text for text in PERSONAL if text in body]
    assert resident_request.secret not in body.replace(resident_request.number, "")
    assert "description" not in item and "media_url" not in item
    token = client.get(url("token", token=partner_request.token)).json()
    assert token == [{"service_request_id": resident_request.number, "token": str(partner_request.token)}]

    # the officer accepts and resolves it, as he would one from the web form: closed, the stage in status_notes
    request_services.request_accept(resident_request=resident_request, by=officer)
    item = client.get(url("request", number=resident_request.number)).json()[0]
    assert (item["status"], item["status_notes"]) == ("open", "办理中")
    request_services.request_resolve(resident_request=resident_request, by=officer, reply="已修好")
    item = client.get(url("request", number=resident_request.number)).json()[0]
    assert (item["status"], item["status_notes"], item["expected_datetime"]) == ("closed", "已办结", None)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"api_key": None}, "api_key"),
        ({"api_key": "ys311_wrong"}, "api_key"),
        ({"service_code": "nothing"}, "service_code"),
        ({"attribute[community]": None}, "attribute[community]"),
        ({"description": ""}, "description"),
        ({"description": "长" * 1001}, "1000"),
        ({"attribute[contact_consent]": None}, "同意"),  # a phone without the caller's consent
    ],
)
def test_a_post_refused_answers_the_standards_error_list(client, partner, jiegu_officer, changes, message):
    _key, raw = partner
    response = post_request(client, raw, **changes)
    assert response.status_code in (400, 403)
    errors = response.json()
    assert errors[0]["code"] == response.status_code and message in " ".join(e["description"] for e in errors)
    assert not ResidentRequest.objects.exists()


def test_a_revoked_key_a_key_without_the_scope_and_a_key_over_its_rate_are_refused(
    client, partner, security_admin, jiegu_officer
):
    key, raw = partner
    _post_only, post_only_raw = services.partner_key_issue(name="州平台", by=security_admin, rate_per_minute=1)
    work_order = {"api_key": post_only_raw, "external_id": "12345-1", "service_code": "other",
                  "description": "x", "address_id": "minzhulu"}  # fmt: skip
    refused = client.post(url("work_orders", "xml"), work_order)
    assert refused.status_code == 403 and ET.fromstring(refused.content).findtext("error/code") == "403"
    assert post_request(client, post_only_raw, phone="", last_name="").status_code == 201
    over = post_request(client, post_only_raw, phone="", last_name="")
    assert over.status_code == 403 and over["Retry-After"] == "60" and "频繁" in over.json()[0]["description"]
    services.partner_key_revoke(key=key, by=security_admin)
    assert post_request(client, raw).status_code == 403
    refusals = AuditEntry.objects.filter(action="open311.partnerkey.refused")
    assert sorted(entry.changes.get("status", [None, "revoked"])[1] for entry in refusals) == [
        "rate",
        "revoked",
        "scope",
    ]
    assert AuditEntry.objects.filter(action="open311.partnerkey.used").count() == 1


def test_the_list_filters_pages_and_keeps_its_query_count(client, reference, monkeypatch, django_assert_num_queries):
    requests = [submit(category="facility"), submit(category="dispute"), submit(category="facility")]
    numbers = [r.number for r in requests]
    both = client.get(url("requests"), {"service_request_id": f"{numbers[0]},{numbers[2]},YS-bad"}).json()
    assert sorted(r["service_request_id"] for r in both) == sorted([numbers[0], numbers[2]])
    assert len(client.get(url("requests"), {"service_code": "facility"}).json()) == 2
    assert len(client.get(url("requests"), {"status": "closed"}).json()) == 0
    assert len(client.get(url("requests"), {"status": "open,closed"}).json()) == 3
    now = timezone.localtime()
    early = (now - timedelta(days=100)).isoformat()
    assert (
        client.get(url("requests"), {"start_date": early, "end_date": (now - timedelta(days=50)).isoformat()}).json()
        == []
    )
    too_long = client.get(url("requests"), {"start_date": early, "end_date": now.isoformat()})
    assert too_long.status_code == 400 and "90" in too_long.json()[0]["description"]
    assert client.get(url("requests"), {"start_date": "yesterday"}).status_code == 400
    assert client.get(url("requests"), {"status": "pending"}).status_code == 400
    assert client.get(url("request", number="YS-2020-000001")).status_code == 404

    monkeypatch.setattr(views, "MAX_PAGE", 2)
    with django_assert_num_queries(1):  # the page's rows, one more than the page to know of a next one
        first = client.get(url("requests"))
    assert len(first.json()) == 2 and 'page=2>; rel="next"' in first["Link"]
    second = client.get(first["Link"][1 : first["Link"].index(">")])
    assert len(second.json()) == 1 and "Link" not in second
    assert [r["service_request_id"] for r in first.json() + second.json()] == numbers[::-1]
    xml = ET.fromstring(client.get(url("requests", "xml")).content)
    assert xml.tag == "service_requests" and len(xml.findall("request")) == 2


def test_work_orders_once_per_ticket_and_their_stages_since_a_time(client, partner, jiegu_officer, officer):
    key, raw = partner
    order = {"api_key": raw, "external_id": "12345-20261206-0001", "service_code": "dispute",
             "description": "邻里噪音纠纷", "address_id": "minzhulu"}  # fmt: skip
    first = client.post(url("work_orders"), order)
    again = client.post(url("work_orders"), order)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()[0]["service_request_id"] == again.json()[0]["service_request_id"]
    resident_request = ResidentRequest.objects.get()
    assert resident_request.partner_request.external_id == "12345-20261206-0001"
    since = timezone.now() - timedelta(minutes=1)
    request_services.request_accept(resident_request=resident_request, by=officer)
    request_services.request_resolve(resident_request=resident_request, by=officer, reply="已调解")
    changes = client.get(url("changes"), {"api_key": raw, "since": since.isoformat()}).json()
    assert [(c["stage"], c["status"]) for c in changes] == [("submitted", "open"), ("accepted", "open"),
                                                            ("resolved", "closed")]  # fmt: skip
    assert changes[-1]["note"] == "已调解" and changes[-1]["external_id"] == "12345-20261206-0001"
    assert [c["stage_id"] for c in changes] == list(RequestStep.objects.order_by("pk").values_list("pk", flat=True))
    later = client.get(url("changes"), {"api_key": raw, "since": since.isoformat(), "after": changes[0]["stage_id"]})
    assert len(later.json()) == 2
    in_header = client.get(url("changes"), {"since": since.isoformat()}, headers={"X-Api-Key": raw})
    assert in_header.json() == changes  # the key in a header keeps it out of the URL
    assert client.get(url("changes"), {"api_key": raw}).status_code == 400
    assert client.get(url("changes"), {"since": since.isoformat()}).status_code == 403


def test_a_request_without_the_residents_consent_is_not_listed(client, reference):
    private = submit_private(category="facility")
    public = submit(category="facility")
    listed = [item["service_request_id"] for item in client.get(url("requests")).json()]
    assert listed == [public.number]
    assert client.get(url("request", number=private.number)).status_code == 404
