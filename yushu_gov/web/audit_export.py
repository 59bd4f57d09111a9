"""The audit log as .xlsx (the list's filter), written in the background (yushu_gov/documents/export_jobs.py) from
entries read 2,000 at a time: the log grows without end, so the export has no row cap but a streamed file."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yushu_gov.audit.filters import AuditEntryFilter
from yushu_gov.audit.log import action_label, change_rows
from yushu_gov.audit.models import AuditEntry
from yushu_gov.documents.export_jobs import ExportKind, ExportSource, flat_filters
from yushu_gov.input.labels import ACTION_LABEL, AUDIT_LOG, CHANGES, IP_ADDRESS, OBJECT_LABEL, OBJECT_TYPE, TIME_LABEL

HEADERS = [
    TIME_LABEL,
    gettext_lazy("账号"),
    ACTION_LABEL,
    OBJECT_TYPE,
    OBJECT_LABEL,
    CHANGES,
    IP_ADDRESS,
]


def filtered_entries(params):
    return AuditEntryFilter(params, queryset=AuditEntry.objects.select_related("content_type")).qs


def _rows(entries):
    for entry in entries.iterator(chunk_size=2000):
        yield [
            entry.at,
            entry.actor_name,
            action_label(entry.action),
            entry.content_type.name if entry.content_type_id else "",
            entry.object_repr,
            "；".join(f"{r.label}：{r.old + ' → ' if r.has_old else ''}{r.new}" for r in change_rows(entry)),
            entry.ip_address or "",
        ]


def audit_log_source(user, params) -> ExportSource:
    """The whole log is the auditor's scope (the right "audit.view" is checked before and when it runs)."""
    entries = filtered_entries(params)
    return ExportSource(
        title=str(AUDIT_LOG),
        headers=HEADERS,
        rows=_rows(entries),
        total=entries.count(),
        filename=_("审计日志_%(date)s.xlsx") % {"date": f"{timezone.localdate():%Y%m%d}"},
        column_widths=[18, 14, 24, 14, 30, 60, 16],
        filters=flat_filters(params),
    )


EXPORT = ExportKind(name="audit", permission="audit.view", title=AUDIT_LOG, build=audit_log_source)
