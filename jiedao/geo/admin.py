"""Admin pages for the place hierarchy and the road gazetteer (geometry is edited as GeoJSON)."""

from django.contrib import admin

from jiedao.geo.models import Area, Building, Community, Estate, Grid, Road


class PlaceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "subdistrict"]
    list_filter = ["subdistrict"]
    search_fields = ["code", "name"]


admin.site.register(Area, PlaceAdmin)
admin.site.register(Community, PlaceAdmin)
admin.site.register(Grid, PlaceAdmin)
admin.site.register(Estate, PlaceAdmin)


@admin.register(Road)
class RoadAdmin(admin.ModelAdmin):
    list_display = ["name", "subdistrict"]
    list_filter = ["subdistrict"]
    search_fields = ["name"]


@admin.register(Building)
class BuildingAdmin(admin.ModelAdmin):
    list_display = ["code", "road", "lane", "number", "estate", "grid"]
    list_filter = ["subdistrict"]
    search_fields = ["code", "lane", "number", "estate__name"]
    raw_id_fields = ["estate", "community", "grid", "road"]
