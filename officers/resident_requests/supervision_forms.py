"""The street's forms on an overdue request its officer holds (supervision.py): 督办, 接办, 转办."""

from django import forms
from django.utils.translation import gettext_lazy as _

from communities.models import Community
from officers.resident_requests.messages import TRANSFER_TO_COMMUNITY

from .forms import TransferForm


class _SupervisionForm(forms.Form):
    def __init__(self, *args, resident_request, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.resident_request = resident_request

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


class RemindForm(_SupervisionForm):
    note = forms.CharField(
        label=_("督办意见（可选）"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("民警副书记将在首页待办和诉求列表中看到督办提醒。"),
    )


class TakeOverForm(_SupervisionForm):
    note = forms.CharField(label=_("接办理由"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))


class StreetTransferForm(_SupervisionForm):
    community = forms.ModelChoiceField(label=TRANSFER_TO_COMMUNITY, queryset=Community.objects.none())
    note = forms.CharField(
        label=TransferForm.base_fields["note"].label, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = (
            Community.objects.exclude(pk=self.resident_request.community_id)
            .select_related("street")
            .order_by("street__sort_order", "sort_order", "name")
        )  # the city's communities are public (the directory lists them)

    def service_kwargs(self) -> dict:
        return {"note": self.cleaned_data["note"], "to_community": self.cleaned_data["community"]}
