from datetime import datetime

from django import forms
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.models import Community
from yushu_gov.forms import DATE_PLACEHOLDER
from yushu_gov.validators import normalize_document_no, normalize_id_number, validate_document_no

from .models import Appointment, MonthlyTalk, Officer, QualificationStandard


class OfficerForm(forms.ModelForm):
    """The officer register entry. On edit the ID number field starts empty (the full number is never sent
    to a browser): leaving it empty keeps the stored number."""

    class Meta:
        model = Officer
        fields = Officer.REGISTER_FIELDS
        widgets = {
            "party_member_since": forms.DateInput(attrs={"placeholder": DATE_PLACEHOLDER}, format="%Y-%m-%d"),
            "id_number": forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
            "mobile": forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.editing = self.instance.pk is not None
        if self.editing:
            self.fields["id_number"].required = False
            self.fields["id_number"].help_text = _("当前：%(masked)s。不修改请留空。") % {
                "masked": self.instance.masked_id_number
            }
            self.fields["mobile"].required = False
            self.fields["mobile"].help_text = _("当前：%(masked)s。不修改请留空。") % {
                "masked": self.instance.masked_mobile
            }
            # Never render the stored numbers back into the page.
            self.initial["id_number"] = ""
            self.initial["mobile"] = ""

    def clean_id_number(self):
        value = normalize_id_number(self.cleaned_data.get("id_number", ""))
        if not value and self.editing:
            return self.instance.id_number
        return value

    def clean_mobile(self):
        value = (self.cleaned_data.get("mobile") or "").strip()
        if not value and self.editing:
            return self.instance.mobile
        return value

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("party_status") == Officer.PartyStatus.NONE:
            cleaned["party_member_since"] = None
        elif cleaned.get("party_status") and not cleaned.get("party_member_since"):
            self.add_error("party_member_since", _("党员须填写入党时间。"))
        return cleaned


# --- The selection procedure ---------------------------------------------------------------------------


def _date_field(label, **kwargs):
    return forms.DateField(
        label=label, widget=forms.DateInput(attrs={"placeholder": DATE_PLACEHOLDER}, format="%Y-%m-%d"), **kwargs
    )


class NominationForm(forms.Form):
    """人选推荐. The communities are those of the clerk's street; the officers those who may be nominated:
    party members with no appointment in progress."""

    community = forms.ModelChoiceField(label=_("社区"), queryset=Community.objects.none())
    officer = forms.ModelChoiceField(label=_("推荐人选（党员民警）"), queryset=Officer.objects.none())
    on_date = _date_field(_("推荐日期"))
    reference = forms.CharField(
        label=_("推荐会议或文件"), max_length=200, required=False, help_text=_("如：街道党工委会议、派出所党支部会议")
    )
    note = forms.CharField(label=_("推荐理由"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = Community.objects.visible_to(user).select_related("street")
        self.fields["officer"].queryset = Officer.objects.nominable(user).select_related("station")
        self.fields["officer"].label_from_instance = lambda o: f"{o.name}（{o.police_number}，{o.station.name}）"


class ReviewForm(forms.Form):
    """资格审查: one met / not met choice and a note per active standard."""

    on_date = _date_field(_("审查日期"))
    reference = forms.CharField(label=_("审查依据（会议或材料）"), max_length=200, required=False)

    MET_CHOICES = [("yes", _("符合")), ("no", _("不符合"))]

    def __init__(self, *args, appointment=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.standards = list(QualificationStandard.objects.filter(active=True))
        for standard in self.standards:
            self.fields[f"met_{standard.pk}"] = forms.ChoiceField(
                label=standard.text, choices=self.MET_CHOICES, widget=forms.RadioSelect
            )
            self.fields[f"note_{standard.pk}"] = forms.CharField(
                label=_("审查说明"), max_length=300, required=True,
                widget=forms.TextInput(attrs={"placeholder": _("如：经查阅档案，符合")}),
            )  # fmt: skip

    def rows(self):
        return [(s, self[f"met_{s.pk}"], self[f"note_{s.pk}"]) for s in self.standards]

    def service_kwargs(self):
        data = self.cleaned_data
        return {
            "on_date": data["on_date"],
            "reference": data["reference"],
            "results": {s.pk: (data[f"met_{s.pk}"] == "yes", data[f"note_{s.pk}"]) for s in self.standards},
        }


class ReportForm(forms.Form):
    on_date = _date_field(_("上报日期"))
    reference = forms.CharField(
        label=_("请示文件"), max_length=200, help_text=_("如：关于提名某某同志兼任社区党支部副书记的请示")
    )

    def __init__(self, *args, appointment=None, **kwargs):
        super().__init__(*args, **kwargs)

    def service_kwargs(self):
        return {"on_date": self.cleaned_data["on_date"], "reference": self.cleaned_data["reference"]}


class DecideForm(ReportForm):
    on_date = _date_field(_("会议日期"))
    reference = forms.CharField(label=_("研究任职的会议"), max_length=100, help_text=_("如：市委组织部部务会"))

    def service_kwargs(self):
        return {"on_date": self.cleaned_data["on_date"], "meeting": self.cleaned_data["reference"]}


class FileForm(ReportForm):
    on_date = _date_field(_("发文日期"))
    reference = forms.CharField(
        label=_("任职文号"), max_length=50, help_text=_("例如：玉市组〔2022〕12号（方括号可输入 [ ] 或（ ））")
    )

    def clean_reference(self):
        value = normalize_document_no(self.cleaned_data["reference"])
        validate_document_no(value)
        return value

    def service_kwargs(self):
        return {"on_date": self.cleaned_data["on_date"], "document_no": self.cleaned_data["reference"]}


class ServeForm(forms.Form):
    meeting_on = _date_field(_("任命大会日期"), help_text=_("街道党工委召开任命大会的日期，即任职日期。"))
    announced_on = _date_field(_("向居民通报任职决定的日期"))
    letter_issued_on = _date_field(_("颁发任命书日期"))
    oath_on = _date_field(_("宣誓日期"))
    note = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, appointment=None, **kwargs):
        super().__init__(*args, **kwargs)

    def service_kwargs(self):
        return dict(self.cleaned_data)


class EndForm(forms.Form):
    on_date = _date_field(_("离任日期"))
    reason = forms.ChoiceField(label=_("离任原因"), choices=Appointment.EndReason.choices)
    note = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, appointment=None, **kwargs):
        super().__init__(*args, **kwargs)

    def service_kwargs(self):
        return dict(self.cleaned_data)


class CloseForm(forms.Form):
    note = forms.CharField(label=_("原因"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, appointment=None, **kwargs):
        super().__init__(*args, **kwargs)

    def service_kwargs(self):
        return {"reason": self.cleaned_data["note"]}


# ---------------------------------------------------------------------------------------------------------
# Monthly talks (谈心谈话)
# ---------------------------------------------------------------------------------------------------------


class TalkForm(forms.Form):
    """A talk record, short enough to fill on a phone. The date and time are two fields (Asia/Shanghai);
    topics are check boxes (one or more). `street_id` limits the officers to those seated in the street."""

    officer = forms.ModelChoiceField(label=_("谈话对象（民警）"), queryset=Officer.objects.none())
    held_on = forms.DateField(
        label=_("谈话日期"), widget=forms.DateInput(attrs={"placeholder": DATE_PLACEHOLDER}, format="%Y-%m-%d")
    )
    held_time = forms.TimeField(
        label=_("谈话时间"),
        widget=forms.TimeInput(attrs={"placeholder": _("如 14:30"), "inputmode": "numeric"}, format="%H:%M"),
    )
    place = forms.CharField(label=_("谈话地点"), max_length=100)
    talker_name = forms.CharField(label=_("谈话人"), max_length=30)
    talker_role = forms.ChoiceField(label=_("谈话人职务"), choices=MonthlyTalk.TalkerRole.choices)
    topics = forms.MultipleChoiceField(
        label=_("谈话议题"),
        choices=list(MonthlyTalk.TOPICS.items()),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请至少选择一项谈话议题。")},
    )
    other_topic = forms.CharField(
        label=_("其他议题"), max_length=100, required=False, help_text=_("选择“其他”时填写。")
    )
    content = forms.CharField(label=_("谈话主要内容"), widget=forms.Textarea(attrs={"rows": 4}))
    officer_views = forms.CharField(
        label=_("民警思想状况及意见建议"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    follow_up = forms.CharField(label=_("跟进措施"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

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

    def clean_held_on(self):
        held_on = self.cleaned_data["held_on"]
        if held_on > timezone.localdate():
            raise forms.ValidationError(_("谈话日期不能晚于今天。"))
        return held_on

    def clean(self):
        cleaned = super().clean()
        topics = cleaned.get("topics") or []
        if "topic_other" in topics and not (cleaned.get("other_topic") or "").strip():
            self.add_error("other_topic", _("选择“其他”议题时请填写议题内容。"))
        if cleaned.get("held_on") and cleaned.get("held_time") and "held_on" not in self.errors:
            held_at = timezone.make_aware(datetime.combine(cleaned["held_on"], cleaned["held_time"]))
            if held_at > timezone.now():
                self.add_error("held_time", _("谈话时间不能晚于现在。"))
            cleaned["held_at"] = held_at
        for name in MonthlyTalk.TOPICS:
            cleaned[name] = name in topics
        return cleaned


class ClosedMonthTalkForm(TalkForm):
    """The city administrator's edit of a talk whose month has closed: a reason is required."""

    reason = forms.CharField(
        label=_("修改原因"),
        max_length=200,
        help_text=_("该月已结束，修改将连同原因记入审计日志。"),
        error_messages={"required": _("修改已结束月份的谈话记录，须填写修改原因。")},
    )


class TalkDeleteForm(forms.Form):
    reason = forms.CharField(
        label=_("删除原因"),
        max_length=200,
        error_messages={"required": _("请填写删除原因。")},
    )


class TalkGridFilter(forms.Form):
    """Year and street of the compliance grid and the ledger (no database query to build the year list)."""

    year = forms.TypedChoiceField(label=_("年度"), coerce=int, required=False)
    street = forms.TypedChoiceField(label=_("街道"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, streets, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, _("%(year)s年") % {"year": y}) for y in range(today.year, 2021, -1)]
        self.fields["street"].choices = [("", _("全部街道"))] + [(s.pk, s.name) for s in streets]


# ---------------------------------------------------------------------------------------------------------
# Work ledger (工作台账)
# ---------------------------------------------------------------------------------------------------------

from datetime import date  # noqa: E402

from communities.models import Community  # noqa: E402

from .models import Appointment, WorkRecord  # noqa: E402


class WorkRecordForm(forms.ModelForm):
    """A work record. The officers and communities offered are those in the user's scope; the fields that
    belong to one type (a dispute's severity and outcome, a case's number, an aid visit's amount) are
    required for that type and ignored for the others."""

    class Meta:
        model = WorkRecord
        fields = WorkRecord.ENTRY_FIELDS
        widgets = {
            "occurred_on": forms.DateInput(attrs={"placeholder": DATE_PLACEHOLDER}, format="%Y-%m-%d"),
            "summary": forms.Textarea(attrs={"rows": 4}),
            "case_number": forms.TextInput(attrs={"autocomplete": "off"}),
        }
        help_texts = {
            "summary": _("请勿填写群众的身份证号码和手机号码；如填写，保存时自动打码。"),
            "severity": _("仅“矛盾纠纷调解”填写（必填）。"),
            "outcome": _("仅“矛盾纠纷调解”填写；已办结的纠纷必填。"),
            "case_number": _("仅“治安案件查处”填写（必填）。"),
            "aid_amount": _("仅“帮扶慰问”填写（必填），单位：元。"),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = Community.objects.visible_to(user).select_related("street")
        self.fields["officer"].queryset = (
            Officer.objects.visible_to(user)
            .filter(appointments__status__in=Appointment.SEEN_BY_STREET)
            .distinct()
            .order_by("name")
        )

    def clean_occurred_on(self):
        value = self.cleaned_data["occurred_on"]
        if value and value > date.today():  # noqa: DTZ011 (a calendar date typed by the user)
            raise forms.ValidationError(_("日期不能晚于今天。"))
        return value

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind == WorkRecord.Kind.DISPUTE:
            if not cleaned.get("severity"):
                self.add_error("severity", _("矛盾纠纷调解须选择纠纷等级。"))
            if cleaned.get("status") == WorkRecord.Status.DONE and not cleaned.get("outcome"):
                self.add_error("outcome", _("已办结的矛盾纠纷须填写调解结果。"))
        if kind == WorkRecord.Kind.CASE and not (cleaned.get("case_number") or "").strip():
            self.add_error("case_number", _("治安案件查处须填写案件编号。"))
        if kind == WorkRecord.Kind.AID:
            amount = cleaned.get("aid_amount")
            if amount is None and "aid_amount" not in self.errors:
                self.add_error("aid_amount", _("帮扶慰问须填写慰问金额。"))
            elif amount is not None and amount < 0:
                self.add_error("aid_amount", _("慰问金额不能为负数。"))
        value = cleaned.get("value_recovered")
        if value is not None and value < 0:
            self.add_error("value_recovered", _("挽回损失不能为负数。"))
        return cleaned

    def _post_clean(self):
        # The type-specific fields of other types are cleared by the service; skip the model's constraint
        # check here so that a severity left on a patrol is not an error. The service runs full_clean.
        exclude = self._get_validation_exclusions()
        try:
            self.instance = forms.models.construct_instance(self, self.instance, self._meta.fields, exclude)
        except forms.ValidationError as e:
            self._update_errors(e)
