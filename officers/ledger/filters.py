import django_filters
from django.utils.translation import gettext_lazy as _

from communities.models import Community, Street
from officers.models import Officer
from yushu_gov.filters import ClerkDateFilter

from .models import WorkRecord


class WorkRecordFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=WorkRecord.Kind.choices, label=_("工作类型"))
    street = django_filters.ModelChoiceFilter(
        field_name="community__street", queryset=Street.objects.all(), label=_("街道")
    )
    community = django_filters.ModelChoiceFilter(queryset=Community.objects.all(), label=_("社区"))
    officer = django_filters.ModelChoiceFilter(queryset=Officer.objects.all(), label=_("民警"))
    date_from = ClerkDateFilter(field_name="occurred_on", lookup_expr="gte", label=_("起始日期"))
    date_to = ClerkDateFilter(field_name="occurred_on", lookup_expr="lte", label=_("截止日期"))
    severity = django_filters.ChoiceFilter(choices=WorkRecord.Severity.choices, label=_("纠纷等级"))
    outcome = django_filters.ChoiceFilter(choices=WorkRecord.Outcome.choices, label=_("调解结果"))
    status = django_filters.ChoiceFilter(choices=WorkRecord.Status.choices, label=_("状态"))

    class Meta:
        model = WorkRecord
        fields = ["kind", "street", "community", "officer", "date_from", "date_to", "severity", "outcome", "status"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            self.filters["community"].queryset = Community.objects.visible_to(user)
            self.filters["street"].queryset = Street.objects.visible_to(user)
            self.filters["officer"].queryset = Officer.objects.visible_to(user)
