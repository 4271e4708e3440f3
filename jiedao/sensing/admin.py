"""Admin pages for 物联感知's configuration: the sensor types (their case category, offline time and commands).
Devices are registered and imported on the sensing pages (which check places and audit), rules are edited on
the rule page, and events, alarms and dead letters are records, not configuration: none is edited here."""

from django.contrib import admin

from jiedao.sensing.models import SensorType


@admin.register(SensorType)
class SensorTypeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "category", "measured", "unit", "offline_minutes", "gate", "order"]
    list_editable = ["offline_minutes", "order"]
    autocomplete_fields = ["category"]
    search_fields = ["code", "name"]

    def get_readonly_fields(self, request, obj=None):
        # Devices send the code in every event: a type's code is chosen once, when it is added.
        return ["code"] if obj is not None else []
