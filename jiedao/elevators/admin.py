"""Admin pages for the elevators app's configuration (数据，不写死在代码里): the feasibility weights, the cost
table, the subsidy and the sharing table. Projects and surveys are kept through the app's own pages, which
check and audit each step."""

from django.contrib import admin

from jiedao.elevators.models import CostItem, FactorWeight, ShareCoefficient, SubsidyRule


@admin.register(FactorWeight)
class FactorWeightAdmin(admin.ModelAdmin):
    list_display = ["factor", "weight", "note"]
    list_editable = ["weight"]


@admin.register(CostItem)
class CostItemAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "basis", "shaft", "amount", "order"]
    list_editable = ["amount", "order"]


@admin.register(SubsidyRule)
class SubsidyRuleAdmin(admin.ModelAdmin):
    list_display = ["name", "rate", "cap", "valid_from", "source"]


@admin.register(ShareCoefficient)
class ShareCoefficientAdmin(admin.ModelAdmin):
    list_display = ["floor", "coefficient"]
    list_editable = ["coefficient"]
