"""Every write to officers and appointments that is more than a form save. Each function is atomic,
locks the rows it changes, and writes the audit log in the same transaction."""

from django.db import transaction

from yushu_gov.audit import audit_log, changes_of, snapshot

from .models import Officer

OFFICER_FIELDS = [
    "name",
    "gender",
    "ethnicity",
    "police_number",
    "id_number",
    "mobile",
    "work_phone",
    "station",
    "rank",
    "post",
    "party_status",
    "party_member_since",
    "bilingual",
    "photo",
]


def _assign(officer: Officer, data: dict) -> None:
    # save_form_data handles the photo's "clear" (False) and "unchanged" (None) values as a ModelForm does.
    for name in OFFICER_FIELDS:
        if name in data:
            Officer._meta.get_field(name).save_form_data(officer, data[name])


@transaction.atomic
def officer_create(*, by, data: dict) -> Officer:
    """Registers an officer. `data` is a validated form's cleaned_data."""
    officer = Officer()
    _assign(officer, data)
    officer.full_clean()
    officer.save()
    audit_log(
        actor=by,
        action="officers.officer.created",
        obj=officer,
        changes={name: [None, value] for name, value in snapshot(officer, OFFICER_FIELDS).items()},
    )
    return officer


@transaction.atomic
def officer_update(*, officer: Officer, by, data: dict) -> Officer:
    """Changes an officer's register entry; only the fields whose values changed are saved and logged."""
    officer = Officer.objects.select_for_update().get(pk=officer.pk)
    before = snapshot(officer, OFFICER_FIELDS)
    _assign(officer, data)
    officer.full_clean()
    changes = changes_of(before, snapshot(officer, OFFICER_FIELDS))
    if not changes:
        return officer
    officer.save(update_fields=[*changes, "updated_at"])
    audit_log(actor=by, action="officers.officer.changed", obj=officer, changes=changes)
    return officer


# ---------------------------------------------------------------------------------------------------------
# Work ledger (工作台账)
# ---------------------------------------------------------------------------------------------------------

from django.core.exceptions import ValidationError  # noqa: E402
from django.utils.translation import gettext as _  # noqa: E402

from yushu_gov.access import can_view  # noqa: E402
from yushu_gov.masking import mask_text  # noqa: E402

from .models import Appointment, WorkRecord  # noqa: E402

WORK_RECORD_FIELDS = [
    "kind",
    "occurred_on",
    "community",
    "officer",
    "summary",
    "people_reached",
    "households_reached",
    "value_recovered",
    "severity",
    "outcome",
    "case_number",
    "aid_amount",
    "status",
]

# The fields that only one type uses; on other types they are cleared, so a changed type leaves no
# stray values behind (the table's constraints require it).
WORK_KIND_FIELDS = {
    "severity": WorkRecord.Kind.DISPUTE,
    "outcome": WorkRecord.Kind.DISPUTE,
    "case_number": WorkRecord.Kind.CASE,
    "aid_amount": WorkRecord.Kind.AID,
}


def _work_record_assign(record: WorkRecord, data: dict) -> None:
    for name in WORK_RECORD_FIELDS:
        if name in data:
            setattr(record, name, data[name])
    for name, kind in WORK_KIND_FIELDS.items():
        if record.kind != kind:
            setattr(record, name, None if name == "aid_amount" else "")
    # Residents' ID and mobile numbers never reach the database (the 防返贫 notice rules).
    record.summary = mask_text(record.summary or "")
    record.case_number = (record.case_number or "").strip()


def _work_record_check_scope(record: WorkRecord, by) -> None:
    """The officer and the community must both lie in the user's scope, and the officer must hold (or have
    held) the seat of that community."""
    if not can_view(by, record.officer) or not can_view(by, record.community):
        raise ValidationError(_("只能为本辖区的民警和社区录入工作台账。"))
    served = Appointment.objects.filter(
        officer=record.officer, community=record.community, status__in=Appointment.SEEN_BY_STREET
    ).exists()
    if not served:
        raise ValidationError(
            {
                "officer": _("%(officer)s 未在 %(community)s 任职。")
                % {"officer": record.officer.name, "community": record.community.name}
            }
        )


@transaction.atomic
def work_record_create(*, by, data: dict) -> WorkRecord:
    """Adds a record to the work ledger. `data` is a validated WorkRecordForm's cleaned_data."""
    record = WorkRecord(created_by=by)
    _work_record_assign(record, data)
    _work_record_check_scope(record, by)
    record.full_clean()
    record.save()
    audit_log(
        actor=by,
        action="officers.work_record.created",
        obj=record,
        changes={name: [None, value] for name, value in snapshot(record, WORK_RECORD_FIELDS).items()},
    )
    return record


@transaction.atomic
def work_record_update(*, record: WorkRecord, by, data: dict) -> WorkRecord:
    """Changes a work record; only changed fields are saved and logged."""
    record = WorkRecord.objects.select_for_update().get(pk=record.pk)
    before = snapshot(record, WORK_RECORD_FIELDS)
    _work_record_assign(record, data)
    _work_record_check_scope(record, by)
    record.full_clean()
    changes = changes_of(before, snapshot(record, WORK_RECORD_FIELDS))
    if not changes:
        return record
    record.save(update_fields=[*changes, "updated_at"])
    audit_log(actor=by, action="officers.work_record.changed", obj=record, changes=changes)
    return record
