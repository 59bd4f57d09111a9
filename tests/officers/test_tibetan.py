"""Tibetan names (藏文姓名 / 藏文名称): optional, written in Tibetan script, shown beside the Chinese in the public
directory and on the contact card, and printed in PDFs with an embedded Tibetan font — or, without the font,
not printed at all but explained."""

from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from communities.models import Community
from officers.models import Officer
from tests.conftest import close_download
from tests.factories import MonthlyTalkFactory
from yushu_gov.documents import pdf
from yushu_gov.input.tibetan import tsheg_breaks

TASHI = "བཀྲ་ཤིས་རྡོ་རྗེ།"
MINZHU = "དམངས་གཙོ་ལམ་སྡོད་ཁུལ།"


@pytest.fixture
def tibetan_names(jiegu_officer):
    # Named in Tibetan, and consenting to the public directory (PIPL), which is where the name shows.
    Officer.objects.filter(pk=jiegu_officer.pk).update(name_bo=TASHI, directory_consent_at=timezone.now())
    Community.objects.filter(code="minzhulu").update(name_bo=MINZHU)
    jiegu_officer.refresh_from_db()
    return jiegu_officer


def test_a_tibetan_name_is_written_in_tibetan_script(jiegu_officer):
    jiegu_officer.name_bo = "扎西多杰"
    with pytest.raises(ValidationError) as caught:
        jiegu_officer.full_clean()
    assert caught.value.message_dict["name_bo"] == ["请用藏文书写（只能包含藏文字符和空格）。"]
    jiegu_officer.name_bo = TASHI
    jiegu_officer.full_clean()


def test_the_officer_form_has_the_field(client_for, jiegu_officer):
    html = client_for("city_admin").get(reverse("officers:edit", args=[jiegu_officer.pk])).content.decode()
    assert 'name="name_bo"' in html and "藏文姓名" in html


def test_the_directory_and_the_card_show_it_beside_the_chinese(tibetan_names, client):
    for url in (
        reverse("directory:index"),
        reverse("directory:community", args=["minzhulu"]),
        reverse("directory:card", args=["minzhulu"]),
    ):
        html = client.get(url).content.decode()
        # With a line-break opportunity after each tsheg (yushu_gov/input/tibetan.py: tsheg_breaks).
        assert f'<span lang="bo" class="tibetan">{tsheg_breaks(TASHI)}</span>' in html, url
        assert f'<span lang="bo" class="tibetan">{tsheg_breaks(MINZHU)}</span>' in html, url
        assert "测试民警甲" in html and "民主路社区" in html


def _font_names(content: bytes) -> set[str]:
    names = set()
    for page in PdfReader(BytesIO(content)).pages:
        fonts = page["/Resources"].get("/Font", {})
        for font in fonts.values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


def test_a_pdf_embeds_a_tibetan_font_for_a_tibetan_name(tibetan_names, jiegu_clerk, client_for):
    talk = MonthlyTalkFactory(officer=tibetan_names, community=Community.objects.get(code="minzhulu"))
    response = client_for("jiegu_clerk").get(reverse("talks:sheet", args=[talk.pk]))
    assert response.status_code == 200
    fonts = _font_names(response.content)
    assert any("Tibetan" in name for name in fonts), fonts
    assert any("CJK" in name for name in fonts), fonts


def test_a_pdf_without_its_font_is_not_printed_but_explained(tibetan_names, client_for, monkeypatch):
    monkeypatch.setattr(pdf, "font_covers", lambda char: char != "\u0f40")  # no font covers Tibetan
    talk = MonthlyTalkFactory(officer=tibetan_names, community=Community.objects.get(code="minzhulu"))
    response = client_for("jiegu_clerk").get(reverse("talks:sheet", args=[talk.pk]))
    close_download(response)
    assert response.status_code == 503
    html = response.content.decode()
    assert "服务器缺少打印藏文所需的字体" in html and "fonts-noto-core" in html
    assert response["Content-Type"].startswith("text/html")


def test_without_a_chinese_font_no_pdf_is_printed_either(jiegu_assessment, client_for, monkeypatch):
    monkeypatch.setattr(pdf, "font_covers", lambda char: False)
    response = client_for("bureau").get(reverse("assessments:sheet", args=[jiegu_assessment.pk]))
    assert response.status_code == 503 and "fonts-noto-cjk" in response.content.decode()


def test_the_font_check_asks_fontconfig():
    pdf.font_covers.cache_clear()
    assert pdf.font_covers("中") is True  # fonts-noto-cjk
    assert pdf.font_covers("\u0f40") is True  # fonts-noto-core: Noto Serif Tibetan
