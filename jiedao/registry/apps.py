from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "jiedao.registry"
    label = "registry"
    verbose_name = _("实有人口")

    def ready(self):
        from jiedao.registry import signals  # noqa: F401
