from django.contrib import admin

from yushu_gov.web.admin_mixins import ReadOnlyAdminMixin

from .models import AnnualAssessment, AssessmentScheme, DutyReport

# Assessments are written only through the application's pages and services (versioned, audited, locked
# after filing); the admin site shows them read-only.


@admin.register(AssessmentScheme)
class AssessmentSchemeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["year", "performance_weight", "business_weight", "excellent_threshold", "excellent_cap_percent"]
    search_fields = ["year"]


class DutyReportInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = DutyReport
    fields = ["body", "held_on", "evaluation", "file"]
    readonly_fields = fields
    extra = 0


@admin.register(AnnualAssessment)
class AnnualAssessmentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["officer", "year", "community", "status", "weighted_score", "grade", "commendation_eligible"]
    list_filter = ["year", "status", "grade"]
    search_fields = ["officer__name", "officer__police_number"]
    list_select_related = ["officer", "community"]
    inlines = [DutyReportInline]


@admin.register(DutyReport)
class DutyReportAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["assessment", "body", "held_on", "evaluation"]
    list_filter = ["body", "evaluation", "assessment__year"]
    search_fields = ["assessment__officer__name"]
    list_select_related = ["assessment__officer"]
