"""The work-record form picks its community by search-as-you-type (yushu_gov/lists/lookups.py) and its officer
from the short list of those who held that community's seat on the day (officers/ledger/officer_choices.py):
the page holds no list of every officer and community, its size does not grow with them, and the form still
takes a typed community name when JavaScript is off."""

from datetime import date

import pytest
from django.urls import reverse

from communities.models import Community
from officers.ledger.models import WorkRecord

from ..factories import AppointmentFactory, OfficerFactory


def _form(officer_pk, community_pk, **overrides):
    data = {
        "kind": "patrol",
        "occurred_on": "2023年5月6日",
        "community": community_pk,
        "officer": officer_pk,
        "summary": "夜间巡逻",
        "status": "done",
    }
    data.update(overrides)
    return data


@pytest.fixture
def minzhu():
    return Community.objects.get(name="民主路社区")


def _many_officers(station, community, count):
    for officer in OfficerFactory.create_batch(count, station=station):
        AppointmentFactory(officer=officer, community=community, status="ended", ended_on=date(2023, 1, 1))


def test_the_form_holds_no_list_of_communities_and_does_not_grow_with_past_officers(client_for, jiegu_officer, minzhu):
    client = client_for("city_admin")
    html = client.get(reverse("work:create")).content.decode()
    assert 'name="community_q"' in html and f'data-lookup="{reverse("communities:lookup")}"' in html
    assert "民主路社区" not in html  # no <option> per community
    assert f'data-officers-for="{reverse("work:officers_for")}"' in html  # the officers follow the community
    before = len(html)
    _many_officers(jiegu_officer.station, minzhu, 60)
    after = len(client.get(reverse("work:create")).content.decode())
    assert abs(after - before) < 200  # the page is the same size with 60 more officers who served before


def test_a_picked_officer_and_community_save_the_record(client_for, jiegu_officer, minzhu):
    response = client_for("jiegu_clerk").post(reverse("work:create"), _form(jiegu_officer.pk, minzhu.pk))
    assert response.status_code == 302
    assert WorkRecord.objects.get().officer == jiegu_officer


def test_without_javascript_the_typed_community_name_is_enough(client_for, jiegu_officer, minzhu):
    data = _form(jiegu_officer.pk, "", community_q="民主路社区")
    response = client_for("jiegu_clerk").post(reverse("work:create"), data)
    assert response.status_code == 302
    record = WorkRecord.objects.get()
    assert (record.officer, record.community) == (jiegu_officer, minzhu)


def test_a_name_outside_the_choices_is_refused_and_shown_back(client_for, jiegu_officer, xihang_officer, minzhu):
    data = _form(jiegu_officer.pk, "", community_q="新寨村社区（不存在）")
    response = client_for("jiegu_clerk").post(reverse("work:create"), data)
    assert response.status_code == 200 and not WorkRecord.objects.exists()
    assert "没有这一项" in str(response.context["form"].errors["community"])
    assert 'value="新寨村社区（不存在）"' in response.content.decode()  # nothing typed is lost
    tampered = client_for("jiegu_clerk").post(reverse("work:create"), _form(xihang_officer.pk, minzhu.pk))
    assert "officer" in tampered.context["form"].errors and not WorkRecord.objects.exists()


def test_the_edit_form_shows_the_records_officer_and_community(client_for, jiegu_work_record):
    html = client_for("city_admin").get(reverse("work:edit", args=[jiegu_work_record.pk])).content.decode()
    assert f'value="{jiegu_work_record.community.name}"' in html
    assert f'<option value="{jiegu_work_record.officer_id}" selected>' in html
