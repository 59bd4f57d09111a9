"""The work ledger (工作台账) as .xlsx, written in the background (yushu_gov/documents/export_jobs.py): the filtered
records of the user's scope with Chinese headers, streamed from plain values (values_list, read 2,000 at a
time) with the choice labels looked up once, so that memory stays flat whatever the row count."""

from django.utils import timezone
from django.utils.translation import gettext as _

from communities.messages import COMMUNITY_LABEL, ENTERED_BY, STREET_LABEL
from officers.ledger.messages import (
    CASE_NUMBER,
    CONDOLENCE_AMOUNT,
    DISPUTE_LEVEL,
    HOUSEHOLDS_INVOLVED,
    LOSS_RECOVERED,
    MEDIATION_RESULT,
    PEOPLE_INVOLVED,
    WORK_KIND,
    WORK_SUMMARY,
)
from officers.messages import DATE_LABEL, OFFICER_LABEL, POLICE_NUMBER
from yushu_gov.documents.export_jobs import ExportKind, ExportSource, flat_filters
from yushu_gov.input.labels import STATUS_LABEL, WORK_LEDGER

from .filters import WorkRecordFilter
from .models import WorkRecord

HEADERS = [
    DATE_LABEL,
    WORK_KIND,
    STREET_LABEL,
    COMMUNITY_LABEL,
    OFFICER_LABEL,
    POLICE_NUMBER,
    WORK_SUMMARY,
    PEOPLE_INVOLVED,
    HOUSEHOLDS_INVOLVED,
    LOSS_RECOVERED,
    DISPUTE_LEVEL,
    MEDIATION_RESULT,
    CASE_NUMBER,
    CONDOLENCE_AMOUNT,
    STATUS_LABEL,
    ENTERED_BY,
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
        title=str(WORK_LEDGER),
        headers=HEADERS,
        rows=work_ledger_rows(records),
        total=records.count(),
        filename=_("工作台账_%(date)s.xlsx") % {"date": f"{timezone.localdate():%Y%m%d}"},
        column_widths=[12, 22, 12, 16, 16, 10, 50],
        filters=flat_filters(params),
    )


EXPORT = ExportKind(name="work.export", permission="work.view", title=WORK_LEDGER, build=work_ledger_source)
