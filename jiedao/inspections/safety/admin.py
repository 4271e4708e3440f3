"""Admin pages of the safety index's weights and the 21 天 campaign's rules (configuration as data), and of the
safety index's stored months. Imported by the app's ``admin`` module, which Django's admin discovers."""

from django.contrib import admin
from django.utils import timezone

from jiedao.inspections.models import Campaign, SafetyMonth, SafetyWeight


@admin.register(SafetyWeight)
class SafetyWeightAdmin(admin.ModelAdmin):
    list_display = ("code", "subdistrict", "weight", "saturation", "enabled", "updated_at", "updated_by")
    list_filter = ("subdistrict", "enabled")
    readonly_fields = ("updated_at", "updated_by")

    def save_model(self, request, obj, form, change):
        obj.updated_by, obj.updated_at = request.user, timezone.now()
        super().save_model(request, obj, form, change)


@admin.register(SafetyMonth)
class SafetyMonthAdmin(admin.ModelAdmin):
    """The closed months' counts, as stored: read only. Deleting a month (after a correction of its records)
    has it counted again from the records as they are, the next time a page needs it."""

    list_display = ("month", "subdistrict", "counted_at")
    list_filter = ("subdistrict",)
    readonly_fields = ("subdistrict", "month", "residents", "factors", "counted_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ("name", "subdistrict", "starts_on", "ends_on", "streak_days", "reward_points", "missed_rule")
    list_filter = ("subdistrict", "missed_rule")
    # Rewards are settled against the records under the campaign's rules (rewards.settle): changed once
    # households have joined, the rules would take back and pay again the runs of those recorded next only.
    RULES = ("subdistrict", "starts_on", "streak_days", "reward_points", "missed_rule")

    def get_readonly_fields(self, request, obj=None):
        fixed = self.RULES if obj is not None and obj.enrolments.exists() else ()
        return (*super().get_readonly_fields(request, obj), *fixed)
