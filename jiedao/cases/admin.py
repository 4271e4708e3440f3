"""Admin pages for 一网统管's configuration: the taxonomy, handling processes (time limits), scenarios
(who handles what where) and holiday adjustments. Cases themselves are worked on the case pages, which
check every transition and write the timeline; they are deliberately not editable in the admin."""

from django.contrib import admin

from jiedao.cases.models import Category, HolidayOverride, Open311Key, Process, Scenario


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "family", "major_name", "urgent", "active"]
    list_filter = ["family", "major_name", "urgent", "active"]
    search_fields = ["code", "name"]


@admin.register(Process)
class ProcessAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "subdistrict", "handle_days", "handle_hours", "first_contact_required",
                    "first_contact_hours", "active"]
    list_filter = ["subdistrict", "active"]


@admin.register(Scenario)
class ScenarioAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "category", "area", "community", "department", "process", "active"]
    list_filter = ["subdistrict", "department", "process", "active"]
    search_fields = ["code", "name", "category__name"]
    autocomplete_fields = ["category"]


@admin.register(HolidayOverride)
class HolidayOverrideAdmin(admin.ModelAdmin):
    list_display = ["date", "is_workday", "note"]


@admin.register(Open311Key)
class Open311KeyAdmin(admin.ModelAdmin):
    """Keys are issued with ``jiedao open311-key``; here they can only be seen and revoked."""

    list_display = ["name", "subdistrict", "created_at", "revoked_at"]
    readonly_fields = ["name", "subdistrict", "digest", "created_at"]

    def has_add_permission(self, request):
        return False
