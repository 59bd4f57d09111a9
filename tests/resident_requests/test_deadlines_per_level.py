"""Deadlines per level of the organisation tree (issue 20): a level's deadlines apply to its area and below
unless a lower level sets its own; the page edits the administrator's own level and says where each
category's deadlines come from."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from officers.resident_requests import services
from officers.resident_requests.models import CategoryDeadline
from yushu_gov.models import AuditEntry

from .helpers import submit

FACILITY = {"facility-respond_hours": 12, "facility-resolve_days": 3}


def _others(hours=24, days=7) -> dict:
    return {
        f"{c}-{f}": v
        for c in ("security", "dispute", "hardship", "other")
        for f, v in (("respond_hours", hours), ("resolve_days", days))
    }


def _days(resident_request) -> timedelta:
    return resident_request.resolve_by - resident_request.submitted_at


def test_a_prefecture_deadline_reaches_a_county_but_not_the_city_that_set_its_own(
    reference, prefecture_admin, city_admin
):
    services.deadlines_update(values={"facility": (12, 3)}, area=reference["prefecture"], by=prefecture_admin)
    services.deadlines_update(values={"facility": (48, 10)}, area=reference["city"], by=city_admin)
    in_chenduo = submit("chenduo-community-1")
    in_the_city = submit("minzhulu")
    assert _days(in_chenduo) == timedelta(days=3)  # inherited from the prefecture
    assert in_chenduo.respond_by - in_chenduo.submitted_at == timedelta(hours=12)
    assert _days(in_the_city) == timedelta(days=10)  # the city's own
    assert CategoryDeadline.table()["facility"] == (24, 7)  # the deployment's default is untouched
    entry = AuditEntry.objects.filter(action="resident_requests.deadline.changed").order_by("pk").first()
    assert entry.actor == prefecture_admin and entry.changes["area"] == [None, "玉树藏族自治州"]


def test_the_page_shows_where_each_category_comes_from_and_edits_only_the_own_level(
    reference, prefecture_admin, client_for
):
    services.deadlines_update(values={"facility": (12, 3)}, area=reference["prefecture"], by=prefecture_admin)
    client = client_for("chenduo_admin")
    url = reverse("requests:deadlines")
    page = client.get(url).content.decode()
    assert "本页设置的层级：称多县" in page
    assert "继承自 玉树藏族自治州" in page and "系统默认" in page
    # Saving the inherited values again makes nothing; a change makes 称多县's own row, not the prefecture's.
    assert client.post(url, {**_others(), **FACILITY}).status_code == 302
    assert not CategoryDeadline.objects.filter(area=reference["chenduo"]).exists()
    assert client.post(url, {**_others(), "facility-respond_hours": 6, "facility-resolve_days": 2}).status_code == 302
    assert CategoryDeadline.objects.get(area=reference["prefecture"], category="facility").resolve_days == 3
    assert CategoryDeadline.table(reference["chenduo"])["facility"] == (6, 2)
    assert "本级设置" in client.get(url).content.decode()
    # 恢复继承: the county's row goes, the prefecture's applies again.
    assert client.post(url, {"reset": "facility"}).status_code == 302
    assert CategoryDeadline.table(reference["chenduo"])["facility"] == (12, 3)
    assert AuditEntry.objects.filter(action="resident_requests.deadline.reset").count() == 1


def test_a_level_without_its_own_row_has_nothing_to_reset(reference, chenduo_admin):
    with pytest.raises(ValidationError):
        services.deadline_reset(category="facility", area=reference["chenduo"], by=chenduo_admin)
