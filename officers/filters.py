import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from communities.filters import AreaFilter, PicksArea, scope_area_filter
from communities.messages import POLICE_STATION, STREET_LABEL
from communities.models import PoliceStation, Street
from yushu_gov.input.labels import OFFICER_SEARCH_HINT, STATUS_LABEL
from yushu_gov.input.pinyin import MAX_QUERY, search_q

from .models import Appointment, Officer


class OfficerFilter(PicksArea, django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=OFFICER_SEARCH_HINT, max_length=MAX_QUERY)
    station = django_filters.ModelChoiceFilter(queryset=PoliceStation.objects.all(), label=POLICE_STATION)
    area = AreaFilter(method="in_area")
    street = django_filters.ModelChoiceFilter(queryset=Street.objects.all(), method="in_street", label=STREET_LABEL)
    consent = django_filters.ChoiceFilter(
        choices=[("missing", _("在任但未登记同意公开"))], method="without_consent", label=_("公开联系方式")
    )

    class Meta:
        model = Officer
        fields = ["q", "station", "area", "street", "consent"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            scope_area_filter(self, user)
            self.filters["station"].queryset = PoliceStation.objects.visible_to(user)
            self.filters["street"].queryset = Street.objects.visible_to(user)

    def search(self, queryset, name, value):
        """By name, pinyin or initials ("zxdj" finds 扎西多杰), or police number."""
        value = value.strip()
        return queryset.filter(search_q(value) | Q(police_number__icontains=value)) if value else queryset

    def without_consent(self, queryset, name, value):
        """Serving deputy secretaries whose consent to the public directory is not recorded (the to-do item's list)."""
        if value != "missing":
            return queryset
        serving = Appointment.objects.serving().filter(officer=OuterRef("pk"))
        return queryset.filter(Exists(serving), directory_consent_at__isnull=True)

    def in_street(self, queryset, name, street):
        """Officers whose current appointment (in progress or serving) is in the street."""
        return self._current_in(queryset, community__street=street)

    def in_area(self, queryset, name, area):
        """Officers whose current appointment is under the area of the organisation tree."""
        return self._current_in(queryset, community__street__area__path__startswith=area.path)

    @staticmethod
    def _current_in(queryset, **where):
        current = Appointment.objects.filter(officer=OuterRef("pk"), status__in=Appointment.CURRENT, **where)
        return queryset.filter(Exists(current))


class AppointmentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("民警、社区（汉字或拼音）或警号"), max_length=MAX_QUERY)
    status = django_filters.ChoiceFilter(choices=Appointment.Status.choices, label=STATUS_LABEL)
    street = django_filters.ModelChoiceFilter(
        queryset=Street.objects.all(), field_name="community__street", label=STREET_LABEL
    )

    class Meta:
        model = Appointment
        fields = ["q", "status", "street"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            self.filters["street"].queryset = Street.objects.visible_to(user)

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            search_q(value, name="officer__name", key="officer__name_pinyin")
            | search_q(value, name="community__name", key="community__name_pinyin")
            | Q(officer__police_number__icontains=value)
        )
