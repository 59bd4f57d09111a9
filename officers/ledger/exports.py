"""The work ledger (工作台账) as .xlsx, written in the background (yushu_gov/documents/export_jobs.py): the filtered
records of the user's scope with Chinese headers, streamed from plain values (values_list, read 2,000 at a
time) with the choice labels looked up once, so that memory stays flat whatever the row count."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yushu_gov.documents.export_jobs import ExportKind, ExportSource, flat_filters

from .filters import WorkRecordFilter
from .models import WorkRecord

HEADERS = [
    gettext_lazy("日期"),
    gettext_lazy("工作类型"),
    gettext_lazy("街道"),
    gettext_lazy("社区"),
    gettext_lazy("民警"),
    gettext_lazy("警号"),
    gettext_lazy("工作内容"),
    gettext_lazy("涉及人数"),
    gettext_lazy("涉及户数"),
    gettext_lazy("挽回损失（元）"),
    gettext_lazy("纠纷等级"),
    gettext_lazy("调解结果"),
    gettext_lazy("案件编号"),
    gettext_lazy("慰问金额（元）"),
    gettext_lazy("状态"),
    gettext_lazy("录入人"),
]

FIELDS = [
    "occurred_on",
    "kind",
    "community__street__name",
    "community__name",
    "officer__name",
    "officer__police_number",
    "summary",
    "people_reached",
    "households_reached",
    "value_recovered",
    "severity",
    "outcome",
    "case_number",
    "aid_amount",
    "status",
    "created_by__full_name",
    "created_by__username",
]


def work_ledger_rows(records):
    """`records` is the filtered queryset the list shows (already scoped with visible_to): its rows, lazily."""
    labels = {
        "kind": {k: str(v) for k, v in WorkRecord.Kind.choices},
        "severity": {k: str(v) for k, v in WorkRecord.Severity.choices},
        "outcome": {k: str(v) for k, v in WorkRecord.Outcome.choices},
        "status": {k: str(v) for k, v in WorkRecord.Status.choices},
    }

    def row(values):
        record = dict(zip(FIELDS, values, strict=True))
        for name, names in labels.items():
            record[name] = names.get(record[name], "")
        record["created_by__full_name"] = record["created_by__full_name"] or record["created_by__username"] or ""
        return [record[name] for name in FIELDS[:-1]]

    return (row(values) for values in records.values_list(*FIELDS).iterator(chunk_size=2000))


def filtered_records(user, params):
    """The records the list shows for this filter, in the user's scope."""
    return WorkRecordFilter(params or None, queryset=WorkRecord.objects.visible_to(user), user=user).qs


def work_ledger_source(user, params) -> ExportSource:
    records = filtered_records(user, params)
    return ExportSource(
        title=_("工作台账"),
        headers=HEADERS,
        rows=work_ledger_rows(records),
        total=records.count(),
        filename=_("工作台账_%(date)s.xlsx") % {"date": f"{timezone.localdate():%Y%m%d}"},
        column_widths=[12, 22, 12, 16, 16, 10, 50],
        filters=flat_filters(params),
    )


EXPORT = ExportKind(
    name="work.export", permission="work.view", title=gettext_lazy("工作台账"), build=work_ledger_source
)
