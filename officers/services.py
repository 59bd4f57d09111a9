"""Every write to officers and appointments that is more than a form save. Each function is atomic,
locks the rows it changes, checks the current state, and writes the audit log in the same transaction.

The selection procedure (DOMAIN.md §4.1) is here, one function per step:
nominate → review → report → decide → file → serve → end, and return / withdraw before serving.
"""

import datetime
from collections.abc import Callable
from contextlib import ExitStack

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.models import Community
from officers.messages import (
    APPOINTMENT_MEETING_DATE,
    ARRIVAL_STEP,
    DECISION_STEP,
    DEPARTURE_DATE,
    DEPARTURE_STEP,
    DOCUMENT_DATE,
    FILING_STEP,
    LETTER_ISSUED_DATE,
    MEETING_DATE,
    NOMINATION_DATE,
    OATH_DATE,
    REPORT_STEP,
    REPORTED_ON,
    RETURN_STEP,
    REVIEW_DATE,
    WITHDRAW_STEP,
)
from yushu_gov.access.roles import Role, role_of
from yushu_gov.audit.log import audit_log, changes_of, snapshot
from yushu_gov.input.constraints import constraint_messages, integrity_error
from yushu_gov.input.validators import normalize_document_no, validate_document_no
from yushu_gov.security.masking import mask_text

from .models import Appointment, AppointmentStep, LetterCounter, Officer, QualificationCheck, QualificationStandard
from .selectors import seat_conflicts

OFFICER_FIELDS = Officer.REGISTER_FIELDS


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
        changes=changes_of({}, snapshot(officer, OFFICER_FIELDS)),
    )
    return officer


@transaction.atomic
def officer_update(*, officer: Officer, by, data: dict) -> Officer:
    """Changes an officer's register entry; only the fields whose values changed are saved and logged."""
    officer = Officer.objects.select_for_update().get(pk=officer.pk)
    before = snapshot(officer, OFFICER_FIELDS)
    old_photo = officer.photo.name
    _assign(officer, data)
    officer.full_clean()
    changes = changes_of(before, snapshot(officer, OFFICER_FIELDS))
    if not changes:
        return officer
    officer.save(update_fields=[*changes, "updated_at"])
    audit_log(actor=by, action="officers.officer.changed", obj=officer, changes=changes)
    if old_photo and old_photo != officer.photo.name:
        # A replaced or cleared photo leaves the public media folder once the change is committed.
        storage = officer.photo.storage
        transaction.on_commit(lambda: storage.delete(old_photo))
    return officer


@transaction.atomic
def officer_consent_set(*, officer: Officer, by, given: bool, note: str = "") -> Officer:
    """Records (or withdraws) the officer's consent to appear in the public directory (PIPL): who recorded
    it and when. Without it the directory does not show him."""
    officer = Officer.objects.select_for_update().get(pk=officer.pk)
    if given == (officer.directory_consent_at is not None):
        return officer
    officer.directory_consent_at = timezone.now() if given else None
    officer.directory_consent_by = by if given else None
    officer.save(update_fields=["directory_consent_at", "directory_consent_by", "updated_at"])
    audit_log(
        actor=by,
        action="officers.officer.consent_recorded" if given else "officers.officer.consent_withdrawn",
        obj=officer,
        changes={"note": [None, mask_text(note)]} if note else {},
    )
    return officer


@transaction.atomic
def officer_personal_data_erase(*, officer: Officer, rule: str) -> bool:
    """Erases the officer's ID and mobile numbers and photo (PIPL retention); the register entry, his name
    and police number stay, for the records that refer to them. Audited; returns False if already erased."""
    officer = Officer.objects.select_for_update().get(pk=officer.pk)
    if officer.personal_data_erased_at is not None:
        return False
    photo = officer.photo.name
    officer.id_number = ""
    officer.mobile = ""
    officer.photo = ""
    officer.directory_consent_at, officer.directory_consent_by = None, None
    officer.personal_data_erased_at = timezone.now()
    fields = ["id_number", "mobile", "photo", "directory_consent_at", "directory_consent_by"]
    officer.save(update_fields=[*fields, "personal_data_erased_at", "updated_at"])
    audit_log(
        actor=None,
        action="officers.officer.personal_data_erased",
        obj=officer,
        changes={"erased": [None, ["id_number", "mobile", "photo"]], "rule": [None, rule]},
    )
    if photo:
        storage = officer.photo.storage
        transaction.on_commit(lambda: storage.delete(photo))
    return True


# --- The selection procedure -------------------------------------------------------------------------

S = Appointment.Status


def _check_date(on_date: datetime.date, *, after: datetime.date | None, label: str) -> None:
    today = timezone.localdate()
    if on_date > today:
        raise ValidationError({"on_date": _("%(label)s不能晚于今天。") % {"label": label}})
    if after is not None and on_date < after:
        raise ValidationError(
            {"on_date": _("%(label)s不能早于上一步骤的日期（%(date)s）。") % {"label": label, "date": after}}
        )


def _locked(appointment: Appointment, step: str, action: str) -> Appointment:
    """The appointment row locked for update, provided it is still in a status the step starts from."""
    locked = Appointment.objects.select_for_update().select_related("officer", "community").get(pk=appointment.pk)
    if locked.status not in Appointment.STEP_STARTS[step]:
        raise ValidationError(wrong_step_message(locked.status, step, action), code="wrong_status")
    return locked


# The procedure's steps in order: the one that follows each status.
PROCEDURE = ("review", "report", "decide", "file", "serve", "end")


def wrong_step_message(status: str, step: str, action: str) -> str:
    """Why `step` cannot be taken from `status`, and which step is next: the step was done already (by
    someone else, most likely: refresh), it is not its turn yet, or the procedure is over."""
    following = next((name for name in PROCEDURE if Appointment.STEP_STARTS[name] == (status,)), None)
    values = {"status": Appointment.Status(status).label, "action": action}
    if following is None:
        return _("该任职当前状态为“%(status)s”，任职程序已结束，不能%(action)s。") % values
    values["next"] = Appointment.STEP_TITLES[following]
    if step not in PROCEDURE:  # 退回, 撤回: only before serving
        return _("该任职当前状态为“%(status)s”，不能%(action)s。下一步是“%(next)s”。") % values
    if PROCEDURE.index(step) < PROCEDURE.index(following):
        return (
            _("该任职当前状态为“%(status)s”，此步骤已办理（可能已有他人办理，请刷新页面）。下一步是“%(next)s”。")
            % values
        )
    return _("该任职当前状态为“%(status)s”，还不能%(action)s：下一步应办理“%(next)s”。") % values


TERMS = {Appointment.Status.SERVING, Appointment.Status.ENDED}  # the statuses of a term that has begun
_TERM_KEEPERS: list[Callable] = []


def register_term_keeper(keeper: Callable) -> None:
    """A context manager factory taking [(officer id, street id)], entered around every transition that begins
    or ends a term (the talks' compliance roll-ups register theirs: talks sit above this layer)."""
    _TERM_KEEPERS.append(keeper)


def _transition(
    appointment: Appointment,
    *,
    to: str,
    by,
    on_date: datetime.date,
    reference: str = "",
    note: str = "",
    fields: dict | None = None,
) -> Appointment:
    """Moves a locked appointment to `to`: one compare-and-set UPDATE (so that two clerks pressing the
    same button advance it once, on any database), one step row, one audit entry."""
    fields = {name: mask_text(value) if isinstance(value, str) else value for name, value in (fields or {}).items()}
    reference, note = mask_text(reference), mask_text(note)
    before = snapshot(appointment, ["status", *fields])
    current = appointment.status
    for name, value in fields.items():
        setattr(appointment, name, value)
    appointment.status = to
    # The seat rules, with the model's own messages; the database constraints guard the race between checks.
    appointment.validate_constraints()
    # A term that begins or ends: the counts that follow the terms are kept in this transaction.
    with ExitStack() as keepers:
        if {current, to} & TERMS:
            pairs = [(appointment.officer_id, appointment.community.street_id)]
            for keeper in _TERM_KEEPERS:
                keepers.enter_context(keeper(pairs))
        updated = Appointment.objects.filter(pk=appointment.pk, status=current).update(
            status=to, updated_at=timezone.now(), **fields
        )
        if updated != 1:
            raise ValidationError(_("该任职已被他人办理，请刷新页面。"), code="concurrent")
    AppointmentStep.objects.create(
        appointment=appointment, status=to, actor=by, on_date=on_date, reference=reference, note=note
    )
    audit_log(
        actor=by,
        action=f"officers.appointment.{to}",
        obj=appointment,
        changes=changes_of(before, snapshot(appointment, ["status", *fields])),
    )
    return appointment


def _last_date(appointment: Appointment) -> datetime.date | None:
    return appointment.steps.aggregate(last=Max("on_date"))["last"]


def appointment_nominate(
    *, officer: Officer, community: Community, by, on_date: datetime.date, reference: str = "", note: str = ""
) -> Appointment:
    """人选推荐: the street committee, with the police station's branch, nominates an officer."""
    _check_date(on_date, after=None, label=str(NOMINATION_DATE))
    reference, note = mask_text(reference), mask_text(note)
    if not officer.is_party_member:
        raise ValidationError({"officer": _("只能推荐中共党员民警担任社区党支部副书记。")})
    appointment = Appointment(
        officer=officer, community=community, status=S.NOMINATED, nominated_on=on_date, nomination_note=note
    )
    try:
        with transaction.atomic():
            Officer.objects.select_for_update().get(pk=officer.pk)
            appointment.validate_constraints()
            appointment.save()
            AppointmentStep.objects.create(
                appointment=appointment, status=S.NOMINATED, actor=by, on_date=on_date, reference=reference, note=note
            )
            audit_log(
                actor=by,
                action="officers.appointment.nominated",
                obj=appointment,
                changes={"officer": [None, str(officer)], "community": [None, community.name]},
            )
    except IntegrityError as exc:
        raise integrity_error(exc, appointment) from exc
    return appointment


@transaction.atomic
def appointment_review(
    *, appointment: Appointment, by, on_date: datetime.date, results: dict[int, tuple[bool, str]], reference: str = ""
) -> Appointment:
    """资格审查: every active standard checked, met or not, with a note. The review passes only when every
    standard is met; otherwise nothing is saved and the unmet standards are named."""
    appointment = _locked(appointment, "review", _("进行资格审查"))
    _check_date(on_date, after=_last_date(appointment), label=str(REVIEW_DATE))
    standards = list(QualificationStandard.objects.filter(active=True))
    missing = [s for s in standards if s.pk not in results]
    if missing:
        raise ValidationError(_("请逐项审查全部资格标准。"), code="incomplete")
    unmet = [s for s in standards if not results[s.pk][0]]
    if unmet:
        raise ValidationError(
            _("以下标准不符合，资格审查不能通过：%(items)s") % {"items": "；".join(s.text for s in unmet)},
            code="unmet",
        )
    if not appointment.officer.is_party_member:
        raise ValidationError(_("该民警不是中共党员，不能担任社区党支部副书记。"), code="not_party_member")
    QualificationCheck.objects.bulk_create(
        [
            QualificationCheck(
                appointment=appointment,
                standard=s,
                met=results[s.pk][0],
                note=mask_text(results[s.pk][1]),
                reviewed_by=by,
            )
            for s in standards
        ]
    )
    return _transition(appointment, to=S.REVIEWED, by=by, on_date=on_date, reference=reference)


@transaction.atomic
def appointment_report(*, appointment: Appointment, by, on_date: datetime.date, reference: str) -> Appointment:
    """上报请示: the request for approval sent to the city organisation department and the bureau's party committee."""
    appointment = _locked(appointment, "report", str(REPORT_STEP))
    _check_date(on_date, after=_last_date(appointment), label=str(REPORTED_ON))
    return _transition(
        appointment, to=S.REPORTED, by=by, on_date=on_date, reference=reference, fields={"reported_on": on_date}
    )


@transaction.atomic
def appointment_decide(*, appointment: Appointment, by, on_date: datetime.date, meeting: str) -> Appointment:
    """研究任职: the decision taken at a meeting."""
    appointment = _locked(appointment, "decide", str(DECISION_STEP))
    _check_date(on_date, after=_last_date(appointment), label=str(MEETING_DATE))
    if not meeting.strip():
        raise ValidationError({"reference": _("请填写研究任职的会议名称。")})
    return _transition(
        appointment,
        to=S.DECIDED,
        by=by,
        on_date=on_date,
        reference=meeting,
        fields={"decided_on": on_date, "decision_meeting": meeting},
    )


@transaction.atomic
def appointment_file(*, appointment: Appointment, by, on_date: datetime.date, document_no: str) -> Appointment:
    """发文备案: the appointment document issued and filed; the appointment letter gets its number."""
    appointment = _locked(appointment, "file", str(FILING_STEP))
    _check_date(on_date, after=_last_date(appointment), label=str(DOCUMENT_DATE))
    document_no = normalize_document_no(document_no)
    try:
        validate_document_no(document_no)
    except ValidationError as exc:
        raise ValidationError({"reference": exc.messages}) from exc
    year = on_date.year
    serial = _next_letter_serial(year)
    try:
        with transaction.atomic():
            return _transition(
                appointment,
                to=S.FILED,
                by=by,
                on_date=on_date,
                reference=document_no,
                fields={"filed_on": on_date, "document_no": document_no, "letter_year": year, "letter_serial": serial},
            )
    except IntegrityError as exc:
        raise integrity_error(exc, appointment) from exc


def _next_letter_serial(year: int) -> int:
    """The year's next appointment-letter number, from the year's counter row locked FOR UPDATE until the
    filing commits: a second filing at the same moment waits for it and takes the number after. The first
    filing of a year creates the row (starting from the numbers already given, if any)."""
    counter = LetterCounter.objects.select_for_update().filter(year=year).first()
    if counter is None:
        given = Appointment.objects.filter(letter_year=year).aggregate(last=Max("letter_serial"))["last"] or 0
        try:
            with transaction.atomic():
                LetterCounter.objects.create(year=year, last_serial=given)
        except IntegrityError:
            pass  # another filing created it in between: lock theirs
        counter = LetterCounter.objects.select_for_update().get(year=year)
    counter.last_serial += 1
    counter.save(update_fields=["last_serial"])
    return counter.last_serial


def appointment_serve(
    *,
    appointment: Appointment,
    by,
    meeting_on: datetime.date,
    announced_on: datetime.date,
    letter_issued_on: datetime.date,
    oath_on: datetime.date,
    note: str = "",
    rotate: bool = False,
    consent: bool = False,
    consent_note: str = "",
) -> Appointment:
    """在任: after the street committee's appointment meeting (任命大会), the announcement to residents, the
    appointment letter (任命书) and the oath (宣誓). The seat rules are the database's to guarantee.

    `rotate` (轮换): the community's current deputy secretary, and the seat the officer holds elsewhere, end on
    the day of the appointment meeting (reason 轮岗交流), in the same transaction as the new term begins on
    that day; each change has its step row and audit entry.

    `consent`: the street that registers the term records, on the same form, the officer's written consent to
    appear in the public directory (PIPL); without it the resident's page does not name him and a to-do item
    stays until it is recorded (officers/todo.py)."""
    try:
        with transaction.atomic():
            appointment = _locked(appointment, "serve", str(ARRIVAL_STEP))
            after = _last_date(appointment)
            for value, label, field in [
                (meeting_on, str(APPOINTMENT_MEETING_DATE), "meeting_on"),
                (announced_on, _("通报日期"), "announced_on"),
                (letter_issued_on, str(LETTER_ISSUED_DATE), "letter_issued_on"),
                (oath_on, str(OATH_DATE), "oath_on"),
            ]:
                try:
                    _check_date(value, after=after, label=label)
                except ValidationError as exc:
                    raise ValidationError({field: exc.message_dict["on_date"]}) from exc
            if rotate:
                _rotate_out(appointment, by=by, on_date=meeting_on)
            else:
                _refuse_seat_conflicts(appointment)
            serving = _transition(
                appointment,
                to=S.SERVING,
                by=by,
                on_date=meeting_on,
                reference=_("任命大会"),
                note=note,
                fields={
                    "meeting_on": meeting_on,
                    "announced_on": announced_on,
                    "letter_issued_on": letter_issued_on,
                    "oath_on": oath_on,
                    "started_on": meeting_on,
                },
            )
            if consent:
                officer_consent_set(officer=serving.officer, by=by, given=True, note=consent_note)
            return serving
    except IntegrityError as exc:
        raise integrity_error(exc, appointment) from exc


def _refuse_seat_conflicts(appointment: Appointment) -> None:
    """Serving without a rotation while the seat rules would be broken: the rules' own messages (the
    constraints'), who holds which seat, and how to go on."""
    conflicts = seat_conflicts(officer=appointment.officer, community=appointment.community, exclude=appointment)
    if not conflicts.any:
        return
    rules = constraint_messages(Appointment)
    broken = []
    if conflicts.community_holder is not None:
        broken.append(rules["one_serving_seat_per_community"])
    if conflicts.officer_seat is not None:
        broken.append(rules["one_serving_community_per_officer"])
    hint = _("如为轮换，请勾选“轮换”：现任者离任与新任者到任在同一天办理。")
    raise ValidationError({"rotate": [*broken, *conflicts.messages(), hint]}, code="seat_taken")


def _rotate_out(appointment: Appointment, *, by, on_date: datetime.date) -> None:
    """Ends, on `on_date`, the serving seats the new term collides with (the community's holder, the officer's
    seat elsewhere), locked in the caller's transaction."""
    holders = list(
        Appointment.objects.select_for_update()
        .filter(status=S.SERVING)
        .filter(Q(community=appointment.community_id) | Q(officer=appointment.officer_id))
        .exclude(pk=appointment.pk)
        .select_related("officer", "community")
    )
    if not holders:
        raise ValidationError({"rotate": _("该社区和该民警都没有需要轮换的在任任职，请取消勾选“轮换”。")})
    for holder in holders:
        if on_date < holder.started_on:
            raise ValidationError(
                {"meeting_on": _("轮换日期不能早于%(name)s的任职日期（%(date)s）。")
                 % {"name": holder.officer.name, "date": f"{holder.started_on:%Y-%m-%d}"}}
            )  # fmt: skip
        note = _("轮换：%(community)s由%(name)s接任。") % {
            "community": appointment.community.name,
            "name": appointment.officer.name,
        }
        if holder.community_id != appointment.community_id:
            note = _("轮换：%(name)s转任%(community)s党支部副书记。") % {
                "name": holder.officer.name,
                "community": appointment.community.name,
            }
        _transition(
            holder,
            to=S.ENDED,
            by=by,
            on_date=on_date,
            reference=Appointment.EndReason.ROTATION.label,
            note=note,
            fields={"ended_on": on_date, "end_reason": Appointment.EndReason.ROTATION, "closing_note": note},
        )


@transaction.atomic
def appointment_end(
    *, appointment: Appointment, by, on_date: datetime.date, reason: str, note: str = ""
) -> Appointment:
    """离任: the officer leaves the seat, with the date and the reason."""
    appointment = _locked(appointment, "end", str(DEPARTURE_STEP))
    _check_date(on_date, after=appointment.started_on, label=str(DEPARTURE_DATE))
    if reason not in Appointment.EndReason.values:
        raise ValidationError({"reason": _("请选择离任原因。")})
    return _transition(
        appointment,
        to=S.ENDED,
        by=by,
        on_date=on_date,
        reference=Appointment.EndReason(reason).label,
        note=note,
        fields={"ended_on": on_date, "end_reason": reason, "closing_note": note},
    )


def _close(appointment: Appointment, *, step: str, to: str, by, reason: str, action: str) -> Appointment:
    appointment = _locked(appointment, step, action)
    if not reason.strip():
        raise ValidationError({"note": _("请填写原因。")})
    return _transition(
        appointment, to=to, by=by, on_date=timezone.localdate(), note=reason, fields={"closing_note": reason}
    )


@transaction.atomic
def appointment_return(*, appointment: Appointment, by, reason: str) -> Appointment:
    """退回: the city sends a nomination back, at any step before serving, with the reason."""
    return _close(appointment, step="return", to=S.RETURNED, by=by, reason=reason, action=str(RETURN_STEP))


def withdrawal_allowed(user, appointment: Appointment) -> bool:
    """Street staff withdraw only what the city has not yet received (nominated or reviewed)."""
    return role_of(user) != Role.STREET_STAFF or appointment.status in (S.NOMINATED, S.REVIEWED)


@transaction.atomic
def appointment_withdraw(*, appointment: Appointment, by, reason: str) -> Appointment:
    """撤回: the nomination is withdrawn, with the reason. The street withdraws its own nomination until it
    has been reported to the city; after that only the city can (at any step before serving)."""
    if not withdrawal_allowed(by, appointment):
        raise ValidationError(_("该任职已上报市委组织部，街道不能再撤回，请联系市级管理员办理。"), code="reported")
    return _close(appointment, step="withdraw", to=S.WITHDRAWN, by=by, reason=reason, action=str(WITHDRAW_STEP))
