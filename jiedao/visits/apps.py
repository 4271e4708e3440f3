from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisitsConfig(AppConfig):
    name = "jiedao.visits"
    verbose_name = _("四百走访")
    default_auto_field = "django.db.models.BigAutoField"
