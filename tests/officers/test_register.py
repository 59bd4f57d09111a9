"""The officer register: scoped list with search and filters, constant query count, create and edit for
the city administrator, validation messages that keep what was typed, and masked personal data."""

import re

import pytest
from django.urls import reverse

from communities.models import Community
from officers.models import Officer
from yushu_gov.models import AuditEntry

from ..factories import AppointmentFactory, OfficerFactory, valid_id_number

FULL_ID = re.compile(r"\d{17}[\dX]")


def _form(station, **overrides):
    data = {
        "name": "才仁多杰",
        "gender": "male",
        "ethnicity": "tibetan",
        "police_number": "632001",
        "id_number": valid_id_number(7),
        "mobile": "13997612345",
        "work_phone": "0976-8821234",
        "station": station.pk,
        "rank": "sergeant_1",
        "post": "社区民警",
        "party_status": "full",
        "party_member_since": "2012年7月1日",
        "bilingual": "on",
    }
    data.update(overrides)
    return data


def _names(response):
    return sorted(o.name for o in response.context["page"])


def test_list_is_scoped_by_role(client_for, jiegu_officer, xihang_officer, reference):
    unappointed = OfficerFactory(name="未任职民警", station=reference["jiegu_station"])
    assert _names(client_for("city_admin").get(reverse("officers:list"))) == sorted(
        [jiegu_officer.name, xihang_officer.name, unappointed.name]
    )
    assert _names(client_for("bureau").get(reverse("officers:list"))) == sorted(
        [jiegu_officer.name, xihang_officer.name, unappointed.name]
    )
    assert _names(client_for("jiegu_clerk").get(reverse("officers:list"))) == [jiegu_officer.name]
    assert _names(client_for("xihang_clerk").get(reverse("officers:list"))) == [xihang_officer.name]
    # 结古派出所's leader sees the station's officers, appointed or not.
    assert _names(client_for("station_leader").get(reverse("officers:list"))) == sorted(
        [jiegu_officer.name, unappointed.name]
    )


def test_search_by_name_and_police_number_and_filters(client_for, jiegu_officer, xihang_officer, reference):
    client = client_for("city_admin")
    assert _names(client.get(reverse("officers:list"), {"q": "甲"})) == [jiegu_officer.name]
    assert _names(client.get(reverse("officers:list"), {"q": xihang_officer.police_number})) == [xihang_officer.name]
    station = reference["xihang_station"].pk
    assert _names(client.get(reverse("officers:list"), {"station": station})) == [xihang_officer.name]
    street = reference["jiegu"].pk
    assert _names(client.get(reverse("officers:list"), {"street": street})) == [jiegu_officer.name]


def test_list_paginates(client_for, reference):
    OfficerFactory.create_batch(30, station=reference["jiegu_station"])
    response = client_for("city_admin").get(reverse("officers:list"))
    assert len(response.context["page"]) == 25
    assert response.context["page"].paginator.count == 30
    assert len(client_for("city_admin").get(reverse("officers:list"), {"page": 2}).context["page"]) == 5


@pytest.mark.parametrize("role", ["city_admin", "jiegu_clerk", "station_leader"])
def test_list_query_count_is_the_same_for_1_and_50_officers(role, client_for, reference, django_assert_num_queries):
    community = Community.objects.get(name="民主路社区")
    AppointmentFactory(officer__station=reference["jiegu_station"], community=community)
    client = client_for(role)
    client.get(reverse("officers:list"))  # warm the session and content types
    # session, user, the user's groups (role), count, the filter form's stations and streets, the page of
    # officers with their station and current appointment (subqueries), and the idle-timeout renewal of
    # the session (savepoint, update, release) — 10, whatever the number of officers.
    with django_assert_num_queries(10):
        response = client.get(reverse("officers:list"))
    assert len(response.context["page"]) == 1
    others = Community.objects.exclude(pk=community.pk).filter(street=community.street)
    for index in range(49):
        AppointmentFactory(
            officer__station=reference["jiegu_station"],
            community=others[index % others.count()],
            status="ended",
            ended_on="2023-01-01",
        )
    with django_assert_num_queries(10):
        response = client.get(reverse("officers:list"))
    assert response.context["page"].paginator.count == 50


def test_city_admin_registers_an_officer(client_for, city_admin, reference):
    data = _form(reference["jiegu_station"])
    response = client_for("city_admin").post(reverse("officers:create"), data)
    officer = Officer.objects.get(police_number="632001")
    assert response.status_code == 302
    assert response.url == reverse("officers:detail", args=[officer.pk])
    assert officer.id_number == data["id_number"]
    assert str(officer.party_member_since) == "2012-07-01"
    assert AuditEntry.objects.filter(action="officers.officer.created", object_id=str(officer.pk)).exists()


def test_bad_input_gets_chinese_messages_and_keeps_what_was_typed(client_for, reference):
    bad_id = valid_id_number(7)[:17] + ("0" if valid_id_number(7)[17] != "0" else "1")
    data = _form(reference["jiegu_station"], id_number=bad_id, mobile="1234", party_member_since="")
    response = client_for("city_admin").post(reverse("officers:create"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "身份证号码校验位不正确" in html
    assert "手机号码应为以1开头的11位数字" in html
    assert "党员须填写入党时间" in html
    assert 'value="才仁多杰"' in html and 'value="632001"' in html  # nothing typed is lost
    assert not Officer.objects.filter(police_number="632001").exists()


def test_duplicate_police_number_is_a_form_error(client_for, jiegu_officer, reference):
    data = _form(reference["jiegu_station"], police_number=jiegu_officer.police_number)
    response = client_for("city_admin").post(reverse("officers:create"), data)
    assert response.status_code == 200
    assert "警号" in response.context["form"].errors["police_number"][0]


def test_edit_never_sends_the_full_number_and_blank_keeps_it(client_for, jiegu_officer, reference):
    client = client_for("city_admin")
    stored_id, stored_mobile = jiegu_officer.id_number, jiegu_officer.mobile
    url = reverse("officers:edit", args=[jiegu_officer.pk])
    html = client.get(url).content.decode()
    assert jiegu_officer.id_number not in html
    assert jiegu_officer.mobile not in html
    assert jiegu_officer.masked_id_number in html
    data = _form(
        reference["jiegu_station"],
        name=jiegu_officer.name,
        police_number=jiegu_officer.police_number,
        id_number="",
        mobile="",
        post="副所长",
    )
    assert client.post(url, data).status_code == 302
    jiegu_officer.refresh_from_db()
    assert jiegu_officer.post == "副所长"
    assert (jiegu_officer.id_number, jiegu_officer.mobile) == (stored_id, stored_mobile)
    entry = AuditEntry.objects.get(action="officers.officer.changed")
    assert "id_number" not in entry.changes and "mobile" not in entry.changes


PAGES = [
    ("home", lambda o: []),
    ("officers:list", lambda o: []),
    ("officers:detail", lambda o: [o.pk]),
    ("officers:edit", lambda o: [o.pk]),
    ("communities:list", lambda o: []),
    ("audit_log", lambda o: []),
]


@pytest.mark.parametrize("role", ["city_admin", "jiegu_clerk", "xihang_clerk", "bureau", "station_leader", "auditor"])
def test_no_page_shows_a_full_id_number_or_mobile(role, client_for, city_admin, jiegu_officer, reference):
    from officers import services

    services.officer_update(officer=jiegu_officer, by=city_admin, data={"mobile": "13600001111"})
    jiegu_officer.refresh_from_db()
    client = client_for(role)
    for name, args in PAGES:
        response = client.get(reverse(name, args=args(jiegu_officer)))
        html = response.content.decode()
        assert not FULL_ID.search(html), f"{role} {name}"
        assert jiegu_officer.mobile not in html, f"{role} {name}"
        assert "13600001111" not in html


def test_the_public_work_phone_cannot_be_the_personal_mobile(client_for, reference):
    data = _form(reference["jiegu_station"], mobile="13997612345", work_phone="139 9761 2345")
    response = client_for("city_admin").post(reverse("officers:create"), data)
    assert response.status_code == 200
    assert "不能填写本人手机号码" in response.context["form"].errors["work_phone"][0]
