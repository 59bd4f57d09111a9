from django.contrib import admin

from yushu_gov.web.admin_mixins import AuditedModelAdmin

from .models import BranchMember, Community, MonthlySummary, PoliceCallCount, PoliceStation, Street


class CommunityInline(admin.TabularInline):
    model = Community
    fields = ["name", "name_bo", "kind", "name_confirmed", "sort_order"]
    extra = 0
    show_change_link = True


@admin.register(Street)
class StreetAdmin(AuditedModelAdmin):
    list_display = ["name", "committee_name", "sort_order"]
    search_fields = ["name", "committee_name"]
    list_filter = ["stations"]
    inlines = [CommunityInline]


class BranchMemberInline(admin.TabularInline):
    model = BranchMember
    fields = ["post", "name", "duties", "sort_order"]
    extra = 0


@admin.register(Community)
class CommunityAdmin(AuditedModelAdmin):
    inlines = [BranchMemberInline]
    list_display = ["name", "name_bo", "street", "kind", "name_confirmed", "sort_order"]
    list_filter = ["street", "kind", "name_confirmed"]
    search_fields = ["name", "note"]
    list_select_related = ["street"]
    list_editable = ["name_confirmed", "sort_order"]


@admin.register(PoliceStation)
class PoliceStationAdmin(AuditedModelAdmin):
    list_display = ["name", "name_confirmed", "phone", "sort_order"]
    list_filter = ["name_confirmed", "streets"]
    search_fields = ["name", "address"]
    filter_horizontal = ["streets"]


@admin.register(BranchMember)
class BranchMemberAdmin(AuditedModelAdmin):
    list_display = ["name", "post", "community", "duties", "sort_order"]
    list_filter = ["post", "community__street", "community"]
    search_fields = ["name", "community__name"]
    list_select_related = ["community"]


@admin.register(PoliceCallCount)
class PoliceCallCountAdmin(AuditedModelAdmin):
    """Police calls received (警情接报数): normally typed in or imported on the application's page."""

    list_display = ["community", "year", "month", "count", "updated_by", "updated_at"]
    list_filter = ["year", "community__street"]
    search_fields = ["community__name"]
    list_select_related = ["community", "updated_by"]
    readonly_fields = ["updated_by", "updated_at"]


@admin.register(MonthlySummary)
class MonthlySummaryAdmin(admin.ModelAdmin):
    """Read-only: the summaries are kept by the write services and recomputed by manage.py rebuild_summaries."""

    list_display = ["community", "officer_key", "year", "month", "talks", "difficulty", "dispute", "case", "patrol"]
    list_filter = ["year", "month", "community__street"]
    search_fields = ["community__name"]
    list_select_related = ["community"]
    show_full_result_count = False  # no COUNT over the whole table on every page

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
