"""The work-record form offers the community's serving deputy secretary first, then the others who held its
seat on the chosen day, and never one who had left by then (nor an officer of another community)."""

from datetime import date

import pytest
from django.urls import reverse

from communities.models import Community
from officers.models import Appointment
from tests.factories import AppointmentFactory, OfficerFactory


@pytest.fixture
def minzhu_terms(reference):
    """民主路社区: 前任 served from 2022-07-01 to 2023-06-30, 现任 serves since 2023-07-01; 已离任 left
    新建路社区 in 2022; 邻社区 serves 新建路社区 now."""
    minzhu = Community.objects.get(name="民主路社区")
    station = reference["jiegu_station"]
    before = OfficerFactory(name="前任民警", station=station)
    AppointmentFactory(officer=before, community=minzhu, status="ended", ended_on=date(2023, 6, 30))
    now = OfficerFactory(name="现任民警", station=station)
    AppointmentFactory(officer=now, community=minzhu, started_on=date(2023, 7, 1))
    left = OfficerFactory(name="已离任民警", station=station)
    AppointmentFactory(
        officer=left, community=Community.objects.get(name="红卫路社区"), status="ended", ended_on=date(2022, 12, 31)
    )
    other = OfficerFactory(name="邻社区民警", station=station)
    AppointmentFactory(officer=other, community=Community.objects.get(name="新建路社区"))
    return {"community": minzhu, "before": before, "now": now, "left": left, "other": other}


def _offered(client, **query):
    response = client.get(reverse("work:officers_for"), query)
    assert response.status_code == 200
    return [row["label"].split("（")[0] for row in response.json()["results"]]


def test_the_serving_officer_first_then_those_who_served_on_the_day(minzhu_terms, client_for):
    client = client_for("jiegu_clerk")
    minzhu = minzhu_terms["community"].pk
    assert _offered(client, community=minzhu, occurred_on="2023-07-01") == ["现任民警"]
    assert _offered(client, community=minzhu, occurred_on="2023-06-30") == ["前任民警"]
    # On the rotation day both held it (the predecessor's last day): the serving one first.
    Appointment.objects.filter(officer=minzhu_terms["before"]).update(ended_on=date(2023, 7, 1))
    assert _offered(client, community=minzhu, occurred_on="2023-07-01") == ["现任民警", "前任民警"]
    # Today, without a community: the street's officers serving today; never the one who left.
    today = _offered(client)
    assert "已离任民警" not in today and set(today) == {"现任民警", "邻社区民警"}


def test_the_form_offers_the_same_choices_and_still_explains_a_mismatch(minzhu_terms, client_for):
    client = client_for("jiegu_clerk")
    minzhu = minzhu_terms["community"]
    page = client.get(reverse("work:create"))
    html = page.content.decode()
    assert "现任民警" in html and "已离任民警" not in html and 'data-officers-for="/work/officers-for/"' in html
    refused = client.post(
        reverse("work:create"),
        {"kind": "patrol", "occurred_on": "2023-07-05", "community": minzhu.pk, "officer": minzhu_terms["before"].pk,
         "summary": "巡逻", "people_reached": 0, "households_reached": 0, "value_recovered": 0, "status": "done"},
    )  # fmt: skip
    form = refused.context["form"]
    assert "未在 民主路社区 任职" in str(form.errors["officer"])
    offered = [label for value, label in form.fields["officer"].widget.choices if value]
    assert [label.split("（")[0] for label in offered] == ["现任民警"]
