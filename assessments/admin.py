from django.contrib import admin

from .models import AnnualAssessment, AssessmentScheme, DutyReport


class ReadOnlyAdmin(admin.ModelAdmin):
    """Assessments are written only through the application's pages and services (versioned, audited,
    locked after filing); the admin site shows them read-only."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AssessmentScheme)
class AssessmentSchemeAdmin(ReadOnlyAdmin):
    list_display = ["year", "performance_weight", "business_weight", "excellent_threshold", "excellent_cap_percent"]


class DutyReportInline(admin.TabularInline):
    model = DutyReport
    fields = ["body", "held_on", "evaluation", "file_name"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(AnnualAssessment)
class AnnualAssessmentAdmin(ReadOnlyAdmin):
    list_display = ["officer", "year", "community", "status", "weighted_score", "grade", "commendation_eligible"]
    list_filter = ["year", "status", "grade"]
    search_fields = ["officer__name", "officer__police_number"]
    list_select_related = ["officer", "community"]
    inlines = [DutyReportInline]
