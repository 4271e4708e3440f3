"""Configuration as data (配置): point kinds with their checklists, and each subdistrict's 五星 rules."""

from django.contrib import admin

from jiedao.inspections.models import ChecklistItem, GarbageStarRule, PointKind, ShopStarRule
from jiedao.inspections.safety import admin as _safety_admin  # noqa: F401  (weights of the safety index, the 21 天 campaign)


class ItemInline(admin.TabularInline):
    model = ChecklistItem
    extra = 1
    fields = ("code", "name", "category_code", "order", "active")


@admin.register(PointKind)
class PointKindAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "instruction", "far_metres", "order")
    inlines = [ItemInline]


@admin.register(ShopStarRule)
class ShopStarRuleAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "subdistrict", "item_code", "category_code", "per", "stars", "max_stars", "active")
    list_filter = ("subdistrict", "active")


@admin.register(GarbageStarRule)
class GarbageStarRuleAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "subdistrict", "item_code", "category_code", "tiers", "per", "stars",
                    "max_stars", "active")
    list_filter = ("subdistrict", "active")
