from django import forms
from django.utils.translation import gettext_lazy as _

from communities.messages import COMMUNITY_LABEL, YEAR_LABEL
from yushu_gov.input.labels import COMMUNITY_SEARCH_HINT, INCIDENT_COUNT, MONTH_LABEL
from yushu_gov.input.months import MAX_YEAR, MIN_YEAR, month_label
from yushu_gov.lists.lookups import LookupField, show_picked

from .models import NEGATIVE_POLICE_CALLS, Community

MONTH_CHOICES = [(m, month_label(m)) for m in range(1, 13)]


class PoliceCallCountForm(forms.Form):
    """One community's police calls received in one month."""

    community = LookupField(url_name="communities:lookup", label=COMMUNITY_LABEL, placeholder=COMMUNITY_SEARCH_HINT)
    year = forms.IntegerField(label=YEAR_LABEL, min_value=MIN_YEAR, max_value=MAX_YEAR)
    month = forms.TypedChoiceField(label=MONTH_LABEL, choices=MONTH_CHOICES, coerce=int)
    count = forms.IntegerField(
        label=INCIDENT_COUNT,
        min_value=0,
        error_messages={"min_value": NEGATIVE_POLICE_CALLS, "invalid": _("请输入整数。")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].required = True
        self.communities = Community.objects.visible_to(user).select_related("street")
        if self.is_bound:
            show_picked(self, "community", self.communities)

    def clean_community(self) -> Community:
        """The community picked (by id), or the one whose full name was typed (without JavaScript)."""
        picked = self.cleaned_data.get("community")
        if picked is None:
            raise forms.ValidationError(_("请选择社区。"), code="required")
        if picked.pk:
            found = self.communities.filter(pk=picked.pk).first()
        else:
            found = self.communities.filter(name=picked.text).first()
        if found is None:
            raise forms.ValidationError(_("没有这个社区，请从候选中选择或输入完整的社区名称。"), code="invalid_choice")
        return found


class PoliceCallImportForm(forms.Form):
    file = forms.FileField(
        label=_("Excel 文件（.xlsx）"),
        help_text=_("请使用本页提供的模板；每行一个社区一个月份。"),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("请上传 .xlsx 格式的 Excel 文件。"))
        if upload.size > 2 * 1024 * 1024:
            raise forms.ValidationError(_("文件不能超过 2 MB。"))
        return upload
