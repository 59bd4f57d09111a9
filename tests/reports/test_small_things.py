"""The dashboard says "各类工作数量" once and writes amounts as the briefing does (19,400.00); the briefing
defines its two figures of residents' difficulties and says how they relate."""

import re

import pytest
from django.urls import reverse

from assessments.demo import ledger as demo_ledger
from assessments.demo import officers as officers_demo


@pytest.fixture
def demo(reference, city_admin):
    officers_demo.load(by=city_admin)
    return demo_ledger.load(by=city_admin)


def test_the_dashboard_has_one_heading_per_chart_and_the_briefings_number_format(demo, client_for):
    client = client_for("bureau")
    html = client.get(reverse("reports:dashboard"), {"year": 2023}).content.decode()
    assert html.count("各类工作数量") == 1
    amount = re.search(r'id="fig-aid-amount">([^<]+)<', html).group(1)
    briefing = client.get(reverse("reports:briefing"), {"year": 2023}).content.decode()
    assert "," in amount and amount in briefing  # 12,345.00 in both


def test_the_briefing_defines_its_two_figures_and_how_they_relate(demo, client_for):
    html = client_for("bureau").get(reverse("reports:briefing"), {"year": 2023}).content.decode()
    definitions = html[html.index('class="briefing-definitions"') :]
    assert "“为民办实事/解决实际困难”类、已办结的记录数" in definitions
    assert "是前者来源之一" in definitions and "不能相减或比较" in definitions
