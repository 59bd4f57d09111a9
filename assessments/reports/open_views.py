"""The open figures (公开数据), without a login: the page, and the same rows as CSV and JSON, paged by
communities (≤ 1,000 rows a page, the next page in the Link header and in the JSON). Thin: the rows come from
open_figures.py."""

import csv
import io
import json

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from yushu_gov.lists.params import int_param
from yushu_gov.replicas.routing import replica_reads

from .open_figures import COLUMNS, DEFINITIONS, communities_in_order, open_figures

MAX_PAGE = 1000


def _page(request):
    """The page asked for (?page=, a number out of range reads as the first) and the figures on it."""
    page = int_param(request.GET, "page", high=MAX_PAGE) or 1
    return open_figures(page=page)


def _next_url(request, figures, name: str) -> str | None:
    if not figures.has_next:
        return None
    return request.build_absolute_uri(reverse(name)) + f"?page={figures.page + 1}"


def _with_link(response, url: str | None):
    if url:
        response["Link"] = f'<{url}>; rel="next"'
    return response


@replica_reads
def figures_page(request):
    """One community's 24 months (?community=code, the first in the directory's order by default), with
    how each figure is computed and the downloads."""
    communities = list(communities_in_order().values("code", "name", "street__name"))
    code = (request.GET.get("community") or "")[:40]
    known = {c["code"] for c in communities}
    code = code if code in known else (communities[0]["code"] if communities else "")
    figures = open_figures(community_code=code)
    context = {
        "communities": communities,
        "chosen": code,
        "rows": figures.rows,
        "definitions": [(column, DEFINITIONS[column]) for column in COLUMNS if column in DEFINITIONS],
    }
    return render(request, "reports/open_figures.html", context)


@replica_reads
def figures_csv(request):
    figures = _page(request)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for row in figures.rows:
        writer.writerow(["" if value is None else value for value in row.as_dict().values()])
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="open-figures-{figures.page}.csv"'
    return _with_link(response, _next_url(request, figures, "open_figures:csv"))


@replica_reads
def figures_json(request):
    figures = _page(request)
    next_url = _next_url(request, figures, "open_figures:json")
    data = {
        "title": _("玉树市各社区群众诉求与警情月度数据"),
        "months": [f"{year}-{month:02d}" for year, month in figures.months],
        "definitions": {column: str(text) for column, text in DEFINITIONS.items()},
        "page": figures.page,
        "next": next_url,
        "rows": [row.as_dict() for row in figures.rows],
    }
    response = HttpResponse(json.dumps(data, ensure_ascii=False), content_type="application/json; charset=utf-8")
    return _with_link(response, next_url)
