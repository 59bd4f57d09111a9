"""PDF documents (appointment letters, assessment sheets, briefings) rendered from templates with
WeasyPrint. Chinese text uses Debian's Noto CJK fonts (fonts-noto-cjk), named in static/css/pdf.css."""

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.encoding import escape_uri_path

PDF_STYLESHEET = "css/pdf.css"


def render_pdf(template: str, context: dict, request=None) -> bytes:
    """The template rendered to PDF bytes. The template should extend "pdf/base.html"."""
    from weasyprint import CSS, HTML  # imported here: loading Pango costs ~0.3 s, only PDF views pay it

    html = render_to_string(template, context, request=request)
    stylesheet = finders.find(PDF_STYLESHEET)
    base_url = request.build_absolute_uri("/") if request is not None else str(settings.BASE_DIR)
    return HTML(string=html, base_url=base_url).write_pdf(stylesheets=[CSS(filename=stylesheet)])


def pdf_response(content: bytes, filename: str, *, inline: bool = True) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{escape_uri_path(filename)}"
    return response
