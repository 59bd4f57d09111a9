"""A list's filter on a node of the organisation tree (?area=): what the dashboard's and the briefing's figures
link to when they stand at a prefecture or a county, so that the list behind a figure is the node's."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from .messages import AREA_LABEL
from .models import Area

OUTSIDE_SCOPE = _("该区域不存在或不在您的管辖范围内，已按您的全部辖区显示。")


class AreaFilter(django_filters.ModelChoiceFilter):
    """The rows whose community lies under the area (one path prefix), among the areas the user sees (any other
    id is the form's error). A hidden field: the area is picked on the dashboard, and the list names it
    (`picked_area`) with a link that clears it."""

    def __init__(self, *, path_field: str = "community__street__area__path", **kwargs):
        self.path_field = path_field
        kwargs.setdefault("label", AREA_LABEL)
        kwargs.setdefault("error_messages", {"invalid_choice": OUTSIDE_SCOPE})
        super().__init__(queryset=Area.objects.none(), widget=forms.HiddenInput, **kwargs)

    def filter(self, queryset, value):
        if value is None:
            return queryset
        return queryset.filter(**{f"{self.path_field}__startswith": value.path})


def scope_area_filter(filterset, user, name: str = "area") -> None:
    """Narrows the filter's choices to the areas the user sees."""
    filterset.filters[name].queryset = Area.objects.visible_to(user)


class PicksArea:
    """For a FilterSet with an `area` filter: the area the list is filtered to, once the form is valid (else
    None), for the filter form's line that names it (includes/filter_form.html)."""

    @property
    def picked_area(self):
        form = self.form
        if not form.is_bound or not form.is_valid():
            return None
        return form.cleaned_data.get("area")
