"""Print: a one-record PDF (a talk sheet, an assessment sheet) fits on one page when its content allows; the
briefing PDF underlines no link and writes each figure the same way in its text and its table."""

import re
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfReader

from assessments.demo import ledger as demo_ledger
from assessments.demo import officers as officers_demo
from communities.models import Community
from tests.factories import MonthlyTalkFactory


def pages(response) -> list[str]:
    assert response["Content-Type"] == "application/pdf"
    return [re.sub(r"\s+", "", page.extract_text()) for page in PdfReader(BytesIO(response.content)).pages]


@pytest.mark.parametrize("length", [60, 400])
def test_a_talk_sheet_fits_on_one_page(length, jiegu_officer, client_for):
    talk = MonthlyTalkFactory(
        officer=jiegu_officer,
        community=Community.objects.get(code="minzhulu"),
        content="了解近期社区党支部工作开展情况。" * (length // 15),
        officer_views="希望协调解决警务室办公设备不足的问题。" * (length // 60 + 1),
        follow_up="由街道党工委协调社区落实。" * (length // 60 + 1),
    )
    text = pages(client_for("jiegu_clerk").get(reverse("talks:sheet", args=[talk.pk])))
    assert len(text) == 1 and "谈心谈话记录表" in text[0]


def test_an_assessment_sheet_fits_on_one_page(jiegu_assessment, client_for):
    jiegu_assessment.performance_score = Decimal("92.50")
    jiegu_assessment.save()
    text = pages(client_for("bureau").get(reverse("assessments:sheet", args=[jiegu_assessment.pk])))
    assert len(text) == 1 and "考核登记表" in text[0]


@pytest.fixture
def demo(reference, city_admin):
    officers_demo.load(by=city_admin)
    return demo_ledger.load(by=city_admin)


def test_the_briefing_pdf_writes_each_figure_alike_and_underlines_no_link(demo, client_for):
    from django.contrib.staticfiles import finders
    from weasyprint import CSS, HTML

    text = "".join(pages(client_for("bureau").get(reverse("reports:briefing_pdf"), {"year": 2023})))
    text = re.sub(r"\s+", "", text)
    amount = re.search(r"发放帮扶慰问金([\d,.]+)元", text).group(1)
    assert "," in amount and amount.endswith(".00")  # 12,345.00, as the table writes it
    assert f"帮扶慰问金（元）{amount}" in text
    assert "同比下降73.67%" in text and "警情接报数同比下降73.67%" in text

    html = client_for("bureau").get(reverse("reports:briefing"), {"year": 2023}).content.decode()
    paragraph = re.search(r'<p class="briefing-text">.*?</p>', html, re.S).group(0)
    assert paragraph.count("<a ") >= 4  # the figures link to their records on screen
    document = HTML(string=f"<html><body>{paragraph}</body></html>").render(
        stylesheets=[CSS(filename=finders.find("css/pdf.css"))]
    )

    def boxes(box):
        yield box
        for child in getattr(box, "children", []):
            yield from boxes(child)

    links = [b for page in document.pages for b in boxes(page._page_box) if getattr(b, "element_tag", "") == "a"]
    assert links and all(
        not b.style["text_decoration_line"] or b.style["text_decoration_line"] == "none" for b in links
    )
