"""Keyset paging (yushu_gov/lists/keyset.py) on the ledger, the talks and the audit log: "next page" from the
last row, "previous page" from the first, every row on exactly one page whatever the ties, no OFFSET, the
query count of a deep page that of the first, and an index that serves the audit log's order."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, transaction
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from communities.models import Community
from officers.ledger.models import WorkRecord
from officers.talks.models import MonthlyTalk
from yushu_gov.audit.models import AuditEntry
from yushu_gov.lists import keyset
from yushu_gov.lists.keyset import keyset_paginate

from ..factories import MonthlyTalkFactory

SHANGHAI_NOON = datetime(2024, 3, 1, 12, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def _walk(client, url, params=None):
    """Every page of a list by its "next" links: [[row pks of page 1], [page 2], ...] and the last page."""
    pages, params = [], dict(params or {})
    while True:
        page = client.get(url, params).context["page"]
        pages.append([row.pk for row in page])
        if not page.has_next():
            return pages, page
        params["after"] = page.next_cursor


@pytest.fixture
def many_records(jiegu_officer, reference):
    """60 patrols on 7 days: most days hold several records, so the order's tie-breaker (id) matters."""
    minzhu = Community.objects.get(name="民主路社区")
    return WorkRecord.objects.bulk_create(
        WorkRecord(
            kind=WorkRecord.Kind.PATROL,
            occurred_on=date(2024, 1, 1) + timedelta(days=i % 7),
            officer=jiegu_officer,
            community=minzhu,
            summary=f"巡逻{i}",
            status=WorkRecord.Status.DONE,
        )
        for i in range(60)
    )


def test_the_ledgers_pages_hold_every_record_once_in_order(client_for, many_records):
    client = client_for("city_admin")
    pages, last = _walk(client, reverse("work:list"))
    expected = list(WorkRecord.objects.order_by("-occurred_on", "-id").values_list("pk", flat=True))
    assert [pk for page in pages for pk in page] == expected
    assert [len(page) for page in pages] == [25, 25, 10] and last.number == 3


def test_previous_and_first_lead_back_to_the_same_pages(client_for, many_records):
    client = client_for("city_admin")
    url = reverse("work:list")
    first = client.get(url).context["page"]
    second = client.get(url, {"after": first.next_cursor}).context["page"]
    third = client.get(url, {"after": second.next_cursor})
    html = third.content.decode()
    assert 'rel="prev"' in html and "第一页" in html and 'rel="next"' not in html
    back = client.get(url, {"before": third.context["page"].previous_cursor}).context["page"]
    assert [r.pk for r in back] == [r.pk for r in second] and back.number == 2
    again = client.get(url, {"before": back.previous_cursor}).context["page"]
    assert [r.pk for r in again] == [r.pk for r in first] and again.number == 1 and not again.has_previous()
    assert "第一页" not in client.get(url).content.decode()  # the first page links to no first page


def test_a_sorted_and_filtered_list_pages_by_its_own_order(client_for, many_records, jiegu_officer):
    client = client_for("city_admin")
    params = {"sort": "-status", "kind": "patrol"}
    pages, _last = _walk(client, reverse("work:list"), params)
    expected = list(WorkRecord.objects.order_by("-status", "-pk").values_list("pk", flat=True))
    assert [pk for page in pages for pk in page] == expected
    cursor = client.get(reverse("work:list"), params).context["page"].next_cursor
    other_order = client.get(reverse("work:list"), {"sort": "occurred_on", "after": cursor}).context["page"]
    assert other_order.number == 1  # a cursor made for another order gives the first page


@pytest.mark.parametrize("cursor", ["", "x", "!!!", "W10", "a" * 700, "WyJ4IiwxLFtdXQ"])
def test_a_malformed_cursor_gives_the_first_page(client_for, many_records, cursor):
    response = client_for("city_admin").get(reverse("work:list"), {"after": cursor, "before": cursor})
    assert response.status_code == 200 and response.context["page"].number == 1


def test_the_talks_pages_hold_every_talk_once(client_for, jiegu_talk):
    for day in range(1, 30):
        MonthlyTalkFactory(
            officer=jiegu_talk.officer,
            community=jiegu_talk.community,
            held_at=SHANGHAI_NOON - timedelta(days=day % 5),  # several talks share a time: ties
            recorded_by=jiegu_talk.recorded_by,
        )
    client = client_for("jiegu_clerk")
    pages, _last = _walk(client, reverse("talks:list"), {"year": "", "month": ""})
    expected = list(MonthlyTalk.objects.alive().order_by("-held_at", "-id").values_list("pk", flat=True))
    assert [pk for page in pages for pk in page] == expected and len(pages) == 2


def _audit_entries(count: int):
    for i in range(count):
        AuditEntry.objects.create(action="test.keyset", actor_name="t", at=SHANGHAI_NOON - timedelta(minutes=i // 3))


def test_a_deep_page_of_the_audit_log_costs_the_first_pages_queries_and_no_offset(
    client_for, reference, django_assert_num_queries
):
    _audit_entries(160)
    client = client_for("auditor")
    url = reverse("audit_log")
    client.get(url)  # the navigation's to-do count, kept in the session from here on
    # The session, the user, the user's groups, the capped count, the page's 50 entries (with their actors and
    # content types), and the session saved (a savepoint, the update, its release: SESSION_SAVE_EVERY_REQUEST):
    # the same on the first page and on the fourth.
    with django_assert_num_queries(8):
        first = client.get(url, {"action": "test.keyset"}).context["page"]
    cursor = first.next_cursor
    for _ in range(2):
        cursor = client.get(url, {"action": "test.keyset", "after": cursor}).context["page"].next_cursor
    with CaptureQueriesContext(connection) as queries, django_assert_num_queries(8):
        fourth = client.get(url, {"action": "test.keyset", "after": cursor}).context["page"]
    assert fourth.number == 4 and len(fourth) == 10 and not fourth.has_next()
    assert not any("OFFSET" in q["sql"].upper() for q in queries.captured_queries)
    everything = AuditEntry.objects.filter(action="test.keyset").order_by("-at", "-id")
    assert [e.pk for e in fourth] == list(everything.values_list("pk", flat=True)[150:])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the planner's choice of index is PostgreSQL's")
def test_an_index_serves_the_audit_logs_deep_pages(reference):
    _audit_entries(30)
    entries = AuditEntry.objects.order_by("-at", "-id")
    order = ["-at", "-id"]
    last = entries[9]
    condition = keyset.beyond(order, [last.at, last.pk])
    with transaction.atomic(), connection.cursor() as cursor:
        # A few rows: the planner would read them all and sort; forbid that to see what it can use instead.
        cursor.execute("SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off; SET LOCAL enable_sort = off")
        plan = entries.filter(condition)[:51].explain()
    assert "Index Scan Backward using audit_at_id" in plan and "Sort" not in plan  # the index's order, no sort
    assert "Index Cond" in plan  # the scan starts at the cursor, it does not filter from the first row


def test_an_order_without_a_unique_last_field_or_with_a_nullable_field_is_refused(reference):
    request = RequestFactory().get("/")
    with pytest.raises(ValueError, match="primary key last"):
        keyset_paginate(request, Community.objects.order_by("sort_order"))
    with pytest.raises(ValueError, match="non-null"):
        keyset_paginate(request, WorkRecord.objects.order_by("created_by__username", "pk"))


@pytest.mark.parametrize("sort", ["occurred_on", "-kind", "community", "-officer", "status"])
def test_every_sortable_column_of_the_ledger_pages_without_a_gap(client_for, many_records, xihang_officer, sort):
    xinjian = Community.objects.get(name="新建路社区")
    for record in many_records[::3]:  # a second community and officer, so that the joined columns tie and differ
        record.community, record.officer = xinjian, xihang_officer
    WorkRecord.objects.bulk_update(many_records[::3], ["community", "officer"])
    client = client_for("city_admin")
    pages, _last = _walk(client, reverse("work:list"), {"sort": sort})
    walked = [pk for page in pages for pk in page]
    assert sorted(walked) == sorted(r.pk for r in many_records) and len(set(walked)) == len(walked)
    columns = {
        "occurred_on": ["occurred_on"],
        "-kind": ["-kind"],
        "community": ["community__street__sort_order", "community__sort_order"],
        "-officer": ["-officer__name_pinyin"],
        "status": ["status"],
    }[sort]
    tie = "-pk" if sort.startswith("-") else "pk"
    assert walked == list(WorkRecord.objects.order_by(*columns, tie).values_list("pk", flat=True))
