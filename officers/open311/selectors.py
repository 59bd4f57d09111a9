"""Reads of the open interfaces: which requests are public, each as Open311 GeoReport v2 shows it, and the
stages of a partner's requests (the 12345 hotline's 回访 feed and its webhook pushes).

What goes out is what a stranger may read: the number (never the tracking code's secret), the category, the
community and its street (never the exact place), the status and its finer stage, the dates. Never the
resident's name, phone, photo or words, nor an officer's name or phone: `agency_responsible` is the office of
the community's police deputy secretary."""

from datetime import datetime

from django.db.models import Q
from django.utils.translation import gettext as _

from officers.resident_requests.models import Category, RequestStep, ResidentRequest
from yushu_gov.input.months import SHANGHAI

JURISDICTION_ID = "yushu.qh.cn"  # 玉树市 (the city) in Open311's jurisdiction_id
OPEN, CLOSED = "open", "closed"
# The fields of a request that the list and the single request read (one query, no model instances).
FIELDS = ("pk", "year", "serial", "status", "category", "submitted_at", "updated_at", "resolve_by",
          "community__code", "community__name", "community__street__name")  # fmt: skip
# A stage's Open311 status: the stages after which the request is closed (resolved with a reply, or rated).
CLOSING_STAGES = (RequestStep.Kind.RESOLVED, RequestStep.Kind.RATED)


def public_requests():
    """The requests the open interfaces list: those whose residents allowed them to be public ("可以公开" on the
    web form, attribute[public_consent] through the API), the same rule as the community page's list. Even of
    those, what goes out carries no personal data (see the module's docstring)."""
    return ResidentRequest.objects.filter(public_consent=True)


def open311_status(status: str) -> str:
    return CLOSED if status in ResidentRequest.DONE else OPEN


def iso(value: datetime | None) -> str | None:
    """ISO 8601 with the offset, in Asia/Shanghai (2026-03-01T09:30:00+08:00)."""
    return None if value is None else value.astimezone(SHANGHAI).isoformat(timespec="seconds")


def agency_responsible(community_name: str) -> str:
    return _("%(community)s党支部副书记（党员民警）办公室") % {"community": community_name}


def request_items(rows) -> list[dict]:
    """Requests as GeoReport v2's `request`, from values() rows of FIELDS. The labels are looked up once per
    list and the community's texts once per community: a page of 1,000 stays cheap."""
    statuses = {value: str(label) for value, label in ResidentRequest.Status.choices}
    categories = {value: str(label) for value, label in Category.choices}
    places: dict = {}
    items = []
    for row in rows:
        code = row["community__code"]
        if code not in places:
            names = {"street": row["community__street__name"], "community": row["community__name"]}
            places[code] = (agency_responsible(row["community__name"]), _("玉树市%(street)s%(community)s") % names)
        agency, address = places[code]
        items.append(
            {
                "service_request_id": f"YS-{row['year']}-{row['serial']:06d}",
                "status": open311_status(row["status"]),
                "status_notes": statuses[row["status"]],
                "service_name": categories[row["category"]],
                "service_code": row["category"],
                "agency_responsible": agency,
                "service_notice": "",
                "requested_datetime": iso(row["submitted_at"]),
                "updated_datetime": iso(row["updated_at"]),
                "expected_datetime": iso(row["resolve_by"]) if row["status"] in ResidentRequest.OPEN else None,
                "address": address,
                "address_id": code,
            }
        )
    return items


def number_filter(numbers) -> Q:
    """The requests named by their numbers (YS-2026-000123); a malformed number names none."""
    condition = Q(pk__in=[])
    for number in numbers:
        parts = number.split("-")
        if len(parts) == 3 and parts[0] == "YS" and parts[1].isdigit() and parts[2].isdigit():
            condition |= Q(year=int(parts[1]), serial=int(parts[2]))
    return condition


def request_rows(requests, *, offset: int = 0, limit: int) -> list[dict]:
    """At most `limit` requests from `offset` as values() rows, newest first (one query)."""
    return list(requests.order_by("-submitted_at", "-pk").values(*FIELDS)[offset : offset + limit])


# The fields of a stage that the feed and the webhook read (one query, no model instances).
STAGE_COLUMNS = ("pk", "kind", "at", "note", "to_community__name", "request__community__name",
                "request__year", "request__serial", "request__partner_request__external_id",
                "request__partner_request__token")  # fmt: skip


def stage_items(steps) -> list[dict]:
    """Stages of a partner's requests, as the feed and the webhook give them, from a RequestStep queryset (one
    query): no actor, and only the notes the resident's status page shows (the reply, the rating); a transfer
    names the community it went to."""
    kinds = {value: str(label) for value, label in RequestStep.Kind.choices}
    return [
        {
            "stage_id": row["pk"],
            "service_request_id": f"YS-{row['request__year']}-{row['request__serial']:06d}",
            "external_id": row["request__partner_request__external_id"],
            "token": str(row["request__partner_request__token"]),
            "stage": row["kind"],
            "stage_label": kinds[row["kind"]],
            "status": CLOSED if row["kind"] in CLOSING_STAGES else OPEN,
            "at": iso(row["at"]),
            "community": row["to_community__name"] or row["request__community__name"],
            "note": row["note"] if row["kind"] in RequestStep.PUBLIC_NOTES else "",
        }
        for row in steps.values(*STAGE_COLUMNS)
    ]


def partner_stages(partner):
    """Every stage of the requests the partner brought in, in the order they happened (by id)."""
    return RequestStep.objects.filter(request__partner_request__partner=partner).order_by("pk")


def stage_feed(*, partner, since: datetime, after: int, limit: int) -> list[dict]:
    """The partner's stages recorded at or after `since` and after the stage id `after`, oldest first, at most
    `limit` (one query, whatever the number of requests)."""
    return stage_items(partner_stages(partner).filter(at__gte=since, pk__gt=after)[:limit])
