"""The talk ledger (.xlsx) holds exactly the street's rows; the home pages remind the street clerk of the
officers still without a talk this month and show the city administrator the overdue count per street."""

from datetime import date, datetime, timedelta
from io import BytesIO

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from communities.models import Community
from officers.talks.exports import LEDGER_HEADERS
from tests.conftest import download_export
from tests.factories import (
    AppointmentFactory,
    CommunityFactory,
    MonthlyTalkFactory,
    OfficerFactory,
    StreetFactory,
)
from yushu_gov.input.months import SHANGHAI


def talks_in_both_streets(jiegu_officer, xihang_officer, year):
    minzhu, shengli = Community.objects.get(name="民主路社区"), Community.objects.get(name="胜利路社区")
    for month in (1, 2, 3):
        MonthlyTalkFactory(
            officer=jiegu_officer, community=minzhu, held_at=datetime(year, month, 5, 9, tzinfo=SHANGHAI)
        )
    for month in (1, 2):
        MonthlyTalkFactory(
            officer=xihang_officer, community=shengli, held_at=datetime(year, month, 6, 9, tzinfo=SHANGHAI)
        )
    # Not in the ledger: another year, and a deleted talk.
    MonthlyTalkFactory(officer=jiegu_officer, community=minzhu, held_at=datetime(year - 1, 12, 5, tzinfo=SHANGHAI))
    MonthlyTalkFactory(
        officer=jiegu_officer,
        community=minzhu,
        held_at=datetime(year, 4, 5, tzinfo=SHANGHAI),
        deleted_at=timezone.now(),
        deleted_by=jiegu_officer.talks.first().recorded_by,
        delete_reason="重复",
    )


def sheet_of(response):
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(BytesIO(response.content)).active


def test_the_clerks_ledger_holds_exactly_the_streets_rows(client_for, jiegu_officer, xihang_officer):
    talks_in_both_streets(jiegu_officer, xihang_officer, 2026)
    response = download_export(client_for("jiegu_clerk"), reverse("talks:ledger"), {"year": 2026})
    assert "%E7%BB%93%E5%8F%A4%E8%A1%97%E9%81%93_2026.xlsx" in response["Content-Disposition"]  # 结古街道_2026
    sheet = sheet_of(response)
    assert [c.value for c in sheet[1]] == LEDGER_HEADERS
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 3
    assert {r[3] for r in rows} == {"结古街道"}
    assert [r[1].month for r in rows] == [1, 2, 3]
    assert rows[0][5] == "测试民警甲" and rows[0][11] == "社区基层党建"


def test_the_city_admin_exports_one_street_or_all(client_for, jiegu_officer, xihang_officer):
    talks_in_both_streets(jiegu_officer, xihang_officer, 2026)
    admin = client_for("city_admin")
    xihang = Community.objects.get(name="胜利路社区").street
    rows = list(
        sheet_of(download_export(admin, reverse("talks:ledger"), {"year": 2026, "street": xihang.pk})).iter_rows(
            min_row=2, values_only=True
        )
    )
    assert [(r[3], r[5]) for r in rows] == [("西杭街道", "测试民警乙")] * 2
    everything = list(
        sheet_of(download_export(admin, reverse("talks:ledger"), {"year": 2026})).iter_rows(min_row=2, values_only=True)
    )
    assert len(everything) == 5


def test_the_station_leaders_ledger_has_only_their_officers(client_for, jiegu_officer, xihang_officer):
    talks_in_both_streets(jiegu_officer, xihang_officer, 2026)
    rows = list(
        sheet_of(download_export(client_for("station_leader"), reverse("talks:ledger"), {"year": 2026})).iter_rows(
            min_row=2, values_only=True
        )
    )
    assert {r[5] for r in rows} == {"测试民警甲"}


def test_the_clerks_home_page_lists_officers_without_a_talk_this_month(client_for, jiegu_officer, reference):
    from tests.factories import AppointmentFactory, OfficerFactory

    other = OfficerFactory(name="测试民警丙", station=reference["jiegu_station"])
    AppointmentFactory(officer=other, community=Community.objects.get(name="新建路社区"))
    today = timezone.localdate()
    MonthlyTalkFactory(
        officer=jiegu_officer,
        community=Community.objects.get(name="民主路社区"),
        held_at=datetime(today.year, today.month, 1, tzinfo=SHANGHAI),
    )
    [panel] = [p for p in client_for("jiegu_clerk").get(reverse("home")).context["panels"] if "waiting" in p]
    assert [row.officer_name for row in panel["waiting"]] == ["测试民警丙"]
    assert (panel["month_total"].held, panel["month_total"].due) == (1, 2)
    page = client_for("jiegu_clerk").get(reverse("home")).content.decode()
    assert "测试民警丙" in page and f"{reverse('talks:create')}?officer={other.pk}" in page


def test_the_city_admins_home_page_shows_overdue_per_street(client_for, jiegu_officer, xihang_officer):
    today = timezone.localdate()
    # 结古: every past month this year talked; 西杭: none.
    for month in range(1, today.month):
        MonthlyTalkFactory(
            officer=jiegu_officer,
            community=Community.objects.get(name="民主路社区"),
            held_at=datetime(today.year, month, 10, tzinfo=SHANGHAI),
        )
    [panel] = [p for p in client_for("city_admin").get(reverse("home")).context["panels"] if "streets" in p]
    overdue = {block.street_name: block.year.overdue for block in panel["streets"]}
    assert overdue == {"结古街道": 0, "西杭街道": today.month - 1}
    # Other roles do not get the panels.
    assert not [p for p in client_for("bureau").get(reverse("home")).context["panels"] if "streets" in p]
    assert not [p for p in client_for("station_leader").get(reverse("home")).context["panels"] if "waiting" in p]


def test_the_list_filters_by_officer_and_month(client_for, jiegu_officer):
    minzhu = Community.objects.get(name="民主路社区")
    MonthlyTalkFactory(officer=jiegu_officer, community=minzhu, held_at=datetime(2026, 3, 1, 0, 30, tzinfo=SHANGHAI))
    MonthlyTalkFactory(
        officer=jiegu_officer, community=minzhu, held_at=datetime(2026, 3, 1, tzinfo=SHANGHAI) - timedelta(minutes=1)
    )
    page = (
        client_for("jiegu_clerk")
        .get(reverse("talks:list"), {"officer": jiegu_officer.pk, "year": 2026, "month": 3})
        .context["page"]
    )
    assert [t.held_at for t in page] == [datetime(2026, 3, 1, 0, 30, tzinfo=SHANGHAI)]


def test_the_list_and_the_clerks_home_page_keep_their_query_counts(
    client_for, jiegu_officer, django_assert_num_queries
):
    minzhu = Community.objects.get(name="民主路社区")
    client = client_for("jiegu_clerk")
    client.get(reverse("talks:list"))  # warm the session and content types
    for extra in (1, 30):
        for day in range(extra):
            MonthlyTalkFactory(
                officer=jiegu_officer,
                community=minzhu,
                held_at=datetime(2026, 1, 1, tzinfo=SHANGHAI) + timedelta(hours=day),
            )
        # session, user, groups (role), the filter form's streets (the officer is a search-as-you-type field:
        # no options to read), the capped count, the page of talks with officer, community and street, and
        # the session renewal (savepoint, update, release)
        with django_assert_num_queries(9):
            client.get(reverse("talks:list"))
        # session, user, groups; the to-do list: appointments waiting, communities without a deputy, serving
        # deputies without consent to the directory, the year's serving periods and talks (shared with the
        # reminder panel), assessments waiting, residents' requests overdue; the officers panel's 3 counts; the
        # assessment panel's latest year (no year yet, so no per-state counts); the session renewal (3)
        with django_assert_num_queries(17):
            client.get(reverse("home"))


def test_a_province_of_streets_comes_a_page_at_a_time(client_for, reference, jiegu_officer):
    """25 more streets, each with a serving officer and no talk (and 结古 with jiegu_officer): the grid's
    summary shows 20 a page (the page holding the street shown), the totals stay the whole scope's; the home
    page lists the 10 streets with the most overdue months and says how many it leaves out."""
    today = timezone.localdate()
    for n in range(25):
        street = StreetFactory(code=f"extra-{n}", name=f"演示街道{n:02d}", area=reference["city"], sort_order=100 + n)
        community = CommunityFactory(street=street)
        officer = OfficerFactory(name=f"演示民警{n:02d}", station=reference["jiegu_station"])
        AppointmentFactory(officer=officer, community=community, started_on=date(today.year - 1, 1, 1))
    client = client_for("city_admin")
    response = client.get(reverse("talks:grid"))
    summary = response.context["summary"]
    assert (summary.number, summary.paginator.num_pages, len(summary.object_list)) == (1, 2, 20)
    assert len(response.context["grid"].streets) == 1 + 25  # 结古 and the new ones: the totals count them all
    last = response.context["grid"].streets[-1]
    on_its_page = client.get(reverse("talks:grid"), {"street": last.street_id}).context["summary"]
    assert on_its_page.number == 2 and last.street_id in [block.street_id for block in on_its_page]
    assert "第 1 / 2 页" in response.content.decode()
    [panel] = [p for p in client.get(reverse("home")).context["panels"] if "streets" in p]
    assert len(panel["streets"]) == 10 and panel["more"] == 1 + 25 - 10
    overdue = [block.year.overdue for block in panel["streets"]]
    assert overdue == sorted(overdue, reverse=True)
