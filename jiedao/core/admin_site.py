"""How the system administration site (系统管理, Django's admin at /admin/) names itself and the apps it lists:
in the platform's language, with English in the catalogue, instead of "Django 管理" and package names.

Installed from ``INSTALLED_APPS`` (``JiedaoAdminConfig`` in place of ``django.contrib.admin``,
``TasksDatabaseConfig`` in place of ``django_tasks_db``); the tasks app keeps its label, so its tables and
migrations are unchanged.
"""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class JiedaoAdminSite(admin.AdminSite):
    site_header = _("街道数字治理平台 · 系统管理")
    site_title = _("系统管理")
    index_title = _("系统管理")


class JiedaoAdminConfig(AdminConfig):
    default_site = "jiedao.core.admin_site.JiedaoAdminSite"


class TasksDatabaseConfig(TasksAppConfig):
    verbose_name = _("后台任务")
