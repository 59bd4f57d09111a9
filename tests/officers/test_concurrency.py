"""Two clerks at once: each request in its own thread and database connection, released together by a
barrier. The seat rules hold (one nomination wins, the other gets the clear message), and a step pressed
twice advances the appointment once."""

import threading
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection

from communities.models import Community
from officers import services
from officers.models import Appointment, AppointmentStep, QualificationStandard
from yushu_gov.models import AuditEntry

from ..factories import AppointmentFactory, OfficerFactory

pytestmark = pytest.mark.django_db(transaction=True)


def run_together(*calls):
    """Runs the calls at the same moment in separate threads; returns each one's result or exception."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def worker(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as exc:  # noqa: BLE001 (the test inspects whatever happened)
            results[index] = exc
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_two_nominations_for_one_community_at_once(reference, jiegu_clerk):
    community = Community.objects.get(code="minzhulu")
    officers = [OfficerFactory(station=reference["jiegu_station"]) for _ in range(2)]
    results = run_together(
        *[
            lambda o=o: services.appointment_nominate(
                officer=o, community=community, by=jiegu_clerk, on_date=date(2023, 3, 1)
            )
            for o in officers
        ]
    )
    won = [r for r in results if isinstance(r, Appointment)]
    lost = [r for r in results if isinstance(r, ValidationError)]
    assert len(won) == 1 and len(lost) == 1, results
    assert "社区" in lost[0].messages[0]
    assert Appointment.objects.filter(community=community).count() == 1
    assert AuditEntry.objects.filter(action="officers.appointment.nominated").count() == 1


def test_the_same_step_pressed_by_two_clerks_advances_once(reference, jiegu_clerk):
    appointment = services.appointment_nominate(
        officer=OfficerFactory(), community=Community.objects.get(code="minzhulu"), by=jiegu_clerk,
        on_date=date(2023, 3, 1),
    )  # fmt: skip
    results_map = {s.pk: (True, "符合") for s in QualificationStandard.objects.all()}
    copies = [Appointment.objects.get(pk=appointment.pk) for _ in range(2)]
    results = run_together(
        *[
            lambda a=a: services.appointment_review(
                appointment=a, by=jiegu_clerk, on_date=date(2023, 3, 5), results=results_map
            )
            for a in copies
        ]
    )
    assert sum(isinstance(r, Appointment) for r in results) == 1, results
    assert sum(isinstance(r, ValidationError) for r in results) == 1, results
    assert AppointmentStep.objects.filter(appointment=appointment, status="reviewed").count() == 1
    assert AuditEntry.objects.filter(action="officers.appointment.reviewed").count() == 1
    appointment.refresh_from_db()
    assert appointment.status == "reviewed"


def test_two_filings_at_once_both_succeed_with_consecutive_letter_numbers(reference, jiegu_clerk, city_admin):
    """The race of the issue: on PostgreSQL under load the second filing got Django's unique-violation text.
    Numbers now come from the year's counter row, locked FOR UPDATE: both filings succeed."""
    from officers.models import LetterCounter

    from .test_workflow import advance

    AppointmentFactory(letter_year=2023, letter_serial=4)  # a number already given this year, before the counter
    decided = []
    for code in ("minzhulu", "xinjianlu"):
        appointment = services.appointment_nominate(
            officer=OfficerFactory(), community=Community.objects.get(code=code), by=jiegu_clerk,
            on_date=date(2023, 3, 1),
        )  # fmt: skip
        decided.append(advance(appointment, "decided", clerk=jiegu_clerk, admin=city_admin))
    for _round in range(3):  # several times: a race lost once in a while is still lost
        results = run_together(
            *[
                lambda a=a: services.appointment_file(
                    appointment=a, by=city_admin, on_date=date(2023, 3, 25), document_no="玉市组〔2023〕7号"
                )
                for a in decided
            ]
        )
        assert all(isinstance(r, Appointment) for r in results), results
        serials = sorted(Appointment.objects.filter(status="filed").values_list("letter_serial", flat=True))
        assert serials[1] == serials[0] + 1, serials
        assert LetterCounter.objects.get(year=2023).last_serial == serials[1]
        for appointment in decided:  # back to "decided" for the next round
            Appointment.objects.filter(pk=appointment.pk).update(status="decided", letter_serial=None, letter_year=None)
            AppointmentStep.objects.filter(appointment=appointment, status="filed").delete()
    assert sorted(Appointment.objects.exclude(letter_serial=None).values_list("letter_serial", flat=True)) == [4]
