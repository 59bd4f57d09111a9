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
