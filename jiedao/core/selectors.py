"""Reads of the core module."""

from django.db.models import QuerySet

from jiedao.core.filters import AuditLogFilter
from jiedao.core.models import AuditLog, Department, User
from jiedao.core.scope import scope_of


def audit_search(*, user: User, filters: dict | None = None) -> QuerySet[AuditLog]:
    """审计查询: the audit log within the user's scope, newest first, narrowed by ``AuditLogFilter``
    (q, action, actor, object_type, object_id, since, until)."""
    qs = AuditLog.objects.within(scope_of(user))
    return AuditLogFilter(filters, queryset=qs).qs.order_by("-created_at", "-id")


def department_list(*, user: User) -> QuerySet[Department]:
    """Departments the user may see (every department of the subdistrict is shared reference data)."""
    return Department.objects.within(scope_of(user)).filter(active=True)
