"""登记到任 records the officer's consent to the public directory on the same form, by the street; until it is
recorded a to-do item says so; a community without a published officer shows the station's duty phone."""

from datetime import date

import pytest
from django.test import RequestFactory
from django.urls import reverse

from communities.models import Community
from officers.models import Appointment
from officers.todo import consent_missing
from yushu_gov.access.roles import role_of
from yushu_gov.models import AuditEntry

from .test_workflow import advance


def request_for(user):
    request = RequestFactory().get("/")
    request.user = user
    role_of(user)
    return request


@pytest.fixture
def filed(nominated_appointment, jiegu_clerk, city_admin):
    return advance(nominated_appointment, "filed", clerk=jiegu_clerk, admin=city_admin)


def test_the_serve_form_defaults_its_four_dates_to_the_filing_date_and_asks_for_consent(filed, client_for):
    page = client_for("jiegu_clerk").get(reverse("officers:appointment_serve", args=[filed.pk]))
    form = page.context["form"]
    assert {form[name].value() for name in ("meeting_on", "announced_on", "letter_issued_on", "oath_on")} == {
        date(2023, 3, 25)
    }
    assert "consent" in form.fields and "已取得本人书面同意" in page.content.decode()


def test_the_street_records_consent_when_it_registers_the_term_and_residents_then_find_him(filed, client_for):
    clerk = client_for("jiegu_clerk")
    response = clerk.post(
        reverse("officers:appointment_serve", args=[filed.pk]),
        {"meeting_on": "2023-03-25", "announced_on": "2023-03-25", "letter_issued_on": "2023-03-25",
         "oath_on": "2023-03-26", "consent": "on", "consent_note": "同意书 2023-07"},
    )  # fmt: skip
    assert response.status_code == 302
    filed.refresh_from_db()
    assert filed.status == Appointment.Status.SERVING and filed.officer.directory_consent_at is not None
    entry = AuditEntry.objects.get(action="officers.officer.consent_recorded", object_id=str(filed.officer.pk))
    assert entry.actor.username == "t_jiegu"
    public = clerk.get(reverse("directory:community", args=["hongweilu"])).content.decode()
    assert filed.officer.name in public and "暂未公开" not in public


def test_without_consent_a_to_do_stays_until_recorded_and_the_public_page_gives_the_station_phone(
    filed, jiegu_clerk, city_admin, station_leader, client_for, reference
):
    advance(filed, "serving", clerk=jiegu_clerk, admin=city_admin)
    station = reference["jiegu_station"]
    station.phone = "0976-882 2110"
    station.save()
    [item] = consent_missing(request_for(jiegu_clerk))
    assert item.count == 1 and item.url == reverse("officers:consent", args=[filed.officer_id])
    assert consent_missing(request_for(station_leader)) == []  # stations read; they record nothing
    public = client_for("anonymous").get(reverse("directory:community", args=["hongweilu"])).content.decode()
    assert filed.officer.name not in public
    assert 'href="tel:09768822110"' in public and "结古派出所值班电话" in public
    # The street records it from the to-do item's link; the item goes.
    clerk = client_for("jiegu_clerk")
    assert clerk.post(item.url, {"decision": "give"}).status_code == 302
    assert consent_missing(request_for(jiegu_clerk)) == []
    assert filed.officer.name in clerk.get(reverse("directory:community", args=["hongweilu"])).content.decode()


def test_several_missing_consents_link_to_the_officer_list_filtered_to_them(
    jiegu_officer, jiegu_clerk, client_for, reference
):
    from tests.factories import AppointmentFactory, OfficerFactory

    second = OfficerFactory(station=reference["jiegu_station"])
    AppointmentFactory(officer=second, community=Community.objects.get(code="xinjianlu"))
    [item] = consent_missing(request_for(jiegu_clerk))
    assert item.count == 2 and "consent=missing" in item.url
    listed = client_for("jiegu_clerk").get(item.url)
    assert {o.pk for o in listed.context["page"].object_list} == {jiegu_officer.pk, second.pk}
