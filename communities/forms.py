from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Community

MONTH_CHOICES = [(m, _("%(m)s月") % {"m": m}) for m in range(1, 13)]


class PoliceCallCountForm(forms.Form):
    """One community's police calls received in one month."""

    community = forms.ModelChoiceField(queryset=Community.objects.none(), label=_("社区"))
    year = forms.IntegerField(label=_("年份"), min_value=2000, max_value=2100)
    month = forms.TypedChoiceField(label=_("月份"), choices=MONTH_CHOICES, coerce=int)
    count = forms.IntegerField(
        label=_("警情接报数"),
        min_value=0,
        error_messages={"min_value": _("警情接报数不能为负数。"), "invalid": _("请输入整数。")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = Community.objects.visible_to(user).select_related("street")


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
