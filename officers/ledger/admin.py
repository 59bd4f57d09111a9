from django.contrib import admin

from yushu_gov.web.admin_mixins import AuditedModelAdmin, ReadOnlyAdminMixin

from .models import AreaWorkMonth, WorkMonth, WorkRecord


@admin.register(WorkRecord)
class WorkRecordAdmin(admin.ModelAdmin):
    """Read-only in the admin site: records are entered and changed on the application's pages, through
    the services that check the scope, mask personal data and write the audit log."""

    list_display = ["occurred_on", "kind", "community", "officer", "severity", "status"]
    list_filter = ["kind", "status", "severity", "community__street"]
    search_fields = ["summary", "case_number", "officer__name", "community__name"]
    list_select_related = ["community", "officer"]
    date_hierarchy = "occurred_on"
    readonly_fields = [*WorkRecord.ENTRY_FIELDS, "created_by", "created_at", "updated_at"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(WorkMonth)
class WorkMonthAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: the counts are kept by the ledger services and recounted by manage.py rebuild_summaries."""

    list_display = ["community", "officer", "year", "month", "difficulty", "dispute", "case", "patrol"]
    list_filter = ["year", "month", "community__street"]
    search_fields = ["community__name", "officer__name"]
    list_select_related = ["community", "officer"]
    show_full_result_count = False  # no COUNT over the whole table on every page


@admin.register(AreaWorkMonth)
class AreaWorkMonthAdmin(ReadOnlyAdminMixin, AuditedModelAdmin):
    """Read-only: the roll-up up the tree, kept with WorkMonth and recounted by manage.py rebuild_summaries."""

    list_display = ["area", "year", "month", "difficulty", "dispute", "case", "patrol"]
    list_filter = ["year", "month", "area__kind"]
    search_fields = ["area__name"]
    list_select_related = ["area"]
