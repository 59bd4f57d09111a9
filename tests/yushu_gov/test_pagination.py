"""Pages without a full COUNT (yushu_gov/lists/pagination.py): exact totals up to the cap, an estimate or "1,000 条以上"
beyond it, the next page known from one extra row, page numbers bounded."""

from datetime import date, timedelta

import pytest
from django.test import RequestFactory
from django.urls import reverse

from communities.models import Community
from officers.ledger.models import WorkRecord
from yushu_gov.lists import pagination
from yushu_gov.lists.pagination import COUNT_CAP, MAX_PAGE, paginate

from ..factories import WorkRecordFactory


def _page(number, *, per_page=5, cap=10):
    request = RequestFactory().get("/", {"page": number} if number is not None else {})
    return paginate(request, Community.objects.filter(street__area__code="yushu").order_by("pk"), per_page, cap=cap)


def test_below_the_cap_the_total_and_the_pages_are_exact(reference, django_assert_num_queries):
    with django_assert_num_queries(2):  # the capped count and the page's rows
        page = _page(2, cap=100)
    assert page.paginator.count_exact and page.paginator.count == 18 and page.paginator.num_pages == 4
    city = Community.objects.filter(street__area__code="yushu").order_by("pk")
    assert [c.pk for c in page] == list(city.values_list("pk", flat=True)[5:10])
    assert page.has_previous() and page.has_next() and (page.start_index(), page.end_index()) == (6, 10)
    assert _page(99, cap=100).number == 4  # beyond the last page: the last page, as Django's get_page
    assert _page("x", cap=100).number == 1 and _page(None, cap=100).number == 1 and _page(-3, cap=100).number == 1


def test_above_the_cap_no_total_is_claimed_and_the_next_page_comes_from_one_more_row(reference):
    page = _page(3, cap=10)  # 18 communities, a cap of 10
    assert not page.paginator.count_exact and page.paginator.num_pages is None
    assert len(page) == 5 and page.has_next()
    last = _page(4, cap=10)
    assert len(last) == 3 and not last.has_next() and last.has_previous()
    assert len(_page(5, cap=10)) == 0  # past the end of an uncounted list: an empty page that leads back
    assert _page(10**9, cap=10).number == MAX_PAGE  # an OFFSET never grows without bound


def test_an_empty_list_reads_no_rows(reference, django_assert_num_queries):
    request = RequestFactory().get("/")
    with django_assert_num_queries(1):
        page = paginate(request, Community.objects.filter(pk=0), 5)
    assert page.paginator.count == 0 and list(page) == [] and not page.has_other_pages()


@pytest.mark.django_db
def test_a_long_ledger_says_how_many_without_counting_them(client_for, jiegu_officer, reference):
    minzhu = Community.objects.get(name="民主路社区")
    record = WorkRecordFactory.build(officer=jiegu_officer, community=minzhu)
    WorkRecord.objects.bulk_create(
        WorkRecord(
            kind=record.kind,
            occurred_on=date(2023, 1, 1) + timedelta(days=i % 700),
            officer=jiegu_officer,
            community=minzhu,
            summary=f"巡逻{i}",
            status=record.status,
        )
        for i in range(COUNT_CAP + 30)
    )
    client = client_for("city_admin")
    second = client.get(reverse("work:list")).context["page"].next_cursor  # the ledger pages by keyset
    third = client.get(reverse("work:list"), {"after": second}).context["page"].next_cursor
    response = client.get(reverse("work:list"), {"after": third})
    page = response.context["page"]
    assert not page.paginator.count_exact and page.paginator.count >= COUNT_CAP
    assert len(page) == 25 and page.has_next() and page.number == 3
    html = response.content.decode()
    assert "条以上" in html or "约 " in html  # the planner's estimate on PostgreSQL, the cap elsewhere
    assert "第 3 页" in html and 'rel="next"' in html and 'rel="prev"' in html
    assert "共 1" not in html  # no exact total is claimed


def test_the_estimate_is_postgresqls_and_none_elsewhere(reference):
    estimate = pagination.row_estimate(Community.objects.all())
    from django.db import connection

    if connection.vendor == "postgresql":
        assert isinstance(estimate, int) and estimate >= 0
    else:
        assert estimate is None
