"""The dashboard (统计分析) and the year-end briefing (年度简报), page and PDF. Thin: the figures come from
selectors.py, the charts from charts.py."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from officers.resident_requests.selectors import request_rates
from yushu_gov.access.rights import require
from yushu_gov.access.roles import AREA_ROLES, role_of
from yushu_gov.audit.log import audit_export
from yushu_gov.documents.pdf import pdf_response, render_pdf
from yushu_gov.input.months import MAX_YEAR, MIN_YEAR, month_label, year_label
from yushu_gov.lists.params import int_param
from yushu_gov.replicas.routing import replica_reads

from . import charts
from . import selectors as reports

FIRST_YEAR = 2022  # the programme's first appointments


def _dashboard_for(request) -> reports.Dashboard:
    """The level switch (?year=&area=&street=&community=&page=, reports/_level_form.html): a value that is not
    a whole number in range means "not chosen"."""
    year = int_param(request.GET, "year", low=MIN_YEAR, high=MAX_YEAR)
    board = reports.dashboard(
        user=request.user,
        year=year or reports.latest_year(request.user) or timezone.localdate().year,
        street_id=int_param(request.GET, "street"),
        community_id=int_param(request.GET, "community"),
        area_id=int_param(request.GET, "area"),
        page=int_param(request.GET, "page", low=1, high=10_000) or 1,
    )
    if board.level == "city" and role_of(request.user) not in AREA_ROLES:
        board.title = _("本辖区") + "（" + "、".join(s.name for s in board.streets) + "）"
        board.total.name = board.title
    return board


def _years(board) -> list[int]:
    last = max(timezone.localdate().year, board.year)
    return list(range(min(FIRST_YEAR, board.year), last + 1))


def _at_level(board, query: dict) -> dict:
    """A list's query narrowed to the board's level: its community, its street, or its node of the tree."""
    if board.community is not None:
        query["community"] = board.community.pk
    elif board.street is not None:
        query["street"] = board.street.pk
    elif board.area is not None:
        query["area"] = board.area.pk
    return query


def _records_url(board, **params) -> str:
    """The work ledger filtered to the records behind a figure."""
    query = {"date_from": f"{board.year}-01-01", "date_to": f"{board.year}-12-31", **params}
    return f"{reverse('work:list')}?{urlencode(_at_level(board, query))}"


def _request_rates(request, board, *, breakdown: bool = True):
    """The residents' requests' rates at the board's level and year (officers/resident_requests/selectors.py)."""
    return request_rates(
        user=request.user,
        year=board.year,
        street_id=board.street.pk if board.level == "street" else None,
        community_id=board.community.pk if board.community is not None else None,
        breakdown=breakdown,
        # One row per officer within one street at most: city-wide, a province has thousands.
        per_officer=board.level != "city" or (len(board.streets) <= 1 and not board.child_areas),
        area_path=board.area.path if board.level == "city" and board.area is not None else None,
        # the node's children on the page shown, side by side
        child_areas=[child for child in board.child_areas if child.pk in {u.area_id for u in board.units}],
    )


def _requests_url(board, **params) -> str:
    """The residents' requests behind a figure: the year's, at the board's level."""
    query = {"year": board.year, **params}
    return f"{reverse('requests:list')}?{urlencode(_at_level(board, query))}"


def _month_labels() -> list[str]:
    return [month_label(m) for m in range(1, 13)]


@login_required
@replica_reads
def dashboard(request):
    require(request.user, "report.view")
    board = _dashboard_for(request)
    outcomes = board.total.outcomes
    kinds = [(label, outcomes.by_kind[value], outcomes.done_by_kind[value]) for value, label in reports.KINDS.choices]
    severities = [(value, label, outcomes.disputes_by_severity[value]) for value, label in reports.SEVERITIES.choices]
    month_rows = [
        (label, board.months_last_year[i], board.months_this_year[i]) for i, label in enumerate(_month_labels())
    ]
    context = {
        "board": board,
        "years": _years(board),
        "kinds": kinds,
        "severities": severities,
        "month_rows": month_rows,
        "kind_links": {value: _records_url(board, kind=value) for value in reports.KINDS.values},
        "kind_chart": charts.bar_chart(
            [(label, count) for label, count, _done in kinds], title=_("各类工作记录数分布")
        ),
        "severity_chart": charts.bar_chart(
            [(label, count) for _value, label, count in severities],
            title=_("矛盾纠纷等级分布"),
            colours=[charts.SEVERITY_COLOURS[value] for value, _label, _count in severities],
        ),
        "calls_chart": charts.month_chart(
            board.months_this_year,
            board.months_last_year,
            title=_("警情接报数按月对比"),
            labels=(year_label(board.year - 1), year_label(board.year)),
            month_labels=_month_labels(),
        ),
        "coverage_chart": charts.bar_chart(
            [(unit.name, unit.covered) for unit in board.units], title=_("有在任副书记的社区数")
        ),
    }
    rates = _request_rates(request, board)
    context.update(
        requests=rates,
        requests_url=_requests_url(board),
        request_months=list(zip(_month_labels(), rates.months, strict=True)),
    )
    return render(request, "reports/dashboard.html", context)


def _briefing_context(request) -> dict:
    board = _dashboard_for(request)
    outcomes = board.total.outcomes
    calls = board.total.calls

    def link(value, url):
        return format_html('<a href="{}" class="figure">{}</a>', url, value)

    level = {"street": board.street.pk} if board.street else {"area": board.area.pk} if board.area else {}
    officers_url = reverse("officers:list") + (f"?{urlencode(level)}" if level else "")
    change = calls.change_percent
    rates = _request_rates(request, board, breakdown=False).total
    aid_text = f"{outcomes.aid_amount:,.2f}"  # the same figure, written the same way, in the text and the table
    return {
        "lead": _lead(board),
        "comparison": _comparison(board),
        "requests_resolved": link(rates.resolved, _requests_url(board, state="done")),
        "requests": rates,
        "board": board,
        "years": _years(board),
        "officers": link(board.total.covered, officers_url),
        "communities": board.total.communities,
        "difficulties": link(outcomes.difficulties_solved, _records_url(board, kind="difficulty", status="done")),
        "disputes": link(
            outcomes.disputes_resolved, _records_url(board, kind="dispute", status="done", outcome="resolved")
        ),
        "cases": link(outcomes.cases_handled, _records_url(board, kind="case", status="done")),
        "aid": link(aid_text, _records_url(board, kind="aid")),
        "aid_text": aid_text,
        "change_text": _change_text(change),
        "calls_url": f"{reverse('communities:police_calls')}?year={board.year}",
        "change": change,
        "change_abs": abs(change) if change is not None else None,
        "calls": calls,
    }


def _lead(board) -> str:
    """Whom the briefing speaks of, written for its level: 玉树藏族自治州所辖6个市（县）, 称多县, 结古街道."""
    if board.children == "areas":
        return _("%(node)s所辖%(n)s个%(units)s") % {
            "node": board.title,
            "n": len(board.child_areas),
            "units": board.unit_label,
        }
    return board.title


def _comparison(board) -> str:
    """At a node with several children, the sentence that compares them: the widest coverage, the largest fall
    in police calls. Empty below (a street's communities are in the table)."""
    units = [unit for unit in board.all_units if unit.communities]
    if board.level != "city" or len(units) < 2:
        return ""
    best = max(units, key=lambda u: (u.covered / u.communities, u.communities))
    text = _("各%(units)s中，在任副书记覆盖社区比例最高的是%(best)s（%(covered)s/%(communities)s）") % {
        "units": board.unit_label,
        "best": best.name,
        "covered": best.covered,
        "communities": best.communities,
    }
    falls = [u for u in units if u.calls.change_percent is not None and u.calls.change_percent < 0]
    if falls:
        most = min(falls, key=lambda u: u.calls.change_percent)
        text += _("，警情接报数同比降幅最大的是%(name)s（下降%(value)s%%）") % {
            "name": most.name,
            "value": abs(most.calls.change_percent),
        }
    return text + pgettext("end of a sentence", "。")


def _change_text(change) -> str:
    """下降73.67% / 上升5.00% / 持平: the year-on-year change as the briefing's sentence writes it."""
    if change is None:
        return "—"
    if change < 0:
        return _("下降%(value)s%%") % {"value": abs(change)}
    if change > 0:
        return _("上升%(value)s%%") % {"value": change}
    return _("持平")


@login_required
@replica_reads
def briefing(request):
    require(request.user, "report.view")
    context = _briefing_context(request)
    context["query"] = request.GET.urlencode()
    return render(request, "reports/briefing.html", context)


@login_required
@replica_reads
def briefing_pdf(request):
    require(request.user, "report.view")
    context = _briefing_context(request)
    board = context["board"]
    context["generated_on"] = timezone.localdate()
    content = render_pdf("reports/briefing_pdf.html", context, request=request)
    audit_export(actor=request.user, what="reports.briefing_pdf", filters=request.GET.dict(), request=request)
    return pdf_response(content, f"{board.year}年度工作简报_{board.title}.pdf", inline=False)
