import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from communities.models import Community, Street
from officers.models import Officer
from yushu_gov.input.pinyin import search_q
from yushu_gov.lists.filters import ClerkDateFilter, LookupFilter
from yushu_gov.lists.lookups import COMMUNITY_PLACEHOLDER, OFFICER_PLACEHOLDER, show_picked, typed_ids

from .models import WorkRecord


class WorkRecordFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=WorkRecord.Kind.choices, label=_("工作类型"))
    street = django_filters.ModelChoiceFilter(
        field_name="community__street", queryset=Street.objects.all(), label=_("街道")
    )
    community = LookupFilter(
        url_name="communities:lookup", method="by_community", label=_("社区"), placeholder=COMMUNITY_PLACEHOLDER
    )
    officer = LookupFilter(
        url_name="officers:lookup", method="by_officer", label=_("民警"), placeholder=OFFICER_PLACEHOLDER
    )
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
        self.officers = Officer.objects.visible_to(user) if user is not None else Officer.objects.all()
        if user is not None:
            self.filters["street"].queryset = Street.objects.visible_to(user)
            show_picked(self, "community", Community.objects.visible_to(user))
            show_picked(self, "officer", self.officers)

    def by_community(self, queryset, name, value):
        if value.pk:
            return queryset.filter(community_id=value.pk)
        return queryset.filter(search_q(value.text, name="community__name", key="community__name_pinyin"))

    def by_officer(self, queryset, name, value):
        if value.pk:
            return queryset.filter(officer_id=value.pk)
        typed = search_q(value.text) | Q(police_number=value.text)
        return queryset.filter(officer_id__in=typed_ids(self.officers, typed))
