"""Seat conflicts are told at nomination, not at the last step, and 在任 offers a rotation (轮换) in one
action: the holder's term ends and the new one begins on the same date, each audited."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from communities.models import Community
from officers import services
from officers.forms import NominationForm, ServeForm
from officers.models import Appointment
from officers.selectors import seat_conflicts
from yushu_gov.models import AuditEntry

from ..factories import AppointmentFactory, OfficerFactory
from .test_workflow import advance

S = Appointment.Status
SERVE = {
    "meeting_on": date(2023, 4, 1),
    "announced_on": date(2023, 4, 1),
    "letter_issued_on": date(2023, 4, 1),
    "oath_on": date(2023, 4, 2),
}


@pytest.fixture
def hongweilu(reference):
    return Community.objects.get(code="hongweilu")


@pytest.fixture
def holder(hongweilu, reference):
    """The deputy secretary serving in 红卫路社区 since July 2022."""
    return AppointmentFactory(
        officer=OfficerFactory(name="现任民警", station=reference["jiegu_station"]), community=hongweilu
    )


def test_the_conflicts_of_a_nomination(holder, jiegu_officer, hongweilu):
    conflicts = seat_conflicts(officer=jiegu_officer, community=hongweilu)
    assert conflicts.community_holder == holder
    assert conflicts.officer_seat == jiegu_officer.appointments.get()
    assert conflicts.messages() == [
        "红卫路社区现任党员民警副书记为现任民警（2022-07-01起）。",
        "测试民警甲现兼任民主路社区党支部副书记（2022-07-01起）。",
    ]
    assert not seat_conflicts(officer=OfficerFactory(), community=Community.objects.get(code="zhaxinanlu")).any


def test_the_nomination_form_warns_and_asks_for_a_confirmation(holder, jiegu_officer, hongweilu, jiegu_clerk):
    data = {"community": hongweilu.pk, "officer": jiegu_officer.pk, "on_date": "2023-03-01"}
    form = NominationForm(data, user=jiegu_clerk)
    assert not form.is_valid()
    errors = form.errors["confirm_rotation"]
    assert "红卫路社区现任党员民警副书记为现任民警（2022-07-01起）。" in errors
    assert "测试民警甲现兼任民主路社区党支部副书记（2022-07-01起）。" in errors
    assert NominationForm({**data, "confirm_rotation": "on"}, user=jiegu_clerk).is_valid()
    # The choices say it before anything is sent.
    form = NominationForm(user=jiegu_clerk)
    labels = [label for _value, label in form.fields["community"].choices]
    assert "红卫路社区（现任：现任民警）" in labels
    assert any("现兼任民主路社区副书记" in label for _value, label in form.fields["officer"].choices)


def test_the_nomination_page_shows_the_warning_and_the_appointment_keeps_it(
    holder, jiegu_officer, hongweilu, client_for
):
    client = client_for("jiegu_clerk")
    data = {"community": hongweilu.pk, "officer": jiegu_officer.pk, "on_date": "2023-03-01"}
    html = client.post(reverse("officers:appointment_nominate"), data).content.decode()
    assert "红卫路社区现任党员民警副书记为现任民警" in html and 'type="checkbox" name="confirm_rotation"' in html
    response = client.post(reverse("officers:appointment_nominate"), {**data, "confirm_rotation": "on"}, follow=True)
    assert "该推荐涉及在任席位，到任时将办理轮换。" in response.content.decode()
    appointment = Appointment.objects.get(officer=jiegu_officer, status=S.NOMINATED)
    html = client.get(reverse("officers:appointment_detail", args=[appointment.pk])).content.decode()
    assert "席位冲突：到任时需办理轮换" in html


def test_serving_without_the_rotation_names_the_rule_and_the_way_on(holder, hongweilu, jiegu_clerk, city_admin):
    nominated = services.appointment_nominate(
        officer=OfficerFactory(), community=hongweilu, by=jiegu_clerk, on_date=date(2023, 3, 1)
    )
    appointment = advance(nominated, "filed", clerk=jiegu_clerk, admin=city_admin)
    with pytest.raises(ValidationError) as caught:
        services.appointment_serve(appointment=appointment, by=jiegu_clerk, **SERVE)
    messages = caught.value.message_dict["rotate"]
    assert messages[0] == "该社区已有在任的党员民警副书记，一个社区只能有一名。"
    assert "如为轮换" in messages[-1]
    holder.refresh_from_db()
    assert holder.status == S.SERVING


def test_a_rotation_ends_the_holders_term_and_begins_the_new_one_on_the_same_day(
    holder, hongweilu, jiegu_clerk, city_admin
):
    newcomer = OfficerFactory(name="接任民警")
    nominated = services.appointment_nominate(
        officer=newcomer, community=hongweilu, by=jiegu_clerk, on_date=date(2023, 3, 1)
    )
    appointment = advance(nominated, "filed", clerk=jiegu_clerk, admin=city_admin)
    served = services.appointment_serve(appointment=appointment, by=jiegu_clerk, rotate=True, **SERVE)
    holder.refresh_from_db()
    assert (served.status, served.started_on) == (S.SERVING, date(2023, 4, 1))
    assert (holder.status, holder.ended_on, holder.end_reason) == (S.ENDED, date(2023, 4, 1), "rotation")
    assert holder.closing_note == "轮换：红卫路社区由接任民警接任。"
    # Both changes have their step and their audit entry; the seat covers the day once on each side.
    assert holder.steps.get(status=S.ENDED).on_date == date(2023, 4, 1)
    ended = AuditEntry.objects.for_object(holder).get(action="officers.appointment.ended")
    assert ended.changes["end_reason"] == ["", "rotation"] and ended.actor == jiegu_clerk
    assert AuditEntry.objects.for_object(served).filter(action="officers.appointment.serving").count() == 1
    assert list(Appointment.objects.filter(community=hongweilu).covering(date(2023, 4, 1))) != []


def test_a_rotation_moves_an_officer_from_another_seat(holder, jiegu_officer, hongweilu, jiegu_clerk, city_admin):
    """The officer of 民主路社区 moves to 红卫路社区: both his old seat and the holder's end that day."""
    nominated = services.appointment_nominate(
        officer=jiegu_officer, community=hongweilu, by=jiegu_clerk, on_date=date(2023, 3, 1)
    )
    appointment = advance(nominated, "filed", clerk=jiegu_clerk, admin=city_admin)
    services.appointment_serve(appointment=appointment, by=jiegu_clerk, rotate=True, **SERVE)
    old_seat = Appointment.objects.get(officer=jiegu_officer, community__code="minzhulu")
    holder.refresh_from_db()
    assert old_seat.status == holder.status == S.ENDED
    assert old_seat.closing_note == "轮换：测试民警甲转任红卫路社区党支部副书记。"
    assert Appointment.objects.serving().get(officer=jiegu_officer).community == hongweilu


def test_a_rotation_cannot_begin_before_the_holder_began(hongweilu, reference, jiegu_clerk, city_admin):
    AppointmentFactory(community=hongweilu, started_on=date(2023, 4, 10))
    nominated = services.appointment_nominate(
        officer=OfficerFactory(), community=hongweilu, by=jiegu_clerk, on_date=date(2023, 3, 1)
    )
    appointment = advance(nominated, "filed", clerk=jiegu_clerk, admin=city_admin)
    with pytest.raises(ValidationError) as caught:
        services.appointment_serve(appointment=appointment, by=jiegu_clerk, rotate=True, **SERVE)
    assert "轮换日期不能早于" in caught.value.message_dict["meeting_on"][0]


def test_the_serve_form_offers_the_rotation_only_when_there_is_a_conflict(holder, hongweilu, jiegu_clerk, city_admin):
    nominated = services.appointment_nominate(
        officer=OfficerFactory(), community=hongweilu, by=jiegu_clerk, on_date=date(2023, 3, 1)
    )
    form = ServeForm(appointment=nominated)
    assert "rotate" in form.fields and form.fields["rotate"].initial is True
    assert "现任民警" in form.fields["rotate"].help_text
    free = services.appointment_nominate(
        officer=OfficerFactory(), community=Community.objects.get(code="zhaxinanlu"), by=jiegu_clerk,
        on_date=date(2023, 3, 1),
    )  # fmt: skip
    assert "rotate" not in ServeForm(appointment=free).fields


def test_the_serve_page_rotates_in_one_action(holder, hongweilu, jiegu_clerk, city_admin, client_for):
    nominated = services.appointment_nominate(
        officer=OfficerFactory(), community=hongweilu, by=jiegu_clerk, on_date=date(2023, 3, 1)
    )
    appointment = advance(nominated, "filed", clerk=jiegu_clerk, admin=city_admin)
    data = {name: value.isoformat() for name, value in SERVE.items()} | {"rotate": "on"}
    response = client_for("jiegu_clerk").post(reverse("officers:appointment_serve", args=[appointment.pk]), data)
    assert response.status_code == 302
    holder.refresh_from_db()
    assert holder.status == S.ENDED and Appointment.objects.serving().get(community=hongweilu).pk == appointment.pk
