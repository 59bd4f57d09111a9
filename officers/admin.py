from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from officers.messages import ID_NUMBER, LETTER_NUMBER, MOBILE_NUMBER
from yushu_gov.access.rights import can
from yushu_gov.audit.log import audit_log
from yushu_gov.models import AuditEntry
from yushu_gov.web.admin_mixins import AuditedModelAdmin, ReadOnlyAdminMixin

from . import services
from .forms import OfficerForm
from .models import Appointment, AppointmentStep, LetterCounter, Officer, QualificationCheck, QualificationStandard
from .steps import STEPS


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

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """Opening an officer's full record is audited, as on the application's pages."""
        if request.method == "GET" and (officer := self.get_object(request, object_id)) is not None:
            audit_log(actor=request.user, action="officers.officer.viewed", obj=officer, request=request)
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description=ID_NUMBER)
    def masked_id_number_display(self, obj):
        return obj.masked_id_number

    @admin.display(description=MOBILE_NUMBER)
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


class StepInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = AppointmentStep
    fields = ["status", "on_date", "reference", "note", "actor", "recorded_at"]
    readonly_fields = fields
    extra = 0


class CheckInline(StepInline):
    model = QualificationCheck
    fields = ["standard", "met", "note", "reviewed_by", "reviewed_at"]
    readonly_fields = fields


def _step_action(name: str):
    """An admin action that performs one step of the procedure through its service, after an
    intermediate page that asks for the step's data (dates, meeting, document number, reason)."""
    spec = STEPS[name]

    def action(modeladmin, request, queryset):
        if not can(request.user, spec.right):
            modeladmin.message_user(request, _("您的角色无权办理此步骤。"), messages.ERROR)
            return None
        form = spec.form(request.POST if "apply" in request.POST else None, initial={"on_date": timezone.localdate()})
        if "apply" in request.POST and form.is_valid():
            done, failed = 0, []
            for appointment in queryset.select_related("officer", "community"):
                try:
                    spec.service(appointment=appointment, by=request.user, **form.service_kwargs())
                    done += 1
                except ValidationError as exc:
                    failed.append(f"{appointment}：{'；'.join(exc.messages)}")
            if done:
                modeladmin.message_user(request, _("已办理“%(step)s”：%(n)d 项。") % {"step": spec.title, "n": done})
            for message in failed:
                modeladmin.message_user(request, message, messages.ERROR)
            return None
        context = {
            **modeladmin.admin_site.each_context(request),
            "title": spec.title,
            "form": form,
            "appointments": queryset.select_related("officer", "community"),
            "action_name": f"step_{name}",
            "opts": modeladmin.model._meta,
        }
        return TemplateResponse(request, "admin/officers/appointment/step_action.html", context)

    action.__name__ = f"step_{name}"
    return admin.action(description=spec.title, permissions=["workflow"])(action)


@admin.register(Appointment)
class AppointmentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Appointments are read-only here: every change is a step of the procedure, performed by the
    actions below through officers/services.py (the same services as the application's pages)."""

    list_display = ["officer", "community", "status", "document_no", "letter_number", "started_on", "ended_on"]
    list_filter = ["status", "community__street", "end_reason"]
    search_fields = ["officer__name", "officer__police_number", "community__name", "document_no"]
    list_select_related = ["officer", "community"]
    inlines = [StepInline, CheckInline]
    actions = [_step_action(name) for name in ("report", "decide", "file", "end", "return", "withdraw")]
    readonly_fields = [
        "officer", "community", "status", "nominated_on", "nomination_note", "reported_on", "decided_on",
        "decision_meeting", "document_no", "filed_on", "letter_number", "meeting_on", "announced_on",
        "letter_issued_on", "oath_on", "started_on", "ended_on", "end_reason", "closing_note", "history",
    ]  # fmt: skip
    fields = readonly_fields

    def has_workflow_permission(self, request):
        return any(can(request.user, STEPS[name].right) for name in ("report", "decide", "file", "end", "return"))

    @admin.display(description=LETTER_NUMBER)
    def letter_number(self, obj):
        return obj.letter_number or "—"

    @admin.display(description=_("变更记录"))
    def history(self, obj):
        return render_to_string("includes/history.html", {"history": AuditEntry.objects.for_object(obj)})


@admin.register(QualificationStandard)
class QualificationStandardAdmin(AuditedModelAdmin):
    list_display = ["text", "sort_order", "active"]
    list_editable = ["sort_order", "active"]
    list_filter = ["active"]
    search_fields = ["text"]


@admin.register(AppointmentStep)
class AppointmentStepAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The procedure's steps, read-only (they are written by the services)."""

    list_display = ["appointment", "status", "on_date", "reference", "actor", "recorded_at"]
    list_filter = ["status"]
    search_fields = ["appointment__officer__name", "appointment__community__name", "reference"]
    list_select_related = ["appointment__officer", "appointment__community", "actor"]


@admin.register(QualificationCheck)
class QualificationCheckAdmin(AppointmentStepAdmin):
    list_display = ["appointment", "standard", "met", "note", "reviewed_by", "reviewed_at"]
    list_filter = ["met", "standard"]
    search_fields = ["appointment__officer__name", "appointment__community__name", "note"]
    list_select_related = ["appointment__officer", "appointment__community", "standard", "reviewed_by"]


@admin.register(LetterCounter)
class LetterCounterAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The appointment letters' yearly counters, read-only (filing takes the next number)."""

    list_display = ["year", "last_serial"]
    search_fields = ["year"]
