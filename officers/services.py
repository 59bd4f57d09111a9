"""Every write to officers and appointments that is more than a form save. Each function is atomic,
locks the rows it changes, and writes the audit log in the same transaction."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.models import Community
from yushu_gov.audit import audit_log, changes_of, snapshot
from yushu_gov.roles import Role, role_of

from .models import Appointment, MonthlyTalk, Officer
from .talk_selectors import is_month_closed, serving_appointment

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
# Monthly talks (谈心谈话). A talk belongs to the street whose committee held it; the officer must be serving
# in that street on the day. Once the talk's month has closed (Asia/Shanghai), only the city administrator
# may change or delete it, and must give a reason, which goes into the audit log. Deleting is soft.
# ---------------------------------------------------------------------------------------------------------

TALK_FIELDS = [
    "officer",
    "community",
    "held_at",
    "place",
    "talker_name",
    "talker_role",
    *MonthlyTalk.TOPICS,
    "other_topic",
    "content",
    "officer_views",
    "follow_up",
]


def _talk_place_in_time(*, officer: Officer, street_id: int, held_at) -> Community:
    """The community the officer serves in the street on the talk's day; ValidationError otherwise."""
    now = timezone.now()
    if held_at > now:
        raise ValidationError({"held_on": _("谈话时间不能晚于现在。")})
    day = timezone.localtime(held_at).date()
    appointment = serving_appointment(officer_id=officer.pk, street_id=street_id, on=day)
    if appointment is None:
        started = (
            Appointment.objects.filter(
                officer=officer,
                community__street_id=street_id,
                status__in=(Appointment.Status.SERVING, Appointment.Status.ENDED),
            )
            .order_by("started_on")
            .values_list("started_on", flat=True)
            .first()
        )
        if started is not None and day < started:
            raise ValidationError(
                {"held_on": _("谈话日期不能早于该民警任职日期（%(date)s）。") % {"date": f"{started:%Y-%m-%d}"}}
            )
        raise ValidationError({"officer": _("该民警在谈话当日未在本街道社区兼任副书记。")})
    return appointment.community


def _require_open_month_or_admin(*, talk: MonthlyTalk, by, reason: str, new_held_at=None) -> bool:
    """Whether the change touches a closed month; refuses it unless `by` is the city administrator giving
    a reason."""
    closed = is_month_closed(talk.held_at) or (new_held_at is not None and is_month_closed(new_held_at))
    if not closed:
        return False
    if role_of(by) != Role.CITY_ADMIN:
        raise PermissionDenied(_("该月已结束，只有市级管理员可以修改或删除本月以前的谈话记录。"))
    if not reason.strip():
        raise ValidationError({"reason": _("修改已结束月份的谈话记录，须填写修改原因。")})
    return True


def _assign_talk(talk: MonthlyTalk, data: dict) -> None:
    for name in TALK_FIELDS:
        if name in data and name != "community":
            setattr(talk, name, data[name])
    if not talk.topic_other:
        talk.other_topic = ""


@transaction.atomic
def talk_record(*, by, street_id: int, data: dict) -> MonthlyTalk:
    """Records a talk held by the committee of street `street_id`. `data` is a validated form's
    cleaned_data (with `held_at` an aware datetime)."""
    officer = Officer.objects.select_for_update().get(pk=data["officer"].pk)
    talk = MonthlyTalk(recorded_by=by)
    _assign_talk(talk, data)
    talk.community = _talk_place_in_time(officer=officer, street_id=street_id, held_at=talk.held_at)
    talk.full_clean()
    talk.save()
    audit_log(
        actor=by,
        action="officers.talk.recorded",
        obj=talk,
        changes={name: [None, value] for name, value in snapshot(talk, TALK_FIELDS).items()},
    )
    return talk


@transaction.atomic
def talk_update(*, talk: MonthlyTalk, by, data: dict, reason: str = "") -> MonthlyTalk:
    """Changes a talk. A closed month's talk (or moving a talk into a closed month) needs the city
    administrator and a reason."""
    talk = MonthlyTalk.objects.select_for_update().alive().select_related("community").get(pk=talk.pk)
    closed = _require_open_month_or_admin(talk=talk, by=by, reason=reason, new_held_at=data.get("held_at"))
    before = snapshot(talk, TALK_FIELDS)
    _assign_talk(talk, data)
    talk.community = _talk_place_in_time(officer=talk.officer, street_id=talk.community.street_id, held_at=talk.held_at)
    talk.full_clean()
    changes = changes_of(before, snapshot(talk, TALK_FIELDS))
    if not changes:
        return talk
    talk.save(update_fields=[*changes, "updated_at"])
    if closed:
        changes["reason"] = [None, reason.strip()]
    audit_log(
        actor=by,
        action="officers.talk.changed_closed_month" if closed else "officers.talk.changed",
        obj=talk,
        changes=changes,
    )
    return talk


@transaction.atomic
def talk_delete(*, talk: MonthlyTalk, by, reason: str) -> MonthlyTalk:
    """Soft-deletes a talk: it leaves the grid, lists and ledger, and stays in the database and the audit
    log with who deleted it and why."""
    talk = MonthlyTalk.objects.select_for_update().alive().get(pk=talk.pk)
    _require_open_month_or_admin(talk=talk, by=by, reason=reason or " ")
    if not reason.strip():
        raise ValidationError({"reason": _("请填写删除原因。")})
    talk.deleted_at = timezone.now()
    talk.deleted_by = by
    talk.delete_reason = reason.strip()
    talk.save(update_fields=["deleted_at", "deleted_by", "delete_reason", "updated_at"])
    audit_log(
        actor=by,
        action="officers.talk.deleted",
        obj=talk,
        # The whole record as it was, and why it went.
        changes={
            **{name: [value, None] for name, value in snapshot(talk, TALK_FIELDS).items()},
            "reason": [None, reason.strip()],
        },
    )
    return talk
