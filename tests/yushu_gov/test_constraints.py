"""Database constraints as the one statement of a rule: each carries its own message, a form shows it beside
the field its model names, and a refused write becomes that same message."""

from datetime import date

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from officers.models import Appointment, Officer
from tests.factories import OfficerFactory
from yushu_gov.input.constraints import has_own_message, integrity_error

PROJECT_APPS = {"yushu_gov", "communities", "officers", "talks", "ledger", "resident_requests", "assessments"}


def _constraints():
    for model in apps.get_models():
        if model._meta.app_label in PROJECT_APPS:
            for constraint in model._meta.constraints:
                yield model, constraint


def test_every_constraint_carries_a_message_of_its_own_that_formats():
    found = list(_constraints())
    assert len(found) > 20
    for model, constraint in found:
        assert has_own_message(constraint), f"{model.__name__}.{constraint.name} has no message of its own"
        assert str(constraint.get_violation_error_message()).strip()  # a stray % would raise here


def test_constraint_fields_name_real_fields_and_constraints():
    for model in apps.get_models():
        mapping = getattr(model, "CONSTRAINT_FIELDS", {})
        names = {c.name for c in model._meta.constraints}
        assert set(mapping) <= names, model.__name__


@pytest.mark.django_db
def test_a_broken_rule_is_reported_beside_its_field(reference):
    officer = OfficerFactory.build(station=reference["jiegu_station"], party_member_since=None)
    with pytest.raises(ValidationError) as caught:
        officer.validate_constraints()
    assert caught.value.message_dict == {"party_member_since": ["党员须填写入党时间。"]}


@pytest.mark.django_db
def test_a_refused_write_becomes_the_constraints_message(jiegu_officer):
    seat = jiegu_officer.appointments.get()
    rival = Appointment(officer=OfficerFactory(), community=seat.community, status="serving")
    # PostgreSQL names the constraint in its error.
    error = integrity_error(IntegrityError('violates unique constraint "one_serving_seat_per_community"'), rival)
    assert error.message_dict == {"community": ["该社区已有在任的党员民警副书记，一个社区只能有一名。"]}
    # SQLite names only columns: the instance is validated again against the committed rows.
    error = integrity_error(IntegrityError("UNIQUE constraint failed: officers_appointment.community_id"), rival)
    assert "该社区已有在任的党员民警副书记，一个社区只能有一名。" in error.messages


@pytest.mark.django_db
def test_an_error_no_rule_explains_is_raised_again(jiegu_officer):
    officer = Officer.objects.get(pk=jiegu_officer.pk)
    officer.party_member_since = date(2010, 1, 1)
    with pytest.raises(IntegrityError, match="disk I/O"):
        integrity_error(IntegrityError("disk I/O error"), officer)
