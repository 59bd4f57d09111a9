"""The auditor's filters of the log."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yushu_gov.audit.log import EXPORT_PREFIX, action_choices
from yushu_gov.audit.models import AuditEntry
from yushu_gov.input.labels import ACTION_LABEL, FROM_DATE, UNTIL_DATE, USER_LABEL
from yushu_gov.lists.filters import ClerkDateFilter


class AuditEntryFilter(django_filters.FilterSet):
    """The auditor's filters: who (account or name), which action (by its Chinese name, or a whole group of
    actions), and the dates."""

    actor = django_filters.CharFilter(method="by_actor", label=USER_LABEL, max_length=150)
    action = django_filters.CharFilter(method="by_action", label=ACTION_LABEL, max_length=100)
    date_from = ClerkDateFilter(field_name="at", lookup_expr="date__gte", label=FROM_DATE)
    date_to = ClerkDateFilter(field_name="at", lookup_expr="date__lte", label=UNTIL_DATE)

    # Groups of actions, chosen by their common prefix.
    ACTION_GROUPS = [
        ("auth.", _("登录与退出（全部）")),
        ("officers.appointment.", _("任职程序（全部）")),
        ("officers.talk.", _("谈心谈话（全部）")),
        ("officers.work_record.", _("工作台账（全部）")),
        ("assessments.", _("双述职双考核（全部）")),
        (EXPORT_PREFIX, _("导出与下载（全部）")),
    ]

    class Meta:
        model = AuditEntry
        fields = ["actor", "action", "date_from", "date_to"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.form.fields["actor"]
        field.widget.attrs.update(placeholder=_("账号或姓名"), autocomplete="off")
        choices = [("", _("全部操作")), *((code, str(label)) for code, label in self.ACTION_GROUPS), *action_choices()]
        self.form.fields["action"].widget = forms.Select(choices=choices)
        self._codes = {code for code, _label in action_choices()}

    def by_actor(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(actor_name__iexact=value) | Q(actor__full_name__icontains=value))

    def by_action(self, queryset, name, value):
        """A registered action exactly; anything else as a prefix (a group of actions)."""
        value = value.strip()
        if not value:
            return queryset
        if value in self._codes:
            return queryset.filter(action=value)
        return queryset.filter(action__startswith=value)
