from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultConfig(AppConfig):
    name = "jiedao.consult"
    verbose_name = _("征询与表决")
    default_auto_field = "django.db.models.BigAutoField"
