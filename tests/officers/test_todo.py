"""The officers' to-do items: the appointment steps waiting for a role, and the communities without a deputy
secretary. Whose turn it is after the street's 资格审查: the city administrator's."""

from datetime import date

import pytest
from django.test import RequestFactory
from django.urls import reverse

from communities.models import Community
from officers import services
from officers.models import QualificationStandard
from officers.todo import appointment_steps, communities_without_deputy
from tests.factories import AppointmentFactory, CommunityFactory, OfficerFactory
from yushu_gov.access.roles import role_of


def request_for(user):
    request = RequestFactory().get("/")
    request.user = user
    role_of(user)  # the role is read once per request (cached on the user)
    return request


def review(appointment, clerk):
    standards = QualificationStandard.objects.filter(active=True)
    return services.appointment_review(
        appointment=appointment, by=clerk, on_date=date(2023, 3, 5), results={s.pk: (True, "符合") for s in standards}
    )


def test_after_the_streets_review_the_city_administrators_home_page_says_it_is_their_turn(
    nominated_appointment, jiegu_clerk, city_admin, client_for
):
    assert appointment_steps(request_for(city_admin)) == []  # nominated: the street's turn
    [item] = appointment_steps(request_for(jiegu_clerk))
    assert item.label == "任职程序待办理：资格审查" and item.count == 1
    review(nominated_appointment, jiegu_clerk)
    assert appointment_steps(request_for(jiegu_clerk)) == []
    [item] = appointment_steps(request_for(city_admin))
    assert item.label == "任职程序待办理：上报请示"
    assert item.url == reverse("officers:appointment_report", args=[nominated_appointment.pk])
    html = client_for("city_admin").get(reverse("home")).content.decode()
    assert f'href="{item.url}">任职程序待办理：上报请示</a>' in html


def test_several_appointments_at_one_step_link_to_the_filtered_list(nominated_appointment, jiegu_clerk, city_admin):
    second = services.appointment_nominate(
        officer=OfficerFactory(station=nominated_appointment.officer.station),
        community=Community.objects.get(code="zhaxinanlu"),
        by=jiegu_clerk,
        on_date=date(2023, 3, 1),
    )
    for appointment in (nominated_appointment, second):
        review(appointment, jiegu_clerk)
    [item] = appointment_steps(request_for(city_admin))
    assert item.count == 2 and item.url == reverse("officers:appointment_list") + "?status=reviewed"


def test_a_step_outside_the_users_scope_is_not_theirs(nominated_appointment, xihang_clerk, station_leader, bureau):
    assert appointment_steps(request_for(xihang_clerk)) == []
    assert appointment_steps(request_for(station_leader)) == []  # stations read; they perform no step
    assert appointment_steps(request_for(bureau)) == []


def test_communities_without_a_deputy_secretary(jiegu_officer, jiegu_clerk, city_admin, station_leader):
    # 结古街道: 民主路社区 has its deputy; 新建路, 红卫路, 扎西南路 and the unconfirmed 16th community have none.
    [item] = communities_without_deputy(request_for(jiegu_clerk))
    assert item.count == 4 and item.url == reverse("officers:coverage")
    for code in ("xinjianlu", "hongweilu", "zhaxinanlu"):
        AppointmentFactory(community=Community.objects.get(code=code))
    [item] = communities_without_deputy(request_for(jiegu_clerk))
    gap = Community.objects.get(code="urban-16")
    assert item.count == 1 and item.url == reverse("officers:appointment_nominate") + f"?community={gap.pk}"
    services.appointment_nominate(
        officer=OfficerFactory(station=jiegu_officer.station), community=gap, by=jiegu_clerk, on_date=date(2023, 3, 1)
    )
    assert communities_without_deputy(request_for(jiegu_clerk)) == []  # a nomination is under way
    assert communities_without_deputy(request_for(city_admin))[0].count == 18 - 5  # the other streets' gaps
    assert communities_without_deputy(request_for(station_leader)) == []


@pytest.mark.parametrize("extra", [1, 30])
def test_the_items_cost_one_query_each_whatever_the_data(extra, reference, city_admin, django_assert_num_queries):
    station = reference["jiegu_station"]
    for _index in range(extra):
        community = CommunityFactory(street=reference["jiegu"])
        AppointmentFactory(officer=OfficerFactory(station=station), community=community, status="reviewed")
    request = request_for(city_admin)
    with django_assert_num_queries(1):
        appointment_steps(request)
    with django_assert_num_queries(1):
        communities_without_deputy(request)
