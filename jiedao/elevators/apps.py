from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ElevatorsConfig(AppConfig):
    name = "jiedao.elevators"
    verbose_name = _("加装电梯")
    default_auto_field = "django.db.models.BigAutoField"
