from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "jiedao.cases"
    verbose_name = _("一网统管")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from jiedao.cases import tasks  # noqa: F401  (registers the periodic overdue check)
