"""The work-record form picks its officer and community by search-as-you-type (yushu_gov/lists/lookups.py): the
page holds no list of every officer and community, its size does not grow with them, the suggestions are the
form's own choices (officers/ledger/forms.py, `work_record_officers`), and the form still takes a typed name
when JavaScript is off."""

import json
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


def test_the_form_holds_no_list_of_officers_or_communities_and_does_not_grow_with_them(
    client_for, jiegu_officer, minzhu
):
    client = client_for("city_admin")
    _many_officers(jiegu_officer.station, minzhu, 2)  # more than one choice: none is filled in beforehand
    html = client.get(reverse("work:create")).content.decode()
    assert 'name="officer"' in html and 'name="officer_q"' in html and 'name="community_q"' in html
    assert f'data-lookup="{reverse("work:officer_lookup")}"' in html
    assert f'data-lookup="{reverse("communities:lookup")}"' in html
    assert jiegu_officer.name not in html and "民主路社区" not in html  # no <option> per officer or community
    before = len(html)
    _many_officers(jiegu_officer.station, minzhu, 60)
    after = len(client.get(reverse("work:create")).content.decode())
    assert abs(after - before) < 200  # the page is the same size with 60 more officers


def test_the_suggestions_are_the_forms_choices_within_the_users_scope(
    client_for, jiegu_officer, xihang_officer, django_assert_num_queries
):
    url = reverse("work:officer_lookup")
    client = client_for("jiegu_clerk")
    client.get(url, {"q": "x"})  # the session and the navigation's count
    # The session, the user, the user's groups, the suggestions (officers with their station), the session's save
    # (savepoint, update, release).
    with django_assert_num_queries(7):
        found = json.loads(client.get(url, {"q": jiegu_officer.name[:1]}).content)["results"]
    assert [row["id"] for row in found] == [jiegu_officer.pk]  # 西杭's officer is not 结古's clerk's to pick
    assert found[0]["label"] == jiegu_officer.name and "*" not in found[0]["hint"]
    assert json.loads(client_for("city_admin").get(url, {"q": xihang_officer.name}).content)["results"]
    assert client_for("bureau").get(url, {"q": "x"}).status_code == 403  # the bureau records no work


def test_a_picked_officer_and_community_save_the_record(client_for, jiegu_officer, minzhu):
    response = client_for("jiegu_clerk").post(reverse("work:create"), _form(jiegu_officer.pk, minzhu.pk))
    assert response.status_code == 302
    assert WorkRecord.objects.get().officer == jiegu_officer


def test_without_javascript_the_typed_name_is_enough(client_for, jiegu_officer, minzhu):
    data = _form("", "", officer_q=jiegu_officer.name, community_q="民主路社区")
    response = client_for("jiegu_clerk").post(reverse("work:create"), data)
    assert response.status_code == 302
    record = WorkRecord.objects.get()
    assert (record.officer, record.community) == (jiegu_officer, minzhu)


def test_a_name_outside_the_choices_is_refused_and_shown_back(client_for, jiegu_officer, xihang_officer, minzhu):
    data = _form("", minzhu.pk, officer_q=xihang_officer.name)
    response = client_for("jiegu_clerk").post(reverse("work:create"), data)
    assert response.status_code == 200 and not WorkRecord.objects.exists()
    assert "没有这一项" in str(response.context["form"].errors["officer"])
    html = response.content.decode()
    assert f'value="{xihang_officer.name}"' in html and 'value="民主路社区"' in html  # nothing typed is lost
    tampered = client_for("jiegu_clerk").post(reverse("work:create"), _form(xihang_officer.pk, minzhu.pk))
    assert "officer" in tampered.context["form"].errors and not WorkRecord.objects.exists()


def test_the_edit_form_shows_the_records_officer_and_community(client_for, jiegu_work_record):
    html = client_for("city_admin").get(reverse("work:edit", args=[jiegu_work_record.pk])).content.decode()
    assert f'value="{jiegu_work_record.officer.name}"' in html
    assert f'value="{jiegu_work_record.community.name}"' in html
    assert f'name="officer" value="{jiegu_work_record.officer_id}"' in html
