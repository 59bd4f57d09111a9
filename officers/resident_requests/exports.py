"""Residents' requests as .xlsx: the filtered list with Chinese headers. The resident's name, phone and photo
are never exported (not even masked): they are not among the columns. Written in the background
(yushu_gov/documents/export_jobs.py) from plain values read 2,000 at a time."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yushu_gov.documents.export_jobs import ExportKind, ExportSource, flat_filters

from .filters import RequestFilter
from .models import Category, ResidentRequest

HEADERS = [
    gettext_lazy("编号"),
    gettext_lazy("提交时间"),
    gettext_lazy("类别"),
    gettext_lazy("街道"),
    gettext_lazy("社区"),
    gettext_lazy("负责民警"),
    gettext_lazy("诉求内容"),
    gettext_lazy("地点"),
    gettext_lazy("状态"),
    gettext_lazy("响应期限"),
    gettext_lazy("响应时间"),
    gettext_lazy("办结期限"),
    gettext_lazy("办结时间"),
    gettext_lazy("答复"),
    gettext_lazy("评价"),
    gettext_lazy("已督办"),
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
        title=_("群众诉求"),
        headers=HEADERS,
        rows=requests_rows(requests),
        total=requests.count(),
        filename=_("群众诉求_%(date)s.xlsx") % {"date": f"{timezone.localdate():%Y%m%d}"},
        column_widths=[20, 17, 10, 12, 14, 12, 50, 20],
        filters=flat_filters(params),
    )


EXPORT = ExportKind(
    name="requests.export", permission="request.export", title=gettext_lazy("群众诉求"), build=requests_source
)
