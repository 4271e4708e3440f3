from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "jiedao.inspections"
    verbose_name = _("巡检与垃圾分类")
    default_auto_field = "django.db.models.BigAutoField"
