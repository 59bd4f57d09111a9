from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import services
from .forms import OfficerForm
from .models import Appointment, MonthlyTalk, Officer


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


# Monthly talks (issue 4). Read-only here: talks are recorded, changed and deleted on the application's pages,
# where the closed-month rule and the audit log apply. Soft-deleted talks stay visible here, flagged.
@admin.register(MonthlyTalk)
class MonthlyTalkAdmin(admin.ModelAdmin):
    list_display = ["officer", "community", "held_at", "talker_name", "talker_role", "deleted_at"]
    list_filter = ["community__street", "talker_role", ("deleted_at", admin.EmptyFieldListFilter)]
    search_fields = ["officer__name", "officer__police_number", "talker_name", "place"]
    list_select_related = ["officer", "community"]
    date_hierarchy = "held_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
