"""The one mechanism that limits every read to the user's area (数据范围).

Each scoped model names, as class attributes, the lookup from its rows to the places a user can be
scoped to::

    scope_subdistrict = "building__subdistrict"          # tenancy: always applied
    scope_paths = {ScopeLevel.GRID: "building__grid", ...}  # finer levels
    scope_shared = False   # True: rows are reference data every user of the subdistrict may read

Selectors start from ``Model.objects.within(scope_of(user))``; detail views and endpoints fetch with
``get_in_scope``, which answers 404 for a row that does not exist and 403 (audited) for one outside the
user's scope. A model with no path for a level shows nothing at that level unless it is shared: the
mechanism fails closed.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404

from jiedao.core.roles import ScopeLevel


@dataclass(frozen=True)
class Scope:
    level: str
    subdistrict_id: int | None = None
    place_id: int | None = None  # the area, community, grid or department the level names

    @property
    def is_all(self) -> bool:
        return self.level == ScopeLevel.ALL


NO_SCOPE = Scope(ScopeLevel.NONE)


def scope_of(user) -> Scope:
    """The scope a signed-in user reads within; anonymous users and residents get none."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return NO_SCOPE
    if user.is_superuser:
        return Scope(ScopeLevel.ALL)
    level = user.scope_level
    if level == ScopeLevel.ALL:
        return Scope(ScopeLevel.ALL)
    if level == ScopeLevel.NONE or user.subdistrict_id is None:
        return NO_SCOPE
    place_id = {
        ScopeLevel.SUBDISTRICT: None,
        ScopeLevel.AREA: user.area_id,
        ScopeLevel.COMMUNITY: user.community_id,
        ScopeLevel.GRID: user.grid_id,
        ScopeLevel.DEPARTMENT: user.department_id,
    }[level]
    if level != ScopeLevel.SUBDISTRICT and place_id is None:
        return NO_SCOPE  # a half-configured user sees nothing rather than everything
    return Scope(level, user.subdistrict_id, place_id)


class ScopedQuerySet(models.QuerySet):
    def within(self, scope: Scope) -> "ScopedQuerySet":
        """Rows visible within ``scope``."""
        if scope.is_all:
            return self.all()
        if scope.level == ScopeLevel.NONE or scope.subdistrict_id is None:
            return self.none()
        model = self.model
        qs = self.filter(**{model.scope_subdistrict: scope.subdistrict_id})
        if scope.level == ScopeLevel.SUBDISTRICT:
            return qs
        path = getattr(model, "scope_paths", {}).get(scope.level)
        if path is None:
            return qs if getattr(model, "scope_shared", False) else qs.none()
        return qs.filter(**{path: scope.place_id})

    def for_user(self, user) -> "ScopedQuerySet":
        return self.within(scope_of(user))


def ensure_perm(user, perm: str) -> None:
    """Refuse (403, audited) a user whose role lacks ``perm``: the role half of every access check."""
    from django.utils.translation import gettext as _

    from jiedao.core.audit import record_denied
    from jiedao.core.roles import has_perm

    if not has_perm(user, perm):
        record_denied(actor=user, detail={"perm": perm})
        raise PermissionDenied(_("您的角色无权执行此操作"))


def ensure_in_scope(obj: models.Model, *, user) -> None:
    """Refuse (403, audited) when ``obj`` lies outside the user's scope."""
    from django.utils.translation import gettext as _

    from jiedao.core.audit import record_denied

    if not type(obj).objects.within(scope_of(user)).filter(pk=obj.pk).exists():
        record_denied(actor=user, obj=obj)
        raise PermissionDenied(_("该对象不在您的数据范围内"))


def get_in_scope(queryset: models.QuerySet, *, user, **lookup):
    """Fetch one row for ``user``: 404 when it does not exist, 403 (and an audit record) when outside scope."""
    try:
        obj = queryset.get(**lookup)
    except queryset.model.DoesNotExist as exc:
        raise Http404 from exc
    ensure_in_scope(obj, user=user)
    return obj
