"""The officers a work record may name: those whose term covered the community on the record's day, the
community's serving deputy secretary first, never one who had left by then. The form offers them and the
form's script asks `officer_choices_json` again when the community or the date changes.

Why a short <select> and not the search-as-you-type field (yushu_gov/lists/lookups.py): on a given day a
community has one deputy secretary, two around a rotation; a list of one or two is picked faster than typed."""

import datetime

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from communities.models import Community
from officers.models import Appointment, Officer
from yushu_gov.input.forms import parse_clerk_date


def officers_for(*, user, community_id: int | None, day: datetime.date | None) -> QuerySet[Officer]:
    """The officers in the user's scope who held `community_id`'s seat on `day` (today when no day), serving
    ones first; without a community, those who held a seat in the user's scope that day. One query."""
    day = min(day or timezone.localdate(), timezone.localdate())
    terms = Appointment.objects.covering(day).filter(officer=OuterRef("pk"))
    serving = Appointment.objects.serving().filter(officer=OuterRef("pk"))
    if community_id is not None:
        terms, serving = terms.filter(community_id=community_id), serving.filter(community_id=community_id)
    else:
        terms = terms.filter(community__in=_visible_communities(user))
    return (
        Officer.objects.visible_to(user)
        .filter(Exists(terms))
        .annotate(serving_there=Exists(serving))
        .order_by("-serving_there", "name_pinyin", "pk")
    )


def _visible_communities(user):
    return Community.objects.visible_to(user).values("pk")


def picked(data, name: str) -> int | None:
    raw = str(data.get(name, "") or "")
    return int(raw) if raw.isdigit() and 0 < int(raw) < 2**31 else None


def picked_day(data, name: str) -> datetime.date | None:
    value = data.get(name)
    if isinstance(value, datetime.date):
        return value
    return parse_clerk_date(str(value or ""))
