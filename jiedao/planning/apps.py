from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "jiedao.planning"
    label = "planning"
    verbose_name = _("规划监测评估")
