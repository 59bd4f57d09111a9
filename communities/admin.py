from django.contrib import admin

from yushu_gov.web.admin_mixins import AuditedModelAdmin, ReadOnlyAdminMixin

from .models import Area, AreaCallMonth, BranchMember, Community, PoliceCallCount, PoliceStation, Street
from .rollups import streets_rehung
from .services import area_create


class TreeShapeAdmin(AuditedModelAdmin):
    """An admin whose form can hang a record elsewhere in the tree (`tree_field`): the roll-ups up the tree move
    what the streets concerned contribute, in the save's transaction, when it does (rollups.streets_rehung)."""

    tree_field = ""

    def rehung_streets(self, obj) -> set[int]:
        """The streets whose records count elsewhere once the change is saved (read before it)."""
        raise NotImplementedError

    def save_model(self, request, obj, form, change):
        if not (change and self.tree_field in form.changed_data):
            return super().save_model(request, obj, form, change)
        with streets_rehung(self.rehung_streets(obj)):
            super().save_model(request, obj, form, change)


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
class StreetAdmin(TreeShapeAdmin):
    tree_field = "area"
    list_display = ["name", "area", "kind", "committee_name", "name_confirmed", "sort_order"]
    search_fields = ["name", "committee_name"]
    list_filter = ["area", "kind", "name_confirmed", "stations"]
    list_select_related = ["area"]
    inlines = [CommunityInline]

    def rehung_streets(self, obj) -> set[int]:
        return {obj.pk}


class BranchMemberInline(admin.TabularInline):
    model = BranchMember
    fields = ["post", "name", "duties", "sort_order"]
    extra = 0


@admin.register(Community)
class CommunityAdmin(TreeShapeAdmin):
    tree_field = "street"
    inlines = [BranchMemberInline]
    list_display = ["name", "name_bo", "street", "kind", "name_confirmed", "sort_order"]
    list_filter = ["street", "kind", "name_confirmed"]
    search_fields = ["name", "note"]
    list_select_related = ["street"]
    list_editable = ["name_confirmed", "sort_order"]

    def rehung_streets(self, obj) -> set[int]:
        return {Community.objects.get(pk=obj.pk).street_id, obj.street_id}  # the street it leaves, and its new one


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
class PoliceCallCountAdmin(ReadOnlyAdminMixin, AuditedModelAdmin):
    """Police calls received (警情接报数): typed in or imported on the application's page, where their roll-up
    up the tree is kept; viewable here."""

    list_display = ["community", "year", "month", "count", "updated_by", "updated_at"]
    list_filter = ["year", "community__street"]
    search_fields = ["community__name"]
    list_select_related = ["community", "updated_by"]
    readonly_fields = ["updated_by", "updated_at"]


@admin.register(AreaCallMonth)
class AreaCallMonthAdmin(ReadOnlyAdminMixin, AuditedModelAdmin):
    """Read-only: the police calls' roll-up up the tree, kept by the police-call services and recounted by
    manage.py rebuild_summaries."""

    list_display = ["area", "year", "month", "calls", "figures", "compared", "compared_before"]
    list_filter = ["year", "month", "area__kind"]
    search_fields = ["area__name"]
    list_select_related = ["area"]
