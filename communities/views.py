from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, Sum
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from yushu_gov.access.rights import can, require
from yushu_gov.audit.log import audit_export
from yushu_gov.documents.xlsx import data_rows, xlsx_response
from yushu_gov.input.forms import apply_errors
from yushu_gov.input.months import MAX_YEAR, MIN_YEAR, month_label
from yushu_gov.input.pinyin import normalized_query, search_q
from yushu_gov.lists.lookups import lookup_response
from yushu_gov.lists.pagination import pick
from yushu_gov.lists.params import int_param

from . import exports, services
from .forms import PoliceCallCountForm, PoliceCallImportForm
from .models import Community, PoliceCallCount, PoliceStation, Street


@login_required
def community_list(request):
    """The streets with their communities (名称待核实 badges) and the police stations, within the user's scope."""
    require(request.user, "community.view")
    communities = Community.objects.visible_to(request.user)
    query = normalized_query(request.GET.get("q", ""))
    found = communities.filter(search_q(query)) if query else communities
    streets = Street.objects.visible_to(request.user).prefetch_related(
        Prefetch("communities", queryset=found.order_by("sort_order", "name"))
    )
    stations = PoliceStation.objects.visible_to(request.user).prefetch_related("streets")
    return render(
        request,
        "communities/list.html",
        {"streets": streets, "stations": stations, "community_total": communities.count(), "query": query},
    )


# Who may ask for community suggestions: whoever has a list or form that picks a community.
LOOKUP_RIGHTS = ("community.view", "work.view", "request.view", "police_calls.view")


@login_required
def community_lookup(request):
    """Suggestions for the community filters and fields (yushu_gov/lists/lookups.py): at most 20 communities of the
    user's scope whose name or pinyin matches what was typed."""
    if not any(can(request.user, right) for right in LOOKUP_RIGHTS):
        raise PermissionDenied("community lookup")
    communities = (
        Community.objects.visible_to(request.user)
        .select_related("street")
        .order_by("street__sort_order", "street__name", "sort_order", "name")
    )
    return lookup_response(
        request,
        communities,
        search=search_q,
        row=lambda c: {"id": c.pk, "label": c.name, "hint": c.street.name},
    )


# Police calls received (警情接报数): the year's grid, typed entry, the .xlsx template and import.


@login_required
def police_calls(request):
    """One year's figures: the totals per street (one aggregate query), then one street's community × month
    grid with last year's total beside each community — the user's own street, else the first, or ?street=."""
    require(request.user, "police_calls.view")
    year = int_param(request.GET, "year", low=MIN_YEAR, high=MAX_YEAR, default=timezone.localdate().year)
    figures = PoliceCallCount.objects.visible_to(request.user).filter(year__in=[year, year - 1])
    totals = {
        (row["community__street_id"], row["year"]): row["total"]
        for row in figures.values("community__street_id", "year").annotate(total=Sum("count")).order_by()
    }
    streets = list(Street.objects.visible_to(request.user))
    for street in streets:
        street.total = totals.get((street.pk, year), 0)
        street.last_total = totals.get((street.pk, year - 1), 0)
    street = pick(request, streets, default_pk=request.user.street_id)
    communities = []
    if street is not None:
        communities = list(
            Community.objects.visible_to(request.user).filter(street=street).order_by("sort_order", "name")
        )
    found = {}
    for c in figures.filter(community__in=communities).values_list("community_id", "year", "month", "count"):
        found[c[:3]] = c[3]
    labels = [month_label(m) for m in range(1, 13)]
    rows = []
    for community in communities:
        months = [found.get((community.pk, year, m)) for m in range(1, 13)]
        last = [found.get((community.pk, year - 1, m)) for m in range(1, 13)]
        rows.append(
            {
                "community": community,
                "cells": list(zip(labels, months, strict=True)),
                "total": sum(v for v in months if v is not None),
                "last_total": sum(v for v in last if v is not None),
            }
        )
    can_change = can(request.user, "police_calls.change")
    form = PoliceCallCountForm(user=request.user, initial={"year": year}) if can_change else None
    return render(
        request,
        "communities/police_calls.html",
        {"year": year, "rows": rows, "streets": streets, "street": street, "month_labels": labels, "form": form,
         "can_change": can_change},
    )  # fmt: skip


@login_required
def police_call_set(request):
    """Typed entry of one community's figure for one month (POST); GET shows the form alone."""
    require(request.user, "police_calls.change")
    form = PoliceCallCountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.police_call_count_set(
                community=data["community"],
                year=data["year"],
                month=data["month"],
                count=data["count"],
                by=request.user,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("已保存 %(community)s %(year)s年%(month)s月的警情接报数：%(count)s。")
                % {
                    "community": data["community"].name,
                    "year": data["year"],
                    "month": data["month"],
                    "count": data["count"],
                },
            )
            return redirect(f"{reverse('communities:police_calls')}?year={data['year']}")
    return render(request, "communities/police_call_form.html", {"form": form})


@login_required
def police_call_template(request):
    """The import template: the headers and one row per community in the user's scope for last month."""
    require(request.user, "police_calls.change")
    content = exports.police_call_template(user=request.user)
    audit_export(actor=request.user, what="communities.police_call_template", rows=data_rows(content), request=request)
    return xlsx_response(content, _("警情接报数导入模板.xlsx"))


@login_required
def police_call_import(request):
    """Upload of the bureau's sheet: every row checked first, all errors listed by row, nothing saved
    unless every row is good; a month already recorded is replaced, and the message says so."""
    require(request.user, "police_calls.change")
    form = PoliceCallImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            rows = services.read_police_call_workbook(form.cleaned_data["file"].read())
            result = services.police_calls_import(rows=rows, by=request.user)
        except services.ImportErrors as exc:
            errors = exc.messages
        else:
            messages.success(request, _("已导入 %(n)s 条警情接报数。") % {"n": result.created})
            for (year, month), n in sorted(result.replaced.items()):
                messages.warning(
                    request,
                    _("%(year)s年%(month)s月原有的 %(n)s 条数据已被本次导入替换。")
                    % {"year": year, "month": month, "n": n},
                )
            return redirect(f"{reverse('communities:police_calls')}?year={result.months[-1][0]}")
    return render(request, "communities/police_call_import.html", {"form": form, "errors": errors})
