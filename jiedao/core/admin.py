"""Admin pages for users (role and area scope), tenants, departments; the audit log and tokens read-only.

The admin is the system administrator's tool (configuration and users): it lists no personal data of
residents or callers, and a change to a user's role or scope goes to the audit log, since it decides what
that user may read and reveal.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from jiedao.core import audit
from jiedao.core.models import ApiToken, AuditAction, AuditLog, Department, Subdistrict, User
from jiedao.core.scope import scope_of

# The fields whose change an auditor needs to see: they decide what the user may read and reveal.
ACCESS_FIELDS = ("role", "subdistrict", "scope_level", "area", "community", "grid", "department", "is_active",
                 "is_staff", "is_superuser")


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

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        changed = [f for f in form.changed_data if f in ACCESS_FIELDS]
        if changed or not change:
            audit.record(actor=request.user, action=AuditAction.UPDATE if change else AuditAction.CREATE, obj=obj,
                         detail={"admin": True, "changed": {f: str(getattr(obj, f)) for f in changed}})


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

    def get_queryset(self, request):
        # The same rows as the audit page: within the administrator's own scope.
        return super().get_queryset(request).within(scope_of(request.user))


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ["prefix", "user", "name", "created_at", "last_used_at", "revoked_at"]
