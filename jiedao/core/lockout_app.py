"""django-axes, installed under its own label ("axes": tables, migrations and admin URLs unchanged) but
named in the platform's language in the admin (系统管理 → 登录锁定). core.throttle says what it does."""

from axes.apps import AppConfig as AxesConfig
from django.utils.translation import gettext_lazy as _


class LockoutConfig(AxesConfig):
    verbose_name = _("登录锁定")
