"""The public directory (no login): residents find their community's police deputy secretary — name,
photo, station, work telephone and serving since. Nothing else about the officer is ever shown here:
the templates receive a plain dict of exactly those fields, never the Officer object. An officer appears
only once his consent to publication is recorded (PIPL), and every page carries the privacy notice."""

import segno
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.safestring import mark_safe

from communities.models import Community, Street

from .models import Appointment


def _public_card(community: Community) -> dict:
    """The only facts the public sees. Built field by field so no other attribute can leak into a page."""
    serving = community.serving_appointments[0] if community.serving_appointments else None
    card = {"community": community.name, "code": community.code, "street": community.street.name,
            "name_confirmed": community.name_confirmed, "officer": None}  # fmt: skip
    if serving is not None:
        officer = serving.officer
        card["officer"] = {
            "name": officer.name,
            "photo_url": officer.photo.url if officer.photo else "",
            "station": officer.station.name,
            "work_phone": officer.work_phone,
            "since": serving.started_on,
        }
    return card


def _communities():
    # PIPL: only officers whose consent to publication is recorded.
    serving = Appointment.objects.serving().filter(officer__directory_consent_at__isnull=False)
    serving = serving.select_related("officer__station")
    return Community.objects.select_related("street").prefetch_related(
        Prefetch("appointments", queryset=serving, to_attr="serving_appointments")
    )


def directory(request):
    streets = list(Street.objects.prefetch_related(Prefetch("communities", queryset=_communities())))
    sections = [{"street": s.name, "cards": [_public_card(c) for c in s.communities.all()]} for s in streets]
    return render(request, "directory/index.html", {"sections": sections})


def community_page(request, code: str):
    community = get_object_or_404(_communities(), code=code)
    return render(request, "directory/community.html", {"card": _public_card(community)})


def contact_card(request, code: str):
    """A printable contact card with a QR code linking to the community's directory page."""
    community = get_object_or_404(_communities(), code=code)
    url = request.build_absolute_uri(reverse("directory:community", args=[code]))
    qr = segno.make(url, error="m")
    svg = qr.svg_inline(scale=5, dark="#000", light="#fff", omitsize=False)
    return render(
        request, "directory/card.html", {"card": _public_card(community), "url": url, "qr_svg": mark_safe(svg)}
    )
