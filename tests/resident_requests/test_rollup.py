"""The requests' rates rolled up the organisation tree (AreaRequestMonth, AreaResolveTime): every step through
the services keeps them in its transaction for every area above the community, a transfer to another county
moves the request's counts; what is kept always equals a recount; and a node's rates read from them are the
rows' own, the median within 0.05 day of the exact one (a histogram of tenths of a day)."""

import statistics
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from communities.models import Community
from officers.resident_requests import rollup
from officers.resident_requests.models import AreaRequestMonth, AreaResolveTime, ResidentRequest
from officers.resident_requests.selectors import rates_of, request_rates
from officers.resident_requests.services import request_accept, request_rate, request_resolve, request_transfer
from yushu_gov.access.roles import role_of
from yushu_gov.counts import monthly

from .helpers import submit

SH = ZoneInfo("Asia/Shanghai")
START = datetime(2026, 3, 2, 9, 0, tzinfo=SH)


def assert_as_recounted():
    for table in (rollup.MONTH_TABLE, rollup.TIME_TABLE):
        assert monthly.differences(table) == 0, table.label


def counts(area, year=2026, month=3):
    row = AreaRequestMonth.objects.filter(area=area, year=year, month=month).first()
    names = ("received", "responded", "responded_in_time", "resolved", "rated", "satisfied")
    return None if row is None else tuple(getattr(row, name) for name in names)


def test_the_steps_keep_the_roll_ups_up_the_tree(reference, jiegu_officer, officer, jiegu_clerk):
    city, prefecture, chenduo = reference["city"], reference["prefecture"], reference["chenduo"]
    with time_machine.travel(START, tick=False):
        request = submit()
    assert counts(city) == counts(prefecture) == (1, 0, 0, 0, 0, 0)
    with time_machine.travel(START + timedelta(hours=2), tick=False):
        request_accept(resident_request=request, by=officer)
    with time_machine.travel(START + timedelta(days=1, hours=3), tick=False):
        request_resolve(resident_request=request, by=officer, reply="路灯已修好")
    assert counts(prefecture) == (1, 1, 1, 1, 0, 0)
    # 27 hours from submission to the reply: tenth of a day 11 (26.4 to 28.8 hours).
    assert list(AreaResolveTime.objects.filter(area=prefecture).values_list("tenths", "resolved")) == [(11, 1)]
    assert_as_recounted()
    # 不满意 reopens it at the street: no longer resolved, rated, not satisfied; out of the histogram.
    with time_machine.travel(START + timedelta(days=2), tick=False):
        request_rate(resident_request=request, rating=ResidentRequest.Rating.UNSATISFIED)
    assert counts(city) == (1, 1, 1, 0, 1, 0)
    assert not AreaResolveTime.objects.filter(area=city, resolved__gt=0).exists()
    assert_as_recounted()
    # The street resolves it again after supervision: resolved, in the histogram at its new time.
    with time_machine.travel(START + timedelta(days=3), tick=False):
        request_resolve(resident_request=request, by=jiegu_clerk, reply="已更换灯具")
    assert counts(city) == (1, 1, 1, 1, 1, 0)
    assert list(AreaResolveTime.objects.filter(area=city, resolved__gt=0).values_list("tenths", "resolved")) == [
        (30, 1)
    ]
    assert_as_recounted()
    # The officer transfers a new request to a community of 称多县: its counts leave 玉树市 for the county.
    with time_machine.travel(START + timedelta(days=4), tick=False):
        second = submit()
    assert counts(city) == (2, 1, 1, 1, 1, 0)
    other = Community.objects.filter(street__area=chenduo).first()
    with time_machine.travel(START + timedelta(days=4, hours=1), tick=False):
        request_transfer(resident_request=second, by=officer, note="属称多县辖区", to_community=other)
    assert counts(city) == (1, 1, 1, 1, 1, 0)
    assert counts(chenduo) == (1, 0, 0, 0, 0, 0)
    assert counts(prefecture) == (2, 1, 1, 1, 1, 0)
    assert_as_recounted()


@pytest.fixture
def requests_with_times(reference, jiegu_officer, xihang_officer, officer):
    """Seven requests in March 2026 in 玉树市 (two streets), resolved after 5 h, 1 d, 1 d 1 h, 3 d, 3.3 d,
    and two still open (one of them past its response deadline on the day the figures are read)."""
    made = []
    for i, hours in enumerate([5, 24, 25, 72, 79.2, None, None]):
        community = "shenglilu" if i % 2 else "minzhulu"
        at = START + timedelta(days=i)
        with time_machine.travel(at, tick=False):
            request = submit(community)
        if hours is not None:
            request.refresh_from_db()
            holder = officer if request.officer_id == officer.officer_id else None
            with time_machine.travel(at + timedelta(hours=hours), tick=False):
                if holder is not None:
                    request_accept(resident_request=request, by=holder)
                    request_resolve(resident_request=request, by=holder, reply="已办结")
                else:  # 胜利路社区's officer has no account here: written as the service writes it
                    with rollup.kept(request):
                        ResidentRequest.objects.filter(pk=request.pk).update(
                            status="resolved", resolved_at=at + timedelta(hours=hours), responded_at=at, reply="已办结"
                        )
        made.append(request)
    return made


def test_a_node_reads_the_rows_rates_and_the_histograms_median(requests_with_times, prefecture_admin, reference):
    prefecture, city = reference["prefecture"], reference["city"]
    role_of(prefecture_admin)
    now = START + timedelta(days=30)
    board = request_rates(
        user=prefecture_admin, year=2026, now=now, area_path=prefecture.path, child_areas=[city, reference["chenduo"]]
    )
    exact = rates_of(ResidentRequest.objects.filter(submitted_at__year=2026), now=now)
    assert (
        (board.total.received, board.total.resolved, board.total.response_due, board.total.overdue)
        == (
            exact.received,
            exact.resolved,
            exact.response_due,
            exact.overdue,
        )
        == (7, 5, 7, 2)
    )
    assert board.total.responded_in_time == exact.responded_in_time
    # The median of 5, 24, 25, 72, 79.2 hours is 25 h; the histogram's is the middle of tenth 10 (24–26.4 h).
    assert exact.median_hours == pytest.approx(25)
    assert board.total.median_hours == pytest.approx(10.5 * 2.4)
    assert abs(board.total.median_hours - statistics.median([5, 24, 25, 72, 79.2])) <= 1.2
    assert [(row.name, row.rates.received) for row in board.units] == [(city.name, 7)]
    assert board.months[2].received == 7 and board.months[3].received == 0
    assert_as_recounted()
