from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SensingConfig(AppConfig):
    name = "jiedao.sensing"
    verbose_name = _("物联感知")
    default_auto_field = "django.db.models.BigAutoField"
