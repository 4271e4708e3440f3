"""Admin pages for the registry's configuration: tags and care-colour rules (分色规则).

Households and residents are maintained through the registry's own pages, which mask personal data and
audit every reveal; they are deliberately not in the admin.
"""

from django.contrib import admin

from jiedao.registry.models import ColourRule, Tag


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "sensitive", "order"]
    list_filter = ["kind", "sensitive"]


@admin.register(ColourRule)
class ColourRuleAdmin(admin.ModelAdmin):
    list_display = ["name", "colour", "priority", "active"]
    list_filter = ["colour", "active"]
    filter_horizontal = ["all_of", "any_of"]
