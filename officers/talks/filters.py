import django_filters
from django.utils.translation import gettext_lazy as _

from yushu_gov.filters import IntegerFilter
from yushu_gov.months import month_start, next_month_start
from yushu_gov.params import MAX_ID

from .models import MonthlyTalk


class TalkFilter(django_filters.FilterSet):
    """The talk list's filters: an officer, a year, and a month of that year (Asia/Shanghai). The grid's
    ✓ cells link here with all three."""

    officer = IntegerFilter(field_name="officer_id", min_value=1, max_value=MAX_ID, label=_("民警"))
    year = IntegerFilter(method="in_period", min_value=2000, max_value=2100, label=_("年度"))
    month = IntegerFilter(method="with_the_year", min_value=1, max_value=12, label=_("月份"))

    class Meta:
        model = MonthlyTalk
        fields = ["officer", "year", "month"]

    def in_period(self, queryset, name, year):
        month = self.form.cleaned_data.get("month")
        if month:
            start, end = month_start(year, month), next_month_start(year, month)
        else:
            start, end = month_start(year, 1), month_start(year + 1, 1)
        return queryset.filter(held_at__gte=start, held_at__lt=end)

    def with_the_year(self, queryset, name, month):
        return queryset  # a month narrows the year (in_period); alone it means nothing

    @property
    def period(self) -> tuple[int | str, int | str]:
        """(year, month) as filtered, "" for what is not."""
        self.form.is_valid()  # cleaned_data holds the valid values either way
        data = self.form.cleaned_data
        return data.get("year") or "", data.get("month") or ""
