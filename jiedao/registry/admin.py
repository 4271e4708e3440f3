"""Admin pages for the registry's configuration: tags and care-colour rules (分色规则).

Households and residents are maintained through the registry's own pages, which mask personal data and
audit every reveal; they are deliberately not in the admin.
"""

from django.contrib import admin, messages
from django.utils.translation import gettext as _

from jiedao.registry import selectors
from jiedao.registry.models import ColourRule, Tag


class RecolourNotices:
    """A change of the tags or rules recolours everyone in the background (registry.signals): these admin
    pages say so, and say when the last recompute failed or was cut off by a worker that died."""

    def changelist_view(self, request, extra_context=None):
        run = selectors.recompute_run(user=request.user)
        if run is not None and run.needs_attention:
            self.message_user(request, _("分色重新计算：%(message)s") % {"message": run.message}, messages.WARNING)
        return super().changelist_view(request, extra_context)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        self.message_user(request, _("分色将在后台重新计算；进度和结果见“分色统计”页。"), messages.INFO)


@admin.register(Tag)
class TagAdmin(RecolourNotices, admin.ModelAdmin):
    list_display = ["name", "code", "kind", "sensitive", "order"]
    list_filter = ["kind", "sensitive"]


@admin.register(ColourRule)
class ColourRuleAdmin(RecolourNotices, admin.ModelAdmin):
    list_display = ["name", "colour", "priority", "active"]
    list_filter = ["colour", "active"]
    filter_horizontal = ["all_of", "any_of"]
