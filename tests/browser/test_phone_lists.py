"""On a 375-pixel phone: every list is a stack of cards (key field first, each value named), the filters fold
behind one button, the talk grid is one officer's year per card, the charts keep readable labels and a title,
and nothing is wider than the screen."""

from datetime import date

from playwright.sync_api import expect

from communities.models import Community, PoliceStation
from tests.factories import AppointmentFactory, OfficerFactory, WorkRecordFactory

from .conftest import PHONE, wide_elements


def _seat(name, code):
    officer = OfficerFactory(name=name, station=PoliceStation.objects.get(name="结古派出所"))
    AppointmentFactory(officer=officer, community=Community.objects.get(code=code))
    return officer


def test_lists_are_cards_with_their_filters_folded(login, demo_accounts, live_server, page):
    officer = _seat("卡片民警（演示）", "minzhulu")
    for kind in ("patrol", "visit"):
        WorkRecordFactory(officer=officer, community=officer.appointments.get().community, kind=kind,
                          occurred_on=date(2023, 5, 10), summary="一条很长的工作内容" * 6)  # fmt: skip
    page.set_viewport_size(PHONE)
    login("jiegu")
    page.goto(f"{live_server.url}/work/")
    fold = page.locator("details.filter-fold")
    expect(fold.locator("summary")).to_have_text("▸ 筛选".removeprefix("▸ "))
    expect(page.locator("form.filters")).to_be_hidden()  # nine filters behind one button
    row = page.locator("table.cards tbody tr").first
    assert row.evaluate("tr => getComputedStyle(tr).display") == "block"
    # The key field first, as the card's heading; the others named by their column.
    first = row.locator("td").first
    assert first.evaluate("td => getComputedStyle(td, '::before').content") in ("none", "normal")
    second = row.locator("td").nth(1)
    assert second.evaluate("td => getComputedStyle(td, '::before').content") == '"工作类型"'
    assert row.bounding_box()["width"] <= 375
    # The sortable columns stay, as a row of links.
    expect(page.locator("thead th.sortable").first).to_be_visible()
    fold.locator("summary").click()
    expect(page.locator("form.filters")).to_be_visible()
    assert wide_elements(page) == []
    for path in ("/officers/", "/officers/appointments/", "/talks/records/", "/officers/coverage/", "/communities/"):
        page.goto(live_server.url + path)
        assert wide_elements(page) == [], path


def test_the_talk_grid_is_one_officers_year_per_card(login, demo_accounts, live_server, page):
    officer = _seat("网格民警（演示）", "minzhulu")
    page.set_viewport_size(PHONE)
    login("jiegu")
    page.goto(f"{live_server.url}/talks/")
    card = page.locator(f'tr[data-officer="{officer.pk}"]')
    assert card.evaluate("tr => getComputedStyle(tr).display") == "grid"
    assert card.bounding_box()["width"] <= 375
    march = card.locator('td[data-month="3"]')
    assert march.evaluate("td => getComputedStyle(td, '::before').content") == '"3月"'
    expect(page.locator("table.talk-grid thead")).to_be_hidden()
    assert wide_elements(page) == []


def test_the_charts_have_titles_and_labels_readable_on_a_phone(login, demo_accounts, live_server, page):
    _seat("图表民警（演示）", "minzhulu")
    page.set_viewport_size(PHONE)
    login("bureau")
    page.goto(f"{live_server.url}/reports/")
    charts = page.locator("figure.chart")
    assert charts.count() == 4
    for index in range(4):
        chart = charts.nth(index)
        assert chart.locator("figcaption").inner_text().strip()
        # The labels' size as drawn on the screen, in CSS pixels.
        smallest = chart.locator("svg").evaluate(
            """svg => {
                const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
                const sizes = [...svg.querySelectorAll('text')].map(t => +t.getAttribute('font-size') * scale);
                return Math.min(...sizes);
            }"""
        )
        assert smallest >= 11, (index, smallest)
    assert wide_elements(page) == []
