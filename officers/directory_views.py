"""The public directory (no login): residents find their community's police deputy secretary — name (and
Tibetan name), photo, station, work telephone (a tap-to-call link) and serving since. Nothing else about the
officer is ever shown here: the templates receive a plain dict of exactly those fields, never the Officer
object. An officer appears only once his consent to publication is recorded (PIPL), and every page carries the
privacy notice. Residents search by community or officer name, in characters or pinyin ("xjl" finds 新建路社区),
or by the Tibetan name in Tibetan script or Wylie, with or without the final tsheg (yushu_gov/input/tibetan.py)."""

import re

import segno
from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Prefetch
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.safestring import mark_safe

from communities.models import Community, Street
from yushu_gov.input.pinyin import MAX_QUERY, normalized_query, search_q
from yushu_gov.input.tibetan import tibetan_search_q
from yushu_gov.lists.pagination import pick

from .models import Appointment


def tel_href(phone: str) -> str:
    """ "tel:09768822110" for a work phone typed as "0976-882 2110" or "（0976）8822110"; "" without a number."""
    digits = re.sub(r"[^\d+]", "", phone or "")
    return f"tel:{digits}" if len(digits) >= 5 else ""


def _public_card(community: Community) -> dict:
    """The only facts the public sees. Built field by field so no other attribute can leak into a page."""
    serving = community.serving_appointments[0] if community.serving_appointments else None
    card = {"community": community.name, "community_bo": community.name_bo, "code": community.code,
            "street": community.street.name, "name_confirmed": community.name_confirmed, "officer": None}  # fmt: skip
    if serving is not None:
        officer = serving.officer
        card["officer"] = {
            "name": officer.name,
            "name_bo": officer.name_bo,
            "photo_url": officer.photo.url if officer.photo else "",
            "station": officer.station.name,
            "work_phone": officer.work_phone,
            "tel": tel_href(officer.work_phone),
            "since": serving.started_on,
        }
    else:
        # No published deputy secretary: the station's duty phone, so that the resident still reaches the police.
        card["stations"] = [
            {"name": station.name, "phone": station.phone, "tel": tel_href(station.phone)}
            for station in community.street.stations.all()
            if station.phone
        ]
    return card


def _communities():
    # PIPL: only officers whose consent to publication is recorded.
    serving = Appointment.objects.serving().filter(officer__directory_consent_at__isnull=False)
    serving = serving.select_related("officer__station")
    return Community.objects.select_related("street").prefetch_related(
        Prefetch("appointments", queryset=serving, to_attr="serving_appointments"), "street__stations"
    )


# A search lists at most this many communities; more found means "type more of the name".
SEARCH_LIMIT = 50


def directory(request):
    """Residents pick their street (the first one to start with), then their community; or search by name
    across every street. Four queries whatever the number of communities: the streets with their number of
    communities, one street's (or the search's first SEARCH_LIMIT) communities, their serving seats, and
    their streets' stations (the duty phone shown where no officer is published)."""
    typed = request.GET.get("q", "")[:MAX_QUERY]
    query = normalized_query(typed)[:MAX_QUERY]
    streets = list(Street.objects.annotate(community_count=Count("communities")).order_by("sort_order", "name"))
    communities = _communities().order_by("street__sort_order", "street__name", "sort_order", "name")
    street = None
    if query:
        # Chinese characters or pinyin in the names; Tibetan script or Wylie in the Tibetan names.
        officer_match = search_q(query, name="officer__name", key="officer__name_pinyin")
        community_match = search_q(query)
        tibetan = tibetan_search_q(typed, field="name_bo")
        if tibetan is not None:
            officer_match |= tibetan_search_q(typed, field="officer__name_bo")
            community_match |= tibetan
        officer_matches = Appointment.objects.serving().filter(officer_match, community=OuterRef("pk"))
        found = list(communities.filter(community_match | Exists(officer_matches))[: SEARCH_LIMIT + 1])
    else:
        street = pick(request, streets)
        found = list(communities.filter(street=street)) if street else []
    more = bool(query) and len(found) > SEARCH_LIMIT
    if more:
        found = found[:SEARCH_LIMIT]
    sections: dict[int, dict] = {}
    for community in found:
        section = sections.setdefault(community.street_id, {"street": community.street.name, "cards": []})
        section["cards"].append(_public_card(community))
    context = {"sections": list(sections.values()), "query": query, "found": len(found),
               "more": more, "streets": streets, "street": street}  # fmt: skip
    return render(request, "directory/index.html", context)


# The community page lists at most this many of its resolved requests (the last 90 days, "可以公开" only).
RESOLVED_LIMIT = 20


def _resolved_requests(community: Community) -> list[dict]:
    """The community's resolved requests its residents agreed to publish, anonymised: the category, the text,
    the answer and the dates, never a name, phone, photo, voice or place. Read through the reverse relation
    (residents' requests sit on a floor above the directory, which imports nothing of them)."""
    found = community.resident_requests.public_resolved()[:RESOLVED_LIMIT]
    return [
        {
            "category": item.get_category_display(),
            "description": item.description,
            "reply": item.reply,
            "submitted_at": item.submitted_at,
            "resolved_at": item.resolved_at,
        }  # fmt: skip
        for item in found
    ]


def community_page(request, code: str):
    community = get_object_or_404(_communities(), code=code)
    context = {"card": _public_card(community), "resolved": _resolved_requests(community)}
    return render(request, "directory/community.html", context)


def public_url(request, path: str) -> str:
    """The address residents use: settings.PUBLIC_BASE_URL, or in development the page's own host."""
    return f"{settings.PUBLIC_BASE_URL}{path}" if settings.PUBLIC_BASE_URL else request.build_absolute_uri(path)


def contact_card(request, code: str):
    """A printable contact card with a QR code linking to the community's directory page."""
    community = get_object_or_404(_communities(), code=code)
    url = public_url(request, reverse("directory:community", args=[code]))
    qr = segno.make(url, error="m")
    svg = qr.svg_inline(scale=5, dark="#000", light="#fff", omitsize=False)
    return render(
        request, "directory/card.html", {"card": _public_card(community), "url": url, "qr_svg": mark_safe(svg)}
    )
