"""Admin pages for the facilities module's configuration: facility types (设施类型) and the walking speeds.

Facilities themselves are kept through the module's own pages (设施登记, with checks of position and type and
the stored distances brought up to date); the network is built or imported on the 步行路网 page. Both are
listed here read-only, for looking up.
"""

from django.contrib import admin

from jiedao.facilities.models import AccessSettings, Facility, FacilityType, WalkNetwork


@admin.register(FacilityType)
class FacilityTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "category", "circle", "elderly", "basic", "order"]
    list_filter = ["category", "circle", "elderly", "basic"]
    search_fields = ["name", "code"]


@admin.register(AccessSettings)
class AccessSettingsAdmin(admin.ModelAdmin):
    list_display = ["subdistrict", "adult_speed", "elderly_speed", "max_connector_m"]


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Facility)
class FacilityAdmin(ReadOnly):
    list_display = ["name", "type", "status", "community", "subdistrict"]
    list_filter = ["subdistrict", "status", "type__category"]
    search_fields = ["name", "address"]


@admin.register(WalkNetwork)
class WalkNetworkAdmin(ReadOnly):
    list_display = ["subdistrict", "source", "name", "node_count", "edge_count", "length_km", "created_at"]
