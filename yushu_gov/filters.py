import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AuditEntry


class AuditEntryFilter(django_filters.FilterSet):
    actor = django_filters.CharFilter(field_name="actor_name", lookup_expr="iexact", label=_("用户"))
    action = django_filters.CharFilter(lookup_expr="startswith", label=_("操作（前缀）"))
    date_from = django_filters.DateFilter(
        field_name="at",
        lookup_expr="date__gte",
        label=_("起始日期"),
        widget=forms.DateInput(attrs={"placeholder": "2023-01-01"}),
    )
    date_to = django_filters.DateFilter(
        field_name="at",
        lookup_expr="date__lte",
        label=_("截止日期"),
        widget=forms.DateInput(attrs={"placeholder": "2023-12-31"}),
    )

    class Meta:
        model = AuditEntry
        fields = ["actor", "action", "date_from", "date_to"]


class IntegerFilter(django_filters.Filter):
    """A whole-number filter with bounds (pass min_value and max_value): a value that is not a whole number
    within them is ignored, like every invalid filter value, instead of reaching the database."""

    field_class = forms.IntegerField
