from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import services
from .forms import OfficerForm
from .models import Appointment, Officer


@admin.register(Officer)
class OfficerAdmin(admin.ModelAdmin):
    """Uses the application's own form (the ID number is never rendered back in full) and services
    (so every change is validated and audited the same way as on the application's pages)."""

    form = OfficerForm
    list_display = [
        "name",
        "police_number",
        "station",
        "masked_id_number_display",
        "masked_mobile_display",
        "party_status",
        "bilingual",
    ]
    list_filter = ["station", "party_status", "bilingual", "gender", "ethnicity"]
    search_fields = ["name", "police_number"]
    list_select_related = ["station"]

    @admin.display(description=_("身份证号码"))
    def masked_id_number_display(self, obj):
        return obj.masked_id_number

    @admin.display(description=_("手机号码"))
    def masked_mobile_display(self, obj):
        return obj.masked_mobile

    def save_model(self, request, obj, form, change):
        if change:
            saved = services.officer_update(officer=obj, by=request.user, data=form.cleaned_data)
        else:
            saved = services.officer_create(by=request.user, data=form.cleaned_data)
        obj.pk = saved.pk

    def has_delete_permission(self, request, obj=None):
        # Officers are referenced by appointments and records; they are kept, never deleted.
        return False


@admin.register(Appointment)
class AppointmentAdmin(admin.ModelAdmin):
    list_display = ["officer", "community", "status", "started_on", "ended_on"]
    list_filter = ["status", "community__street", "end_reason"]
    search_fields = ["officer__name", "officer__police_number", "community__name"]
    list_select_related = ["officer", "community"]
    readonly_fields = ["officer", "community", "status", "started_on", "ended_on", "end_reason"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# ---------------------------------------------------------------------------------------------------------
# Work ledger (工作台账)
# ---------------------------------------------------------------------------------------------------------

from .forms import WorkRecordForm  # noqa: E402
from .models import WorkRecord  # noqa: E402


@admin.register(WorkRecord)
class WorkRecordAdmin(admin.ModelAdmin):
    """Read-only in the admin site: records are entered and changed on the application's pages, through
    the services that check the scope, mask personal data and write the audit log."""

    list_display = ["occurred_on", "kind", "community", "officer", "severity", "status"]
    list_filter = ["kind", "status", "severity", "community__street"]
    search_fields = ["summary", "case_number", "officer__name", "community__name"]
    list_select_related = ["community", "officer"]
    date_hierarchy = "occurred_on"
    readonly_fields = [f for f in WorkRecordForm.Meta.fields] + ["created_by", "created_at", "updated_at"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
