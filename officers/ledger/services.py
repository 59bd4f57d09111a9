"""Every write to the work ledger (工作台账): a record is added or changed within the user's scope, for an
officer who held the community's seat on the day, with residents' ID and mobile numbers masked out of the
text, and an audit entry in the same transaction."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from officers.models import Appointment
from yushu_gov.access.rights import can_view
from yushu_gov.audit.log import audit_log, changes_of, snapshot
from yushu_gov.input.months import MIN_YEAR
from yushu_gov.security.masking import mask_text

from .counts import counted, keep
from .models import WorkRecord

WORK_RECORD_FIELDS = WorkRecord.ENTRY_FIELDS


def _work_record_assign(record: WorkRecord, data: dict) -> None:
    for name in WORK_RECORD_FIELDS:
        if name in data:
            setattr(record, name, data[name])
    for name, value in WorkRecord.emptied_for(record.kind).items():
        setattr(record, name, value)
    # Residents' ID and mobile numbers never reach the database (the 防返贫 notice rules).
    record.summary = mask_text(record.summary or "")
    record.case_number = (record.case_number or "").strip()


def _work_record_check_scope(record: WorkRecord, by) -> None:
    """The officer and the community must both lie in the user's scope, the date must be a real day of the
    programme and not in the future, and the officer must have held the seat of that community on that day."""
    if not can_view(by, record.officer) or not can_view(by, record.community):
        raise ValidationError(_("只能为本辖区的民警和社区录入工作台账。"))
    if record.occurred_on is None:
        return
    if record.occurred_on > timezone.localdate():
        raise ValidationError({"occurred_on": _("日期不能晚于今天。")})
    if record.occurred_on.year < MIN_YEAR:
        raise ValidationError({"occurred_on": _("日期无效，请核对年份。")})
    served = Appointment.objects.filter(officer=record.officer, community=record.community)
    if not served.covering(record.occurred_on).exists():
        raise ValidationError(
            {
                "officer": _("%(officer)s 在 %(date)s 未在 %(community)s 任职。")
                % {"officer": record.officer.name, "date": record.occurred_on, "community": record.community.name}
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
    keep(added=counted(record))
    audit_log(
        actor=by,
        action="officers.work_record.created",
        obj=record,
        changes=changes_of({}, snapshot(record, WORK_RECORD_FIELDS)),
    )
    return record


@transaction.atomic
def work_record_update(*, record: WorkRecord, by, data: dict) -> WorkRecord:
    """Changes a work record; only changed fields are saved and logged."""
    record = WorkRecord.objects.select_for_update().get(pk=record.pk)
    before = snapshot(record, WORK_RECORD_FIELDS)
    counted_before = counted(record)
    _work_record_assign(record, data)
    _work_record_check_scope(record, by)
    record.full_clean()
    changes = changes_of(before, snapshot(record, WORK_RECORD_FIELDS))
    if not changes:
        return record
    record.save(update_fields=[*changes, "updated_at"])
    keep(added=counted(record), removed=counted_before)
    audit_log(actor=by, action="officers.work_record.changed", obj=record, changes=changes)
    return record
