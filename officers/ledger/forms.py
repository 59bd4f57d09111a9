"""Input parsing for the work ledger. What a record of each type must hold is stated once, in the model's
constraints; the scope and the officer's term on the day are the services' to check."""

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from communities.models import Community
from officers.models import Appointment, Officer
from yushu_gov.input.forms import ClerkDateField
from yushu_gov.input.idempotency import IdempotentFormMixin
from yushu_gov.lists.lookups import COMMUNITY_PLACEHOLDER, LookupModelChoiceField

from .models import WorkRecord
from .officer_choices import officers_for, picked, picked_day


def work_record_officers(user):
    """The officers a work record may name, for `user`: the form's choices and the suggestions its officer
    list may hold (narrowed to the community's officers on the day by officer_choices.py) validate against it."""
    return Officer.objects.visible_to(user).filter(appointments__status__in=Appointment.SEEN_BY_STREET).distinct()


def work_record_communities(user):
    """The communities a work record may name, for `user` (the suggestions are communities:lookup's, the same
    scope)."""
    return Community.objects.visible_to(user).select_related("street")


class WorkRecordForm(IdempotentFormMixin, forms.ModelForm):
    """A work record. The officers and communities offered are those in the user's scope; the fields that
    belong to one type (a dispute's severity and outcome, a case's number, an aid visit's amount) are
    required for that type by the model's constraints and emptied for the others."""

    # Picked by search-as-you-type (yushu_gov/lists/lookups.py): the page holds the picked record, not every one.
    community = LookupModelChoiceField(
        Community.objects.none(),
        url_name="communities:lookup",
        label=WorkRecord._meta.get_field("community").verbose_name,
        placeholder=COMMUNITY_PLACEHOLDER,
    )

    class Meta:
        model = WorkRecord
        fields = WorkRecord.ENTRY_FIELDS
        field_classes = {"occurred_on": ClerkDateField}
        widgets = {
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
        self.fields["community"].queryset = work_record_communities(user)
        self.fields["officer"].queryset = work_record_officers(user).order_by("name")
        # Offered: the officers who held the chosen community's seat on the chosen day, its serving one first
        # (officer_choices.py); the form's script asks again when the community or the date changes. Any
        # officer in scope still validates, so that a mismatch gets the service's message naming both.
        data = self.data if self.is_bound else {**self._instance_values(), **self.initial}
        community_id = picked(data, "community")
        offered = list(officers_for(user=user, community_id=community_id, day=picked_day(data, "occurred_on"))[:21])
        if community_id is None and len(offered) > 20:
            offered = []  # many communities in scope: the list follows the community once it is picked
        officer = self.fields["officer"]
        officer.widget.choices = [("", officer.empty_label), *((o.pk, str(o)) for o in offered)]
        officer.widget.attrs["data-officers-for"] = reverse("work:officers_for")
        # A police deputy secretary enters his own records: his community and himself are the only choices.
        for name in ("community", "officer"):
            only = list(self.fields[name].queryset[:2])
            if len(only) == 1 and not self.is_bound and not self.initial.get(name):
                self.initial[name] = only[0].pk

    def _instance_values(self) -> dict:
        record = self.instance
        if record.pk is None:
            return {}
        return {"community": record.community_id, "occurred_on": record.occurred_on, "officer": record.officer_id}

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind"):
            # A severity left on a patrol is not an error: the other types' fields are emptied, as the
            # service does, before the model's constraints are checked.
            cleaned.update(WorkRecord.emptied_for(cleaned["kind"]))
        return cleaned
