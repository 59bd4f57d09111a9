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
