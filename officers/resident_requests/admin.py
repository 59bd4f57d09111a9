from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from yushu_gov.web.admin_mixins import ReadOnlyAdminMixin

from .models import CategoryDeadline, Landmark, RequestStep, ResidentRequest


class RequestStepInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = RequestStep
    fields = ["kind", "at", "actor", "note", "from_community", "to_community", "work_record"]
    readonly_fields = fields
    extra = 0


@admin.register(ResidentRequest)
class ResidentRequestAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: requests move only through the services. The resident's name and phone are not shown here
    (only the handling officer and the street read them, on the application's pages), nor is the secret."""

    list_display = ["number", "submitted_at", "category", "community", "officer", "status", "rating"]
    list_filter = ["status", "category", "rating", "community__street"]
    search_fields = ["serial", "description", "community__name", "officer__name"]
    list_select_related = ["community", "officer"]
    date_hierarchy = "submitted_at"
    exclude = ["resident_name", "resident_phone", "photo", "photo_2", "photo_3", "latitude", "longitude"]
    readonly_fields = ["masked_contact"]
    inlines = [RequestStepInline]

    @admin.display(description=_("联系方式（已打码）"))
    def masked_contact(self, obj):
        return " ".join(part for part in (obj.masked_name, obj.masked_phone) if part) or "—"


@admin.register(CategoryDeadline)
class CategoryDeadlineAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Set on the application's page (群众诉求 › 办理时限), which writes the audit log."""

    list_display = ["category", "respond_hours", "resolve_days", "updated_at"]


@admin.register(Landmark)
class LandmarkAdmin(admin.ModelAdmin):
    """The landmarks and residential compounds (小区) residents pick on the request form, per community."""

    list_display = ["name", "community", "sort_order"]
    list_filter = ["community__street", "community"]
    search_fields = ["name", "community__name"]
    list_select_related = ["community"]
