"""Residents' requests as .xlsx: the filtered list with Chinese headers. The resident's name, phone and photo
are never exported (not even masked): they are not among the columns. Written in the background
(yushu_gov/documents/export_jobs.py) from plain values read 2,000 at a time."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communities.messages import COMMUNITY_LABEL, STREET_LABEL
from officers.resident_requests.messages import (
    CATEGORY_LABEL,
    RATING_LABEL,
    REPLY_LABEL,
    REQUEST_CONTENT,
    RESOLUTION_DUE,
    RESOLVED_AT,
    RESPONDED_AT,
    RESPONSE_DUE,
    RESPONSIBLE_OFFICER,
    SUPERVISED_LABEL,
)
from yushu_gov.documents.export_jobs import ExportKind, ExportSource, flat_filters
from yushu_gov.input.labels import RESIDENT_REQUESTS, STATUS_LABEL, SUBMITTED_AT

from .filters import RequestFilter
from .models import Category, ResidentRequest

HEADERS = [
    gettext_lazy("编号"),
    SUBMITTED_AT,
    CATEGORY_LABEL,
    STREET_LABEL,
    COMMUNITY_LABEL,
    RESPONSIBLE_OFFICER,
    REQUEST_CONTENT,
    gettext_lazy("地点"),
    STATUS_LABEL,
    RESPONSE_DUE,
    RESPONDED_AT,
    RESOLUTION_DUE,
    RESOLVED_AT,
    REPLY_LABEL,
    RATING_LABEL,
    SUPERVISED_LABEL,
]

FIELDS = [
    "year",
    "serial",
    "submitted_at",
    "category",
    "community__street__name",
    "community__name",
    "officer__name",
    "description",
    "location",
    "status",
    "respond_by",
    "responded_at",
    "resolve_by",
    "resolved_at",
    "reply",
    "rating",
    "reopened",
]


def requests_rows(requests):
    """`requests` is the filtered queryset the list shows (already scoped with visible_to): its rows, lazily."""
    labels = {
        "category": {k: str(v) for k, v in Category.choices},
        "status": {k: str(v) for k, v in ResidentRequest.Status.choices},
        "rating": {k: str(v) for k, v in ResidentRequest.Rating.choices},
    }

    def row(values):
        record = dict(zip(FIELDS, values, strict=True))
        for name, names in labels.items():
            record[name] = names.get(record[name], "")
        number = f"YS-{record.pop('year')}-{record.pop('serial'):06d}"
        return [number, *record.values()]  # times are written in Asia/Shanghai (yushu_gov.documents.xlsx.safe_cell)

    return (row(values) for values in requests.values_list(*FIELDS).iterator(chunk_size=2000))


def filtered_requests(user, params):
    """The requests the list shows for this filter, in the user's scope, newest first."""
    requests = ResidentRequest.objects.visible_to(user).order_by("-submitted_at", "-id")
    return RequestFilter(params or None, queryset=requests, user=user).qs


def requests_source(user, params) -> ExportSource:
    requests = filtered_requests(user, params)
    return ExportSource(
        title=str(RESIDENT_REQUESTS),
        headers=HEADERS,
        rows=requests_rows(requests),
        total=requests.count(),
        filename=_("群众诉求_%(date)s.xlsx") % {"date": f"{timezone.localdate():%Y%m%d}"},
        column_widths=[20, 17, 10, 12, 14, 12, 50, 20],
        filters=flat_filters(params),
    )


EXPORT = ExportKind(name="requests.export", permission="request.export", title=RESIDENT_REQUESTS, build=requests_source)
