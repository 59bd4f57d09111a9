import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from communities.models import Community, PoliceStation, Street

from .models import Appointment, Officer


class OfficerFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("姓名或警号"))
    station = django_filters.ModelChoiceFilter(queryset=PoliceStation.objects.all(), label=_("派出所"))
    street = django_filters.ModelChoiceFilter(queryset=Street.objects.all(), method="in_street", label=_("街道"))

    class Meta:
        model = Officer
        fields = ["q", "station", "street"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            self.filters["station"].queryset = PoliceStation.objects.visible_to(user)
            self.filters["street"].queryset = Street.objects.filter(
                communities__in=Community.objects.visible_to(user)
            ).distinct()

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(police_number__icontains=value)) if value else queryset

    def in_street(self, queryset, name, street):
        """Officers whose current appointment (in progress or serving) is in the street."""
        return queryset.filter(
            Exists(
                Appointment.objects.filter(
                    officer=OuterRef("pk"), community__street=street, status__in=Appointment.CURRENT
                )
            )
        )


class AppointmentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("民警姓名或警号"))
    status = django_filters.ChoiceFilter(choices=Appointment.Status.choices, label=_("状态"))
    street = django_filters.ModelChoiceFilter(
        queryset=Street.objects.all(), field_name="community__street", label=_("街道")
    )

    class Meta:
        model = Appointment
        fields = ["q", "status", "street"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            self.filters["street"].queryset = Street.objects.filter(
                communities__in=Community.objects.visible_to(user)
            ).distinct()

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(officer__name__icontains=value) | Q(officer__police_number__icontains=value))


# ---------------------------------------------------------------------------------------------------------
# Work ledger (工作台账)
# ---------------------------------------------------------------------------------------------------------

from django import forms  # noqa: E402

from .models import WorkRecord  # noqa: E402


class WorkRecordFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=WorkRecord.Kind.choices, label=_("工作类型"))
    street = django_filters.ModelChoiceFilter(
        field_name="community__street", queryset=Street.objects.all(), label=_("街道")
    )
    community = django_filters.ModelChoiceFilter(queryset=Community.objects.all(), label=_("社区"))
    officer = django_filters.ModelChoiceFilter(queryset=Officer.objects.all(), label=_("民警"))
    date_from = django_filters.DateFilter(
        field_name="occurred_on",
        lookup_expr="gte",
        label=_("起始日期"),
        widget=forms.DateInput(attrs={"placeholder": "2023-01-01"}),
    )
    date_to = django_filters.DateFilter(
        field_name="occurred_on",
        lookup_expr="lte",
        label=_("截止日期"),
        widget=forms.DateInput(attrs={"placeholder": "2023-12-31"}),
    )
    severity = django_filters.ChoiceFilter(choices=WorkRecord.Severity.choices, label=_("纠纷等级"))
    outcome = django_filters.ChoiceFilter(choices=WorkRecord.Outcome.choices, label=_("调解结果"))
    status = django_filters.ChoiceFilter(choices=WorkRecord.Status.choices, label=_("状态"))

    class Meta:
        model = WorkRecord
        fields = ["kind", "street", "community", "officer", "date_from", "date_to", "severity", "outcome", "status"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            communities = Community.objects.visible_to(user)
            self.filters["community"].queryset = communities
            self.filters["street"].queryset = Street.objects.filter(communities__in=communities).distinct()
            self.filters["officer"].queryset = Officer.objects.visible_to(user)
