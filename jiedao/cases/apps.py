from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "jiedao.cases"
    verbose_name = _("一网统管")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.backends.signals import connection_created

        from jiedao.cases import search, tasks  # noqa: F401  (tasks registers the periodic overdue check)

        connection_created.connect(search.register, dispatch_uid="jiedao.cases.search")
