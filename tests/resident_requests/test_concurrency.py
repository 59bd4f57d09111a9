"""Two officers (or one officer in two tabs, or the officer and the street) acting on a request at the same
moment, each in its own thread and database connection: the request advances once, the other gets the
message, and one step and one audit entry are written."""

import pytest
from django.core.exceptions import ValidationError

from officers.resident_requests import services
from officers.resident_requests.models import ResidentRequest
from yushu_gov.models import AuditEntry

from ..officers.test_concurrency import run_together
from .helpers import submit

pytestmark = pytest.mark.django_db(transaction=True)


def _copies(item, n=2):
    return [ResidentRequest.objects.get(pk=item.pk) for _ in range(n)]


def test_accepting_twice_at_once_accepts_once(resident_request, officer):
    results = run_together(
        *[lambda c=c: services.request_accept(resident_request=c, by=officer) for c in _copies(resident_request)]
    )
    assert sum(isinstance(r, ResidentRequest) for r in results) == 1, results
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(refused) == 1 and "不能办理此步骤" in refused[0].messages[0]
    item = ResidentRequest.objects.get(pk=resident_request.pk)
    assert item.status == "handling" and item.steps.filter(kind="accepted").count() == 1
    assert AuditEntry.objects.filter(action="resident_requests.request.accepted").count() == 1


def test_resolving_and_moving_at_once_do_one_of_the_two(resident_request, officer, jiegu_clerk):
    services.request_accept(resident_request=resident_request, by=officer)
    first, second = _copies(resident_request)
    results = run_together(
        lambda: services.request_resolve(resident_request=first, by=officer, reply="已解决"),
        lambda: services.request_transfer(resident_request=second, by=officer, note="转街道", to_street=True),
    )
    assert sum(isinstance(r, ResidentRequest) for r in results) == 1, results
    assert sum(isinstance(r, ValidationError) for r in results) == 1, results
    item = ResidentRequest.objects.get(pk=resident_request.pk)
    assert item.status in ("resolved", "at_street")
    assert item.steps.filter(kind__in=["resolved", "to_street"]).count() == 1


def test_two_ratings_at_once_rate_once(resident_request, officer):
    services.request_accept(resident_request=resident_request, by=officer)
    services.request_resolve(resident_request=resident_request, by=officer, reply="已解决")
    first, second = _copies(resident_request)
    results = run_together(
        lambda: services.request_rate(resident_request=first, rating="unsatisfied"),
        lambda: services.request_rate(resident_request=second, rating="unsatisfied"),
    )
    assert sum(isinstance(r, ResidentRequest) for r in results) == 1, results
    item = ResidentRequest.objects.get(pk=resident_request.pk)
    assert (item.status, item.steps.filter(kind="reopened").count()) == ("supervised", 1)


def test_two_residents_submitting_at_once_get_two_numbers(jiegu_officer):
    results = run_together(*[lambda: submit() for _ in range(3)])
    assert all(isinstance(r, ResidentRequest) for r in results), results
    assert sorted(r.serial for r in results) == [1, 2, 3]
