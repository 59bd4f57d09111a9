import django_filters
from django.db.models import Q

from communities.filters import AreaFilter, PicksArea, scope_area_filter
from communities.messages import COMMUNITY_LABEL, STREET_LABEL
from communities.models import Community, Street
from officers.ledger.messages import DISPUTE_LEVEL, MEDIATION_RESULT, WORK_KIND
from officers.messages import OFFICER_LABEL
from officers.models import Officer
from yushu_gov.input.labels import FROM_DATE, STATUS_LABEL, UNTIL_DATE
from yushu_gov.input.pinyin import search_q
from yushu_gov.lists.filters import ClerkDateFilter, LookupFilter
from yushu_gov.lists.lookups import COMMUNITY_PLACEHOLDER, OFFICER_PLACEHOLDER, show_picked, typed_ids

from .models import WorkRecord


class WorkRecordFilter(PicksArea, django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=WorkRecord.Kind.choices, label=WORK_KIND)
    area = AreaFilter()
    street = django_filters.ModelChoiceFilter(
        field_name="community__street", queryset=Street.objects.all(), label=STREET_LABEL
    )
    community = LookupFilter(
        url_name="communities:lookup", method="by_community", label=COMMUNITY_LABEL, placeholder=COMMUNITY_PLACEHOLDER
    )
    officer = LookupFilter(
        url_name="officers:lookup", method="by_officer", label=OFFICER_LABEL, placeholder=OFFICER_PLACEHOLDER
    )
    date_from = ClerkDateFilter(field_name="occurred_on", lookup_expr="gte", label=FROM_DATE)
    date_to = ClerkDateFilter(field_name="occurred_on", lookup_expr="lte", label=UNTIL_DATE)
    severity = django_filters.ChoiceFilter(choices=WorkRecord.Severity.choices, label=DISPUTE_LEVEL)
    outcome = django_filters.ChoiceFilter(choices=WorkRecord.Outcome.choices, label=MEDIATION_RESULT)
    status = django_filters.ChoiceFilter(choices=WorkRecord.Status.choices, label=STATUS_LABEL)

    class Meta:
        model = WorkRecord
        fields = [
            "kind",
            "area",
            "street",
            "community",
            "officer",
            "date_from",
            "date_to",
            "severity",
            "outcome",
            "status",
        ]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.officers = Officer.objects.visible_to(user) if user is not None else Officer.objects.all()
        if user is not None:
            scope_area_filter(self, user)
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
