"""The roll-ups up the organisation tree (AreaWorkMonth, AreaCallMonth): every write through the services keeps
them in its transaction for every area above the community, the year-on-year part included; a change to the
tree's shape recounts them; and what is kept always equals what a recount from the records gives."""

from datetime import date

import pytest

from communities.models import Area, AreaCallMonth, Community, Street
from communities.services import (
    ImportRow,
    area_create,
    area_move,
    police_call_count_set,
    police_calls_import,
)
from officers.ledger.models import AreaWorkMonth, WorkRecord
from officers.ledger.services import work_record_update
from officers.resident_requests.models import AreaRequestMonth
from officers.talks.models import AreaTalkMonth, StreetTalkMonth
from yushu_gov.counts import monthly

from ..factories import WorkRecordFactory


def calls_of(area, year, month):
    row = AreaCallMonth.objects.filter(area=area, year=year, month=month).first()
    return None if row is None else (row.calls, row.compared, row.compared_before, row.compared_months)


def assert_as_recounted():
    """Every counter table, the roll-ups of the talks and the requests too."""
    for table in monthly.registered():
        assert monthly.differences(table) == 0, table.label


@pytest.fixture
def minzhu(reference):
    return Community.objects.select_related("street__area").get(name="民主路社区")


def test_a_figure_counts_for_every_area_above_its_community(reference, minzhu, bureau):
    city, prefecture, chenduo = reference["city"], reference["prefecture"], reference["chenduo"]
    police_call_count_set(community=minzhu, year=2023, month=3, count=12, by=bureau)
    assert calls_of(city, 2023, 3) == calls_of(prefecture, 2023, 3) == (12, 0, 0, 0)
    assert calls_of(chenduo, 2023, 3) is None
    # A figure a year later is compared with it; correcting the earlier one changes the later one's comparison.
    police_call_count_set(community=minzhu, year=2024, month=3, count=9, by=bureau)
    assert calls_of(prefecture, 2024, 3) == (9, 9, 12, 1)
    police_call_count_set(community=minzhu, year=2023, month=3, count=15, by=bureau)
    assert calls_of(prefecture, 2023, 3) == (15, 0, 0, 0)
    assert calls_of(prefecture, 2024, 3) == (9, 9, 15, 1)
    assert_as_recounted()


def test_an_import_replacing_a_month_keeps_the_roll_up(reference, minzhu, bureau):
    police_call_count_set(community=minzhu, year=2022, month=1, count=20, by=bureau)
    rows = [ImportRow(2, "民主路社区", 2023, 1, 10), ImportRow(3, "胜利路社区", 2023, 1, 5)]
    police_calls_import(rows=rows, by=bureau)
    assert calls_of(reference["city"], 2023, 1) == (15, 10, 20, 1)
    assert AreaCallMonth.objects.get(area=reference["prefecture"], year=2023, month=1).figures == 2
    # The month again, without 胜利路社区: its figure is replaced away.
    police_calls_import(rows=[ImportRow(2, "民主路社区", 2023, 1, 8)], by=bureau)
    assert calls_of(reference["city"], 2023, 1) == (8, 8, 20, 1)
    assert_as_recounted()


def test_work_records_count_for_every_area_above_their_community(reference, minzhu, city_admin, jiegu_officer):
    record = WorkRecordFactory(
        community=minzhu,
        officer=jiegu_officer,
        occurred_on=date(2023, 5, 10),
        kind=WorkRecord.Kind.PATROL,
        status=WorkRecord.Status.DONE,
    )
    for area in (reference["city"], reference["prefecture"]):
        row = AreaWorkMonth.objects.get(area=area, year=2023, month=5)
        assert (row.patrol, row.patrol_done) == (1, 1)
    # A record moved to another month (a service's write) leaves the first month at zero everywhere up the tree.
    data = {f: getattr(record, f) for f in ("kind", "community", "officer", "summary", "status", "severity")}
    work_record_update(record=record, by=city_admin, data={**data, "occurred_on": date(2023, 6, 1)})
    assert AreaWorkMonth.objects.get(area=reference["prefecture"], year=2023, month=5).patrol == 0
    assert AreaWorkMonth.objects.get(area=reference["prefecture"], year=2023, month=6).patrol == 1
    assert_as_recounted()


def test_a_change_of_shape_moves_the_roll_ups(reference, minzhu, bureau, client_for, resident_request, jiegu_talk):
    city, prefecture, chenduo = reference["city"], reference["prefecture"], reference["chenduo"]
    police_call_count_set(community=minzhu, year=2023, month=3, count=12, by=bureau)
    WorkRecordFactory(community=minzhu, occurred_on=date(2023, 3, 2))
    # A province above the prefecture: it counts what lies below at once (the prefecture's own rows are added
    # to the province's, in every roll-up keyed by area).
    province = area_create(code="province", name="省", kind=Area.Kind.PROVINCE)
    area_move(area=prefecture, new_parent=province)
    assert calls_of(province, 2023, 3) == (12, 0, 0, 0)
    assert AreaWorkMonth.objects.get(area=province, year=2023, month=3).patrol == 1
    assert AreaRequestMonth.objects.get(area=province).received == 1
    assert AreaTalkMonth.objects.filter(area=province, held=1).count() == 1
    assert_as_recounted()
    # Moved back to a root, and under the province again: taken away, then added to rows already there.
    area_move(area=prefecture, new_parent=None)
    assert calls_of(province, 2023, 3) == (0, 0, 0, 0)
    assert_as_recounted()
    area_move(area=prefecture, new_parent=province)
    assert calls_of(province, 2023, 3) == (12, 0, 0, 0)
    assert_as_recounted()
    # A street hung on another county in the admin site takes its communities' figures with it.
    street = minzhu.street
    client = client_for("prefecture_admin")
    url = f"/admin/communities/street/{street.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update({"area": chenduo.pk, "communities-TOTAL_FORMS": 0, "communities-INITIAL_FORMS": 0})
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Street.objects.get(pk=street.pk).area == chenduo
    assert calls_of(chenduo, 2023, 3) == (12, 0, 0, 0)
    assert calls_of(city, 2023, 3) == (0, 0, 0, 0)  # its row left at zero
    assert calls_of(province, 2023, 3) == (12, 0, 0, 0)
    assert_as_recounted()


def test_a_community_on_another_street_moves_its_records_counts(
    reference, minzhu, client_for, resident_request, jiegu_talk, jiegu_officer
):
    """The admin site hangs 民主路社区 on 西杭街道: its officer's term and talk now count for 西杭街道's talk roll-up,
    and every roll-up equals its recount."""
    jiegu, xihang = reference["jiegu"], reference["xihang"]
    held = StreetTalkMonth.objects.filter(street=jiegu, held__gt=0).count()
    assert held == 1 and not StreetTalkMonth.objects.filter(street=xihang, held__gt=0).exists()
    client = client_for("prefecture_admin")
    url = f"/admin/communities/community/{minzhu.pk}/change/"
    response = client.get(url)
    form = response.context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data["street"] = xihang.pk
    for formset in response.context["inline_admin_formsets"]:
        data.update({f"{formset.formset.prefix}-TOTAL_FORMS": 0, f"{formset.formset.prefix}-INITIAL_FORMS": 0})
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert StreetTalkMonth.objects.filter(street=xihang, held__gt=0).count() == 1
    assert not StreetTalkMonth.objects.filter(street=jiegu, held__gt=0).exists()
    assert_as_recounted()
