from django import forms
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from communities.messages import COMMUNITY_LABEL
from communities.models import Community
from officers.messages import (
    APPOINTMENT_DOCUMENT_NUMBER,
    APPOINTMENT_MEETING_DATE,
    DEPARTURE_DATE,
    DEPARTURE_REASON,
    DOCUMENT_DATE,
    LETTER_ISSUED_DATE,
    MEETING_DATE,
    MEETS_LABEL,
    NOMINATION_DATE,
    NOMINATION_REASON,
    OATH_DATE,
    REPORTED_ON,
    REVIEW_DATE,
    REVIEW_NOTE,
)
from yushu_gov.input.forms import ClerkDateField
from yushu_gov.input.idempotency import IdempotentFormMixin
from yushu_gov.input.labels import NOTE_LABEL, REASON
from yushu_gov.input.validators import normalize_document_no, normalize_id_number, validate_document_no
from yushu_gov.security import limits

from .models import Appointment, Officer, QualificationStandard
from .selectors import seat_conflicts


class NoEchoTextInput(forms.TextInput):
    """A text input that never renders a value: a typed ID or mobile number is not sent back to the browser,
    not even when another field of the form fails."""

    def format_value(self, value):
        return None


class OfficerForm(IdempotentFormMixin, forms.ModelForm):
    """The officer register entry. The ID and mobile number fields are always empty when the page is shown
    (the full numbers are never sent to a browser): on edit, leaving them empty keeps the stored numbers;
    after an error elsewhere in the form, they must be typed again."""

    class Meta:
        model = Officer
        fields = Officer.REGISTER_FIELDS
        field_classes = {"party_member_since": ClerkDateField}
        widgets = {
            "id_number": NoEchoTextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
            "mobile": NoEchoTextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.editing = self.instance.pk is not None
        if self.is_bound and not self.editing:
            for name in ("id_number", "mobile"):
                self.fields[name].help_text = _(
                    "为保护个人信息，已输入的号码不会再次显示；如页面提示有误，请重新输入。"
                )
        if self.editing:
            masked = {"id_number": self.instance.masked_id_number, "mobile": self.instance.masked_mobile}
            for name, current in masked.items():
                self.fields[name].required = False
                self.fields[name].help_text = _("当前：%(masked)s。不修改请留空。") % {"masked": current}
            if self.is_bound:
                for name in ("id_number", "mobile"):
                    self.fields[name].help_text += " " + _("已输入的新号码不会再次显示，如页面提示有误请重新输入。")

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
            cleaned["party_member_since"] = None  # a party member's date only (the model's constraint)
        return cleaned


CONSENT_GIVEN = _("已取得本人书面同意：在居民查询页面公开其姓名、照片、所在派出所、工作电话和任职时间")
CONSENT_NOTE = _("同意书存档编号或说明")


class ConsentForm(forms.Form):
    """The officer's consent to appear in the public directory (PIPL), recorded or withdrawn."""

    decision = forms.ChoiceField(
        label=_("本人意愿"),
        choices=[
            ("give", CONSENT_GIVEN),
            ("withdraw", _("本人撤回同意：不再在居民查询页面公开")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=CONSENT_NOTE, max_length=200, required=False)


# --- The selection procedure ---------------------------------------------------------------------------


def _date_field(label, **kwargs):
    return ClerkDateField(label=label, **kwargs)


class NominationForm(forms.Form):
    """人选推荐. The communities are those of the clerk's street; the officers those who may be nominated:
    party members with no appointment in progress."""

    community = forms.ModelChoiceField(label=COMMUNITY_LABEL, queryset=Community.objects.none())
    officer = forms.ModelChoiceField(label=_("推荐人选（党员民警）"), queryset=Officer.objects.none())
    on_date = _date_field(NOMINATION_DATE)
    reference = forms.CharField(
        label=_("推荐会议或文件"), max_length=200, required=False, help_text=_("如：街道党工委会议、派出所党支部会议")
    )
    note = forms.CharField(
        label=NOMINATION_REASON, max_length=limits.NOTE, widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    confirm_rotation = forms.BooleanField(
        label=_("已知悉上述席位情况，按轮换推荐"),
        required=False,
        help_text=_("到任时办理轮换：现任者离任与新任者到任在同一天。"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.conflicts = None
        self.fields["confirm_rotation"].widget = forms.HiddenInput()  # shown once a conflict is found
        holder = Appointment.objects.serving().filter(community=OuterRef("pk")).order_by("-id")
        seat = Appointment.objects.serving().filter(officer=OuterRef("pk")).order_by("-id")
        self.fields["community"].queryset = (
            Community.objects.visible_to(user)
            .select_related("street")
            .annotate(holder_name=Subquery(holder.values("officer__name")[:1]))
        )
        self.fields["community"].label_from_instance = lambda c: (
            _("%(name)s（现任：%(holder)s）") % {"name": c.name, "holder": c.holder_name} if c.holder_name else c.name
        )
        self.fields["officer"].queryset = (
            Officer.objects.nominable(user)
            .select_related("station")
            .annotate(serving_in=Subquery(seat.values("community__name")[:1]))
        )
        self.fields["officer"].label_from_instance = lambda o: (
            f"{o.name}（{o.police_number}，{o.station.name}）"
            + (_("，现兼任%(community)s副书记") % {"community": o.serving_in} if o.serving_in else "")
        )

    def clean(self):
        """Warns (and asks for a confirmation) when the officer already serves elsewhere or the community's seat
        is held: the nomination may go on as a rotation, which 在任 carries out."""
        cleaned = super().clean()
        officer, community = cleaned.get("officer"), cleaned.get("community")
        if officer is not None and community is not None:
            self.conflicts = seat_conflicts(officer=officer, community=community)
            if self.conflicts.any:
                self.fields["confirm_rotation"].widget = forms.CheckboxInput()
            if self.conflicts.any and not cleaned.get("confirm_rotation"):
                self.add_error(
                    "confirm_rotation",
                    [*self.conflicts.messages(), _("如确为轮换，请勾选此项后再提交；到任时将办理轮换。")],
                )
        cleaned.pop("confirm_rotation", None)
        return cleaned


class ReviewForm(forms.Form):
    """资格审查: one met / not met choice and a note per active standard."""

    on_date = _date_field(REVIEW_DATE)
    reference = forms.CharField(label=_("审查依据（会议或材料）"), max_length=200, required=False)

    MET_CHOICES = [("yes", MEETS_LABEL), ("no", _("不符合"))]

    def __init__(self, *args, appointment=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.standards = list(QualificationStandard.objects.filter(active=True))
        for standard in self.standards:
            self.fields[f"met_{standard.pk}"] = forms.ChoiceField(
                label=standard.text, choices=self.MET_CHOICES, widget=forms.RadioSelect
            )
            self.fields[f"note_{standard.pk}"] = forms.CharField(
                label=REVIEW_NOTE, max_length=300, required=True,
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
    on_date = _date_field(REPORTED_ON)
    reference = forms.CharField(
        label=_("请示文件"), max_length=200, help_text=_("如：关于提名某某同志兼任社区党支部副书记的请示")
    )

    def __init__(self, *args, appointment=None, **kwargs):
        super().__init__(*args, **kwargs)

    def service_kwargs(self):
        return {"on_date": self.cleaned_data["on_date"], "reference": self.cleaned_data["reference"]}


class DecideForm(ReportForm):
    on_date = _date_field(MEETING_DATE)
    reference = forms.CharField(label=_("研究任职的会议"), max_length=100, help_text=_("如：市委组织部部务会"))

    def service_kwargs(self):
        return {"on_date": self.cleaned_data["on_date"], "meeting": self.cleaned_data["reference"]}


class FileForm(ReportForm):
    on_date = _date_field(DOCUMENT_DATE)
    reference = forms.CharField(
        label=APPOINTMENT_DOCUMENT_NUMBER,
        max_length=50,
        help_text=_("例如：玉市组〔2022〕12号（方括号可输入 [ ] 或（ ））"),
    )

    def clean_reference(self):
        value = normalize_document_no(self.cleaned_data["reference"])
        validate_document_no(value)
        return value

    def service_kwargs(self):
        return {"on_date": self.cleaned_data["on_date"], "document_no": self.cleaned_data["reference"]}


class ServeForm(forms.Form):
    """登记到任: the four dates, and (unless already on file) the officer's consent to the public directory,
    asked here because the street that registers the term is the one that has just met him."""

    meeting_on = _date_field(APPOINTMENT_MEETING_DATE, help_text=_("街道党工委召开任命大会的日期，即任职日期。"))
    announced_on = _date_field(_("向居民通报任职决定的日期"))
    letter_issued_on = _date_field(LETTER_ISSUED_DATE)
    oath_on = _date_field(OATH_DATE)
    note = forms.CharField(
        label=NOTE_LABEL, max_length=limits.NOTE, widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    consent = forms.BooleanField(
        label=CONSENT_GIVEN,
        required=False,
        help_text=_("未取得同意的，居民查询页面不显示其联系方式，首页待办将提示补登。"),
    )
    consent_note = forms.CharField(label=CONSENT_NOTE, max_length=200, required=False)

    def __init__(self, *args, appointment=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.conflicts = None
        if appointment is not None and appointment.officer.directory_consent_at is not None:
            del self.fields["consent"], self.fields["consent_note"]  # already on file
        if appointment is not None:
            self.conflicts = seat_conflicts(
                officer=appointment.officer, community=appointment.community, exclude=appointment
            )
            if self.conflicts.any:
                # 轮换 in one action: the holder's term ends and this one begins on the meeting's date.
                self.fields["rotate"] = forms.BooleanField(
                    label=_("轮换：现任者在任命大会当日离任（轮岗交流），新任者同日到任"),
                    required=False,
                    initial=True,
                    help_text=" ".join(self.conflicts.messages()),
                )

    def service_kwargs(self):
        return dict(self.cleaned_data)


class EndForm(forms.Form):
    on_date = _date_field(DEPARTURE_DATE)
    reason = forms.ChoiceField(label=DEPARTURE_REASON, choices=Appointment.EndReason.choices)
    note = forms.CharField(
        label=NOTE_LABEL, max_length=limits.NOTE, widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, appointment=None, **kwargs):
        super().__init__(*args, **kwargs)

    def service_kwargs(self):
        return dict(self.cleaned_data)


class CloseForm(forms.Form):
    note = forms.CharField(label=REASON, max_length=limits.NOTE, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, appointment=None, **kwargs):
        super().__init__(*args, **kwargs)

    def service_kwargs(self):
        return {"reason": self.cleaned_data["note"]}
