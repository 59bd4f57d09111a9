"""Every write to the monthly talks. A talk belongs to the street whose committee held it; the officer must be
serving in that street on the day. Once the talk's month has closed (Asia/Shanghai) only the city
administrator may change or delete it, giving a reason that goes into the audit log (the rule itself is
selectors.may_change_talk). Deleting is soft: the record stays, flagged, with who and why."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.models import Community
from communities.settings_tree import nearest
from officers.models import Appointment, Officer
from officers.talks.messages import DELETION_REASON_REQUIRED, EDIT_REASON_REQUIRED
from yushu_gov.audit.log import audit_log, changes_of, snapshot
from yushu_gov.security.masking import mask_text

from . import counts
from .counts import counted
from .models import DEFAULT_EVERY_MONTHS, MonthlyTalk, TalkRule, talk_time_errors
from .selectors import may_change_talk, touches_closed_month

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
    if errors := talk_time_errors(held_at):
        raise ValidationError(errors)
    day = timezone.localtime(held_at).date()
    terms = Appointment.objects.filter(officer=officer, community__street_id=street_id)
    appointment = terms.covering(day).select_related("community").order_by("-started_on").first()
    if appointment is None:
        later = terms.held_between(day, timezone.localdate()).order_by("started_on").first()
        if later is not None and day < later.started_on:
            started = f"{later.started_on:%Y-%m-%d}"
            raise ValidationError({"held_on": _("谈话日期不能早于该民警任职日期（%(date)s）。") % {"date": started}})
        raise ValidationError({"officer": _("该民警在谈话当日未在本街道社区兼任副书记。")})
    return appointment.community


def talk_check_change(*, talk: MonthlyTalk, by, new_held_at: datetime | None = None) -> bool:
    """The closed-month rule, refused here and nowhere else (the views turn the refusal into a 403 before
    showing a form): ValidationError on 谈话日期 when `by` may not change or delete the talk, or move it to
    `new_held_at` (selectors.may_change_talk); otherwise whether the change touches a closed month (which
    then needs a reason)."""
    if not may_change_talk(by, talk, new_held_at=new_held_at):
        raise ValidationError({"held_on": _("该月已结束，只有市级管理员可以修改或删除本月以前的谈话记录。")})
    return touches_closed_month(talk, new_held_at=new_held_at)


def _assign_talk(talk: MonthlyTalk, data: dict) -> None:
    for name in TALK_FIELDS:
        if name in data and name != "community":
            value = data[name]
            # Residents' ID and mobile numbers never reach the record, however they were typed.
            setattr(talk, name, mask_text(value) if isinstance(value, str) else value)
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
    counts.keep(added=counted(talk))
    audit_log(
        actor=by,
        action="officers.talk.recorded",
        obj=talk,
        changes=changes_of({}, snapshot(talk, TALK_FIELDS)),
    )
    return talk


@transaction.atomic
def talk_update(*, talk: MonthlyTalk, by, data: dict, reason: str = "") -> MonthlyTalk:
    """Changes a talk. A closed month's talk (or moving a talk into a closed month) needs the city
    administrator and a reason."""
    talk = MonthlyTalk.objects.select_for_update().alive().select_related("community").get(pk=talk.pk)
    closed = talk_check_change(talk=talk, by=by, new_held_at=data.get("held_at"))
    if closed and not reason.strip():
        raise ValidationError({"reason": str(EDIT_REASON_REQUIRED)})
    before = snapshot(talk, TALK_FIELDS)
    counted_before = counted(talk)
    _assign_talk(talk, data)
    talk.community = _talk_place_in_time(officer=talk.officer, street_id=talk.community.street_id, held_at=talk.held_at)
    talk.full_clean()
    changes = changes_of(before, snapshot(talk, TALK_FIELDS))
    if not changes:
        return talk
    talk.save(update_fields=[*changes, "updated_at"])
    counts.keep(added=counted(talk), removed=counted_before)
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
    talk_check_change(talk=talk, by=by)
    if not reason.strip():
        raise ValidationError({"reason": str(DELETION_REASON_REQUIRED)})
    counted_before = counted(talk)
    talk.deleted_at = timezone.now()
    talk.deleted_by = by
    talk.delete_reason = reason.strip()
    talk.save(update_fields=["deleted_at", "deleted_by", "delete_reason", "updated_at"])
    counts.keep(added=counted(talk), removed=counted_before)
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


# ---------------------------------------------------------------- how often the talks are due (issue 20)


@transaction.atomic
def talk_rule_set(*, area, every_months: int, by) -> TalkRule:
    """Sets how often the talks are due at `area`'s level (None: the deployment's default), for that area and
    every area below it that sets none of its own. The grid and the reminders count by it from then on, for
    the whole year (the months already passed included)."""
    rule = TalkRule.objects.select_for_update().filter(area=area).first()
    if rule is None:
        inherited, _source = nearest(TalkRule.objects.all(), area)
        before = {"every_months": inherited.every_months if inherited else DEFAULT_EVERY_MONTHS}
        rule = TalkRule(area=area)
    else:
        before = snapshot(rule, ["every_months"])
    created = rule.pk is None
    rule.every_months = every_months
    rule.full_clean()
    changes = changes_of(before, snapshot(rule, ["every_months"]))
    if not changes and not created:
        return rule
    try:
        with transaction.atomic():
            rule.save()
    except IntegrityError as exc:  # a colleague set this level's rule at the same moment
        raise ValidationError(_("该层级已设置谈话频次，请刷新页面后重试。")) from exc
    if created and area is not None:
        changes["area"] = [None, str(area)]
    audit_log(actor=by, action="talks.rule.changed", obj=rule, changes=changes)
    return rule


@transaction.atomic
def talk_rule_reset(*, area, by) -> None:
    """恢复继承: `area`'s level gives up its own frequency and inherits the one above again."""
    rule = TalkRule.objects.select_for_update().filter(area=area).first()
    if area is None or rule is None:
        raise ValidationError(_("本级没有单独设置谈话频次。"))
    audit_log(actor=by, action="talks.rule.reset", obj=rule, changes={"every_months": [rule.every_months, None]})
    rule.delete()
