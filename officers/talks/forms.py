"""Input parsing for the monthly talks. The rules a talk must meet are the model's constraints (at least one
topic; an "other" topic named) and the services' (the officer serving in the street on the day)."""

from datetime import datetime, time

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.messages import STREET_LABEL
from officers.messages import ANNUAL_YEAR
from officers.models import Appointment, Officer
from officers.talks.messages import (
    DELETION_REASON,
    DELETION_REASON_REQUIRED,
    EDIT_REASON_REQUIRED,
    FOLLOW_UP,
    OFFICER_THOUGHTS,
    OTHER_TOPICS,
    TALK_CONTENT,
    TALK_DATE,
    TALK_PLACE,
    TALK_TIME,
    TALK_TOPICS,
    TALKER,
    TALKER_POSITION,
)
from yushu_gov.input.forms import ClerkDateField, ClerkTimeField, apply_errors
from yushu_gov.input.idempotency import IdempotentFormMixin
from yushu_gov.input.months import year_label
from yushu_gov.security import limits

from .models import MonthlyTalk, TalkRule, talk_time_errors

# The model fields a talk form sets directly; the constraints on the others are the services' to check.
_TOPIC_FIELDS = [*MonthlyTalk.TOPICS, "other_topic"]


class TalkForm(IdempotentFormMixin, forms.Form):
    """A talk record, short enough to fill on a phone. The date and time are two fields (Asia/Shanghai);
    topics are check boxes (one or more). `street_id` limits the officers to those seated in the street."""

    officer = forms.ModelChoiceField(label=_("谈话对象（民警）"), queryset=Officer.objects.none())
    held_on = ClerkDateField(label=TALK_DATE)
    held_time = ClerkTimeField(label=TALK_TIME)
    place = forms.CharField(label=TALK_PLACE, max_length=100)
    talker_name = forms.CharField(label=TALKER, max_length=30)
    talker_role = forms.ChoiceField(label=TALKER_POSITION, choices=MonthlyTalk.TalkerRole.choices)
    topics = forms.MultipleChoiceField(
        label=TALK_TOPICS,
        choices=list(MonthlyTalk.TOPICS.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,  # "at least one" is the model's constraint talk_has_a_topic
    )
    other_topic = forms.CharField(label=OTHER_TOPICS, max_length=100, required=False, help_text=_("选择“其他”时填写。"))
    content = forms.CharField(
        label=TALK_CONTENT, max_length=limits.TALK_CONTENT, widget=forms.Textarea(attrs={"rows": 4})
    )
    officer_views = forms.CharField(
        label=OFFICER_THOUGHTS,
        max_length=limits.TALK_NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    follow_up = forms.CharField(
        label=FOLLOW_UP, max_length=limits.TALK_NOTE, widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, street_id: int, instance: MonthlyTalk | None = None, **kwargs):
        if instance is not None and "initial" not in kwargs:
            local = timezone.localtime(instance.held_at)
            kwargs["initial"] = {
                "officer": instance.officer_id,
                "held_on": local.date(),
                "held_time": local.time().replace(second=0, microsecond=0),
                "topics": [name for name in MonthlyTalk.TOPICS if getattr(instance, name)],
                **{
                    name: getattr(instance, name)
                    for name in ["place", "talker_name", "talker_role", "other_topic", "content"]
                    + ["officer_views", "follow_up"]
                },
            }
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = Officer.objects.filter(
            Exists(
                Appointment.objects.filter(
                    officer=OuterRef("pk"),
                    community__street_id=street_id,
                    status__in=(Appointment.Status.SERVING, Appointment.Status.ENDED),
                )
            )
        ).order_by("name", "police_number")

    def clean(self):
        cleaned = super().clean()
        topics = cleaned.get("topics") or []
        for name in MonthlyTalk.TOPICS:
            cleaned[name] = name in topics
        cleaned["other_topic"] = (cleaned.get("other_topic") or "").strip()
        if "topics" not in self.errors and "other_topic" not in self.errors:
            talk = MonthlyTalk(**{name: cleaned[name] for name in _TOPIC_FIELDS})
            others = {f.name for f in MonthlyTalk._meta.get_fields()} - set(_TOPIC_FIELDS)
            try:
                talk.validate_constraints(exclude=others)
            except ValidationError as exc:
                apply_errors(self, exc)
        if cleaned.get("held_on"):
            held_at = timezone.make_aware(datetime.combine(cleaned["held_on"], cleaned.get("held_time") or time.min))
            for field, message in talk_time_errors(held_at).items():
                self.add_error(field, message)
            if cleaned.get("held_time"):
                cleaned["held_at"] = held_at
        return cleaned


class ClosedMonthTalkForm(TalkForm):
    """The city administrator's edit of a talk whose month has closed: a reason is required."""

    reason = forms.CharField(
        label=_("修改原因"),
        max_length=200,
        help_text=_("该月已结束，修改将连同原因记入审计日志。"),
        error_messages={"required": EDIT_REASON_REQUIRED},
    )


class TalkDeleteForm(forms.Form):
    reason = forms.CharField(
        label=DELETION_REASON,
        max_length=200,
        error_messages={"required": DELETION_REASON_REQUIRED},
    )


class TalkRuleForm(forms.ModelForm):
    """How often the talks are due at the administrator's level; the bounds are the model's constraint."""

    class Meta:
        model = TalkRule
        fields = ["every_months"]


class TalkGridFilter(forms.Form):
    """Year and street of the compliance grid and the ledger (no database query to build the year list)."""

    year = forms.TypedChoiceField(label=ANNUAL_YEAR, coerce=int, required=False)
    street = forms.TypedChoiceField(label=STREET_LABEL, coerce=int, required=False, empty_value=None)

    def __init__(self, *args, streets, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, year_label(y)) for y in range(today.year, 2021, -1)]
        self.fields["street"].choices = [("", _("全部街道"))] + [(s.pk, s.name) for s in streets]
