"""The street on an overdue request its officer still holds: 督办 (the officer is told on his home page and
in his inbox), 接办, 转办; and the officer's work phone as a tap-to-call link."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from communities.models import Community
from officers.resident_requests import supervision
from officers.resident_requests.home import todo_provider
from officers.resident_requests.models import RequestStep, ResidentRequest
from yushu_gov.models import AuditEntry, Notice

S = ResidentRequest.Status


def _todo(user):
    request = RequestFactory().get("/")
    request.user = user
    return {item.label: item for item in todo_provider(request)}


@pytest.fixture
def late(resident_request):
    """A day and an hour after the request came: past its response deadline."""
    with time_machine.travel(timezone.now() + timedelta(hours=25), tick=False):
        yield


def test_before_the_deadline_the_street_has_no_hand_on_the_officers_request(resident_request, jiegu_clerk, client_for):
    assert supervision.supervision_actions(jiegu_clerk, resident_request) == []
    with pytest.raises(ValidationError, match="尚未逾期"):
        supervision.request_remind(request=resident_request, by=jiegu_clerk)
    clerk = client_for("jiegu_clerk")
    assert clerk.post(reverse("requests:remind", args=[resident_request.pk]), {}).status_code == 409
    assert (
        "督办"
        not in clerk.get(reverse("requests:detail", args=[resident_request.pk])).content.decode().split("<h2>")[0]
    )


def test_the_street_reminds_the_officer_of_an_overdue_request_and_he_is_told(
    late, resident_request, jiegu_officer, jiegu_clerk, officer, client_for
):
    jiegu_officer.work_phone = "0976-882 3001"
    jiegu_officer.save()
    clerk = client_for("jiegu_clerk")
    detail = clerk.get(reverse("requests:detail", args=[resident_request.pk])).content.decode()
    for name in ("remind", "take_over", "street_transfer"):
        assert reverse(f"requests:{name}", args=[resident_request.pk]) in detail
    assert 'href="tel:09768823001"' in detail
    response = clerk.post(reverse("requests:remind", args=[resident_request.pk]), {"note": "请今天内联系群众"})
    assert response.status_code == 302
    step = RequestStep.objects.get(request=resident_request, kind="reminded")
    assert step.actor == jiegu_clerk and step.note == "请今天内联系群众"
    assert AuditEntry.objects.filter(action="resident_requests.request.reminded").count() == 1
    item = _todo(officer)["街道督办提醒的群众诉求"]
    assert item.count == 1 and item.url == reverse("requests:list") + "?state=reminded"
    inbox = client_for("officer").get(item.url).content.decode()
    assert resident_request.number in inbox
    assert "街道督办提醒" in client_for("officer").get(reverse("home")).content.decode()
    told = Notice.objects.get(kind="request.reminded", channel="inapp")  # the bell, with the street's words
    assert told.user == officer and resident_request.number in told.body and "请今天内联系群众" in told.body
    # The request stays his: the street has taken no step of his.
    assert ResidentRequest.objects.get(pk=resident_request.pk).status == S.SUBMITTED


def test_the_street_takes_an_overdue_request_over(late, resident_request, jiegu_clerk, officer, client_for):
    clerk = client_for("jiegu_clerk")
    url = reverse("requests:take_over", args=[resident_request.pk])
    assert clerk.post(url, {"note": ""}).status_code == 200  # the reason is required
    assert clerk.post(url, {"note": "民警外出培训，街道接办"}).status_code == 302
    current = ResidentRequest.objects.get(pk=resident_request.pk)
    assert current.status == S.AT_STREET and current.holder == "street_staff"
    assert RequestStep.objects.filter(request=current, kind="taken_over", actor=jiegu_clerk).exists()
    assert "待街道办理或督办的群众诉求" in _todo(jiegu_clerk)
    assert "逾期未办结的群众诉求" not in _todo(officer)  # no longer his to do
    assert clerk.post(url, {"note": "再次"}).status_code == 409


def test_the_street_transfers_an_overdue_request_to_another_community(
    late, resident_request, jiegu_clerk, xihang_officer, client_for
):
    target = Community.objects.get(name="胜利路社区")
    response = client_for("jiegu_clerk").post(
        reverse("requests:street_transfer", args=[resident_request.pk]),
        {"community": target.pk, "note": "属胜利路社区辖区"},
    )
    assert response.status_code == 302
    current = ResidentRequest.objects.get(pk=resident_request.pk)
    assert current.community == target and current.officer == xihang_officer and current.status == S.SUBMITTED
    kinds = list(current.steps.values_list("kind", flat=True))
    assert kinds[-2:] == ["taken_over", "transferred"]


def test_only_the_street_in_scope_supervises(late, resident_request, client_for):
    url = reverse("requests:remind", args=[resident_request.pk])
    assert client_for("xihang_clerk").get(url).status_code == 404
    assert client_for("officer").get(url).status_code == 403
    assert client_for("city_admin").get(url).status_code == 403
