import django_filters
from django import forms

from yushu_gov.input.forms import ClerkDateField
from yushu_gov.lists.lookups import LookupField


class ClerkDateFilter(django_filters.DateFilter):
    """A date filter that reads dates as clerks type them (yushu_gov/input/forms.py)."""

    field_class = ClerkDateField


class IntegerFilter(django_filters.Filter):
    """A whole-number filter with bounds (pass min_value and max_value): a value that is not a whole number
    within them is ignored, like every invalid filter value, instead of reaching the database."""

    field_class = forms.IntegerField


class LookupFilter(django_filters.Filter):
    """A search-as-you-type filter (yushu_gov/lists/lookups.py): pass `url_name` (the scoped JSON endpoint) and a
    `method`, which receives a `Picked` (the id picked, or only the text typed)."""

    field_class = LookupField
