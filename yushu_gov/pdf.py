"""PDF documents (appointment letters, assessment sheets, talk sheets, briefings) rendered from templates with
WeasyPrint. Chinese text uses Debian's Noto CJK fonts (fonts-noto-cjk), Tibetan names Noto Serif Tibetan
(fonts-noto-core), both named in static/css/pdf.css.

A PDF rendered without a font for one of its scripts would print that script as empty boxes. Before
rendering, every script the document holds is checked against the fonts installed (fontconfig): a missing
one stops the rendering with PdfFontsMissing, which the middleware turns into a page that says so."""

import re
import subprocess
from functools import lru_cache

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.encoding import escape_uri_path
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

PDF_STYLESHEET = "css/pdf.css"

# script -> (characters of the script, one to test the fonts with, the Debian package that covers it)
SCRIPTS = {
    "chinese": (re.compile(r"[\u4e00-\u9fff]"), "中", "fonts-noto-cjk"),
    "tibetan": (re.compile(r"[\u0f00-\u0fff]"), "\u0f40", "fonts-noto-core"),
}
SCRIPT_NAMES = {"chinese": _("中文"), "tibetan": _("藏文")}


class PdfFontsMissing(Exception):
    """A script of the document has no installed font (the PDF would print boxes)."""

    def __init__(self, scripts: list[str]):
        self.scripts = scripts
        self.packages = sorted({SCRIPTS[name][2] for name in scripts})
        super().__init__(f"No font for {', '.join(scripts)}: install {' '.join(self.packages)}")

    @property
    def script_names(self) -> str:
        return "、".join(str(SCRIPT_NAMES[name]) for name in self.scripts)


@lru_cache(maxsize=16)
def font_covers(char: str) -> bool:
    """Whether an installed font covers the character (asked of fontconfig, which WeasyPrint's Pango uses).
    Cached for the life of the process: fonts are installed with the system, not while it runs."""
    try:
        result = subprocess.run(
            ["fc-list", f":charset={ord(char):x}", "family"], capture_output=True, text=True, timeout=10, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return False  # no fontconfig at all: nothing can be vouched for
    return bool(result.stdout.strip())


def missing_scripts(text: str) -> list[str]:
    return [
        name
        for name, (pattern, sample, _package) in SCRIPTS.items()
        if pattern.search(text) and not font_covers(sample)
    ]


def render_pdf(template: str, context: dict, request=None) -> bytes:
    """The template rendered to PDF bytes. The template should extend "pdf/base.html"."""
    html = render_to_string(template, context, request=request)
    missing = missing_scripts(strip_tags(html))
    if missing:
        raise PdfFontsMissing(missing)
    from weasyprint import CSS, HTML  # imported here: loading Pango costs ~0.3 s, only PDF views pay it

    stylesheet = finders.find(PDF_STYLESHEET)
    base_url = request.build_absolute_uri("/") if request is not None else str(settings.BASE_DIR)
    return HTML(string=html, base_url=base_url).write_pdf(stylesheets=[CSS(filename=stylesheet)])


def pdf_response(content: bytes, filename: str, *, inline: bool = True) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{escape_uri_path(filename)}"
    return response
