import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.filters import AreaFilter, PicksArea, scope_area_filter
from communities.messages import COMMUNITY_LABEL, STREET_LABEL
from communities.models import Community, Street
from officers.messages import ANNUAL_YEAR
from officers.resident_requests.messages import CATEGORY_LABEL, OVERDUE_LABEL
from yushu_gov.access.roles import Role, role_of
from yushu_gov.input.labels import COMMUNITY_SEARCH_HINT, MONTH_LABEL, STATUS_LABEL
from yushu_gov.input.months import MAX_YEAR, MIN_YEAR, period_bounds
from yushu_gov.input.pinyin import search_q
from yushu_gov.lists.filters import IntegerFilter, LookupFilter
from yushu_gov.lists.lookups import show_picked

from .models import Category, RequestStep, ResidentRequest
from .supervision import OFFICER_HELD, reminded_q

S = ResidentRequest.Status

# The list's states: each status, and the groups the home page, the to-do list and the briefing link to.
STATES = [
    ("open", _("未办结（全部）")),
    ("overdue", OVERDUE_LABEL),
    ("reminded", RequestStep.Kind.REMINDED.label),
    ("street", _("待街道办理或督办")),
    ("done", _("已办结（含已评价）")),
    *S.choices,
]


class RequestFilter(PicksArea, django_filters.FilterSet):
    state = django_filters.ChoiceFilter(choices=STATES, method="in_state", label=STATUS_LABEL)
    category = django_filters.ChoiceFilter(choices=Category.choices, label=CATEGORY_LABEL)
    area = AreaFilter()
    street = django_filters.ModelChoiceFilter(
        field_name="community__street", queryset=Street.objects.none(), label=STREET_LABEL
    )
    community = LookupFilter(
        url_name="communities:lookup", method="by_community", label=COMMUNITY_LABEL, placeholder=COMMUNITY_SEARCH_HINT
    )
    year = IntegerFilter(method="in_period", min_value=MIN_YEAR, max_value=MAX_YEAR, label=ANNUAL_YEAR)
    month = IntegerFilter(method="with_the_year", min_value=1, max_value=12, label=MONTH_LABEL)

    class Meta:
        model = ResidentRequest
        fields = ["state", "category", "area", "street", "community", "year", "month"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.officer = role_of(user) == Role.OFFICER
        if self.officer:  # his one community: nothing to choose
            del self.filters["area"], self.filters["street"], self.filters["community"]
        else:
            scope_area_filter(self, user)
            self.filters["street"].queryset = Street.objects.visible_to(user)
            show_picked(self, "community", Community.objects.visible_to(user))

    def by_community(self, queryset, name, value):
        if value.pk:
            return queryset.filter(community_id=value.pk)
        return queryset.filter(search_q(value.text, name="community__name", key="community__name_pinyin"))

    def in_state(self, queryset, name, value):
        if value == "open":
            return queryset.open()
        if value == "overdue":
            overdue = queryset.overdue(timezone.now())
            return overdue.filter(status__in=OFFICER_HELD) if self.officer else overdue  # the officer's own
        if value == "reminded":
            return queryset.filter(reminded_q(), status__in=OFFICER_HELD)
        if value == "street":
            return queryset.filter(status__in=[S.AT_STREET, S.SUPERVISED])
        if value == "done":
            return queryset.resolved()
        return queryset.filter(status=value)

    def in_period(self, queryset, name, year):
        start, end = period_bounds(year, self.form.cleaned_data.get("month"))
        return queryset.filter(Q(submitted_at__gte=start) & Q(submitted_at__lt=end))

    def with_the_year(self, queryset, name, month):
        return queryset  # a month narrows the year (in_period); alone it means nothing
