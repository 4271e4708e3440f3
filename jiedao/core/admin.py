"""Admin pages for users (role and area scope), tenants, departments; the audit log and tokens read-only."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from jiedao.core.models import ApiToken, AuditLog, Department, Subdistrict, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "first_name", "role", "subdistrict", "scope_level", "is_active"]
    list_filter = ["role", "scope_level", "subdistrict", "is_active"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (_("角色与数据范围"), {"fields": ["role", "subdistrict", "scope_level", "area", "community", "grid",
                                    "department"]}),
    ]
    autocomplete_fields = ["area", "community", "grid", "department"]


@admin.register(Subdistrict)
class SubdistrictAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "district", "city"]
    search_fields = ["code", "name"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "subdistrict", "active"]
    list_filter = ["subdistrict", "kind", "active"]
    search_fields = ["code", "name"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditLog)
class AuditLogAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "actor_username", "action", "object_type", "object_id", "field", "ip"]
    list_filter = ["action", "subdistrict"]
    search_fields = ["actor_username", "object_repr", "reason"]


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ["prefix", "user", "name", "created_at", "last_used_at", "revoked_at"]
