from django import forms
from django.utils.translation import gettext_lazy as _

from yushu_gov.forms import DATE_PLACEHOLDER
from yushu_gov.validators import normalize_id_number

from .models import Officer


class OfficerForm(forms.ModelForm):
    """The officer register entry. On edit the ID number field starts empty (the full number is never sent
    to a browser): leaving it empty keeps the stored number."""

    class Meta:
        model = Officer
        fields = [
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
        fields = [
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
