from django.contrib import admin

from yushu_gov.web.admin_mixins import AuditedModelAdmin

from .models import Area, BranchMember, Community, PoliceCallCount, PoliceStation, Street
from .services import area_create


@admin.register(Area)
class AreaAdmin(AuditedModelAdmin):
    """The organisation tree above the streets. An area is added under its parent (its path follows) and does
    not move afterwards."""

    list_display = ["name", "kind", "parent", "bureau_name", "name_confirmed", "sort_order"]
    list_filter = ["kind", "name_confirmed"]
    search_fields = ["name", "code"]
    list_select_related = ["parent"]

    def get_readonly_fields(self, request, obj=None):
        return ["code", "parent", "kind"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        if not change:
            fields = {f: form.cleaned_data.get(f) for f in ("bureau_name", "name_confirmed", "sort_order")}
            created = area_create(code=obj.code, name=obj.name, kind=obj.kind, parent=obj.parent, **fields)
            obj.pk, obj.path, obj.depth = created.pk, created.path, created.depth
            obj._state.adding = False
        super().save_model(request, obj, form, change)


class CommunityInline(admin.TabularInline):
    model = Community
    fields = ["name", "name_bo", "kind", "name_confirmed", "sort_order"]
    extra = 0
    show_change_link = True


@admin.register(Street)
class StreetAdmin(AuditedModelAdmin):
    list_display = ["name", "area", "kind", "committee_name", "name_confirmed", "sort_order"]
    search_fields = ["name", "committee_name"]
    list_filter = ["area", "kind", "name_confirmed", "stations"]
    list_select_related = ["area"]
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
    list_display = ["name", "area", "name_confirmed", "phone", "sort_order"]
    list_filter = ["area", "name_confirmed", "streets"]
    list_select_related = ["area"]
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
