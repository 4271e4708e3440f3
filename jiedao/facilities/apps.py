from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FacilitiesConfig(AppConfig):
    name = "jiedao.facilities"
    verbose_name = _("生活圈与服务设施")
    default_auto_field = "django.db.models.BigAutoField"
