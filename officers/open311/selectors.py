"""Reads of the open interfaces: which requests are public, each as Open311 GeoReport v2 shows it, and the
stages of a partner's requests (the 12345 hotline's 回访 feed and its webhook pushes).

What goes out is what a stranger may read: the number (never the tracking code's secret), the category, the
community and its street (never the exact place), the status and its finer stage, the dates. Never the
resident's name, phone, photo or words, nor an officer's name or phone: `agency_responsible` is the office of
the community's police deputy secretary."""

from datetime import datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from officers.resident_requests.models import RequestStep, ResidentRequest

JURISDICTION_ID = "yushu.qh.cn"  # 玉树市 (the city) in Open311's jurisdiction_id
OPEN, CLOSED = "open", "closed"
# The fields of a request that the list and the single request read (one query, no model instances).
FIELDS = ("pk", "year", "serial", "status", "category", "submitted_at", "updated_at", "resolve_by",
          "community__code", "community__name", "community__street__name")  # fmt: skip
# A stage's Open311 status: the stages after which the request is closed (resolved with a reply, or rated).
CLOSING_STAGES = (RequestStep.Kind.RESOLVED, RequestStep.Kind.RATED)


def public_requests():
    """The requests the open interfaces list. Today that is every request, because what goes out of each is
    only what carries no personal data (see the module's docstring; no free text at all: neither the
    resident's words nor the reply), and the residents' form asks no consent to publish more. The single
    place to narrow the list (to the requests whose residents allowed them to be public) is here."""
    return ResidentRequest.objects.all()


def open311_status(status: str) -> str:
    return CLOSED if status in ResidentRequest.DONE else OPEN


def iso(value: datetime | None) -> str | None:
    """ISO 8601 with the offset, in Asia/Shanghai (2026-03-01T09:30:00+08:00)."""
    return None if value is None else timezone.localtime(value).isoformat(timespec="seconds")


def agency_responsible(community_name: str) -> str:
    return _("%(community)s党支部副书记（党员民警）办公室") % {"community": community_name}


def request_item(row: dict) -> dict:
    """One request as GeoReport v2's `request`, from a values() row of FIELDS."""
    status_labels = dict(ResidentRequest.Status.choices)
    category_labels = dict(ResidentRequest._meta.get_field("category").choices)
    return {
        "service_request_id": f"YS-{row['year']}-{row['serial']:06d}",
        "status": open311_status(row["status"]),
        "status_notes": str(status_labels[row["status"]]),
        "service_name": str(category_labels[row["category"]]),
        "service_code": row["category"],
        "agency_responsible": agency_responsible(row["community__name"]),
        "service_notice": "",
        "requested_datetime": iso(row["submitted_at"]),
        "updated_datetime": iso(row["updated_at"]),
        "expected_datetime": iso(row["resolve_by"]) if row["status"] in ResidentRequest.OPEN else None,
        "address": _("玉树市%(street)s%(community)s")
        % {"street": row["community__street__name"], "community": row["community__name"]},  # fmt: skip
        "address_id": row["community__code"],
    }


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


def stage_item(step: RequestStep) -> dict:
    """One stage of a partner's request, as the feed and the webhook give it: no actor, and only the notes the
    resident's status page shows (the reply, the rating); a transfer names the community it went to."""
    partner_request = step.request.partner_request
    note = step.note if step.kind in RequestStep.PUBLIC_NOTES else ""
    return {
        "stage_id": step.pk,
        "service_request_id": step.request.number,
        "external_id": partner_request.external_id,
        "token": str(partner_request.token),
        "stage": step.kind,
        "stage_label": str(step.get_kind_display()),
        "status": CLOSED if step.kind in CLOSING_STAGES else OPEN,
        "at": iso(step.at),
        "community": step.to_community.name if step.to_community_id else step.request.community.name,
        "note": note,
    }


def stage_feed(*, partner, since: datetime, after: int, limit: int) -> list[RequestStep]:
    """The stages of the partner's requests recorded at or after `since` and after the stage id `after`, in the
    order they happened (by id), at most `limit` (two queries, whatever the number of requests)."""
    return list(
        RequestStep.objects.filter(request__partner_request__partner=partner, at__gte=since, pk__gt=after)
        .select_related("request__partner_request", "request__community", "to_community")
        .order_by("pk")[:limit]
    )
