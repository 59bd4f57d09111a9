import django_filters
from django.utils.translation import gettext_lazy as _

from assessments.messages import OVERALL_GRADE
from communities.messages import POLICE_STATION, STREET_LABEL
from communities.models import PoliceStation, Street
from yushu_gov.input.labels import STATUS_LABEL

from .models import AnnualAssessment, Grade
from .waiting import WAITING_CHOICES, waiting_for


class AssessmentFilter(django_filters.FilterSet):
    """The review page's filters: street, station, grade, state, and what waits for whom."""

    street = django_filters.ModelChoiceFilter(
        field_name="community__street", queryset=Street.objects.all(), label=STREET_LABEL
    )
    station = django_filters.ModelChoiceFilter(
        field_name="officer__station", queryset=PoliceStation.objects.all(), label=POLICE_STATION
    )
    grade = django_filters.ChoiceFilter(choices=Grade.choices, label=OVERALL_GRADE)
    status = django_filters.ChoiceFilter(choices=AnnualAssessment.Status.choices, label=STATUS_LABEL)
    waiting = django_filters.ChoiceFilter(choices=WAITING_CHOICES, method="waiting_for", label=_("待录入"))

    class Meta:
        model = AnnualAssessment
        fields = ["street", "station", "grade", "status", "waiting"]

    def waiting_for(self, queryset, name, value):
        """The records still waiting for the street's or the bureau's entries (the to-do items link here)."""
        return waiting_for(queryset, value)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            self.filters["station"].queryset = PoliceStation.objects.visible_to(user)
            self.filters["street"].queryset = Street.objects.visible_to(user)
