"""Admin pages for plan data that staff maintain by hand (a later plan is entered the same way)."""

from django.contrib import admin

from jiedao.planning import models


class SubdistrictRowAdmin(admin.ModelAdmin):
    list_filter = ["subdistrict"]


@admin.register(models.Plan)
class PlanAdmin(SubdistrictRowAdmin):
    list_display = ["name", "subdistrict", "start_year", "end_year", "published"]


@admin.register(models.Indicator)
class IndicatorAdmin(SubdistrictRowAdmin):
    list_display = ["name", "plan", "unit", "binding", "source", "target", "target_year", "lead_unit"]
    list_filter = ["plan", "binding", "source", "direction"]
    search_fields = ["name", "code"]


@admin.register(models.Project)
class ProjectAdmin(SubdistrictRowAdmin):
    list_display = ["name", "plan", "category", "lead_unit", "status", "progress"]
    list_filter = ["plan", "category", "status"]
    search_fields = ["name", "code"]


for model in (models.Chapter, models.Section, models.Task, models.Goal, models.ProjectTarget, models.Milestone,
              models.Evaluation):
    admin.site.register(model, SubdistrictRowAdmin)
