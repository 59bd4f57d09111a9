from django.contrib import admin

from yushu_gov.web.admin_mixins import ReadOnlyAdminMixin

from .models import MonthlyTalk


@admin.register(MonthlyTalk)
class MonthlyTalkAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only here: talks are recorded, changed and deleted on the application's pages, where the
    closed-month rule and the audit log apply. Soft-deleted talks stay visible here, flagged."""

    list_display = ["officer", "community", "held_at", "talker_name", "talker_role", "deleted_at"]
    list_filter = ["community__street", "talker_role", ("deleted_at", admin.EmptyFieldListFilter)]
    search_fields = ["officer__name", "officer__police_number", "talker_name", "place"]
    list_select_related = ["officer", "community"]
    date_hierarchy = "held_at"
