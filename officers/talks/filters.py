import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from communities.messages import STREET_LABEL
from communities.models import Street
from officers.messages import ANNUAL_YEAR, OFFICER_LABEL
from officers.models import Officer
from officers.talks.messages import TALKER_POSITION
from yushu_gov.input.labels import MONTH_LABEL, OFFICER_SEARCH_HINT
from yushu_gov.input.months import MAX_YEAR, MIN_YEAR, month_label, period_bounds
from yushu_gov.input.pinyin import MAX_QUERY, search_q
from yushu_gov.lists.filters import IntegerFilter, LookupFilter
from yushu_gov.lists.lookups import show_picked, typed_ids

from .models import MonthlyTalk


class TalkFilter(django_filters.FilterSet):
    """The talk list's filters: a search, an officer, a year, and a month of that year (Asia/Shanghai), the
    street, a topic and who talked. The grid's ✓ cells link here with the officer, the year and the month."""

    q = django_filters.CharFilter(method="search", label=_("搜索"), max_length=MAX_QUERY)
    officer = LookupFilter(
        url_name="officers:lookup", method="by_officer", label=OFFICER_LABEL, placeholder=OFFICER_SEARCH_HINT
    )
    year = IntegerFilter(method="in_period", min_value=MIN_YEAR, max_value=MAX_YEAR, label=ANNUAL_YEAR)
    month = IntegerFilter(method="with_the_year", min_value=1, max_value=12, label=MONTH_LABEL)
    street = django_filters.ModelChoiceFilter(
        field_name="community__street", queryset=Street.objects.none(), label=STREET_LABEL
    )
    topic = django_filters.ChoiceFilter(choices=list(MonthlyTalk.TOPICS.items()), method="on_topic", label=_("议题"))
    talker_role = django_filters.ChoiceFilter(choices=MonthlyTalk.TalkerRole.choices, label=TALKER_POSITION)

    class Meta:
        model = MonthlyTalk
        fields = ["q", "officer", "year", "month", "street", "topic", "talker_role"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.officers = Officer.objects.visible_to(user) if user is not None else Officer.objects.all()
        if user is not None:
            show_picked(self, "officer", self.officers)
        form = self.form
        form.fields["q"].widget.attrs.update(placeholder=_("民警姓名或拼音、谈话人、地点"), autocomplete="off")
        if user is not None:
            form.fields["street"].queryset = Street.objects.visible_to(user)
        form.fields["year"].widget.attrs.update(placeholder="2026", inputmode="numeric")
        months = [(m, month_label(m)) for m in range(1, 13)]
        form.fields["month"].widget = forms.Select(choices=[("", _("全年")), *months])

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            search_q(value, name="officer__name", key="officer__name_pinyin")
            | Q(talker_name__icontains=value)
            | Q(place__icontains=value)
        )

    def by_officer(self, queryset, name, value):
        if value.pk:
            return queryset.filter(officer_id=value.pk)
        typed = search_q(value.text) | Q(police_number=value.text)
        return queryset.filter(officer_id__in=typed_ids(self.officers, typed))

    def on_topic(self, queryset, name, value):
        return queryset.filter(**{value: True}) if value in MonthlyTalk.TOPICS else queryset

    def in_period(self, queryset, name, year):
        start, end = period_bounds(year, self.form.cleaned_data.get("month"))
        return queryset.filter(held_at__gte=start, held_at__lt=end)

    def with_the_year(self, queryset, name, month):
        return queryset  # a month narrows the year (in_period); alone it means nothing

    @property
    def period(self) -> tuple[int | str, int | str]:
        """(year, month) as filtered, "" for what is not."""
        self.form.is_valid()  # cleaned_data holds the valid values either way
        data = self.form.cleaned_data
        return data.get("year") or "", data.get("month") or ""
