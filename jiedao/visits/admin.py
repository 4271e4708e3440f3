"""Admin pages for 四百走访's configuration (配置走访规则与清单): the default rules of each subdistrict (a 居委's
own frequencies are set by its head on the plan page), the checklist, and the reminder and feedback
settings. Tasks, visits and feedback are worked on the visits pages, which check scope and write their
history; they are deliberately not editable here."""

from django.contrib import admin

from jiedao.visits.models import ChecklistItem, VisitRule, VisitSettings


@admin.register(VisitRule)
class VisitRuleAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "subdistrict", "community", "kind", "colour", "every_months", "within_days",
                    "due_days", "working_days", "active"]
    list_filter = ["subdistrict", "kind", "active"]
    search_fields = ["name", "code"]


@admin.register(ChecklistItem)
class ChecklistItemAdmin(admin.ModelAdmin):
    list_display = ["label", "code", "hint", "order", "active"]
    list_editable = ["order", "active"]


@admin.register(VisitSettings)
class VisitSettingsAdmin(admin.ModelAdmin):
    list_display = ["subdistrict", "remind_before_days", "escalate_after_days", "feedback_valid_days"]
