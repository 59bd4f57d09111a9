from django import forms
from django.utils.translation import gettext_lazy as _

from yushu_gov.params import MAX_ID


class ReportScopeForm(forms.Form):
    """The dashboard's and the briefing's level switch (?year=&street=&community=), drawn by the template
    reports/_level_form.html. A value that is not a whole number in range means "not chosen"."""

    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100, required=False)
    street = forms.IntegerField(label=_("街道"), min_value=1, max_value=MAX_ID, required=False)
    community = forms.IntegerField(label=_("社区"), min_value=1, max_value=MAX_ID, required=False)

    @classmethod
    def parse(cls, params) -> dict:
        form = cls(params)
        form.is_valid()  # the fields that are valid are in cleaned_data; the others count as not chosen
        return {name: form.cleaned_data.get(name) for name in cls.base_fields}
