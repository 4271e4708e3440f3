"""The one mechanism that limits every read to the user's area (数据范围).

Each scoped model names, as class attributes, the lookup from its rows to the places a user can be
scoped to::

    scope_subdistrict = "building__subdistrict"          # tenancy: always applied
    scope_paths = {ScopeLevel.GRID: "building__grid", ...}  # finer levels
    scope_shared = False   # True: rows are reference data every user of the subdistrict may read

Selectors start from ``Model.objects.within(scope_of(user))``; detail views and endpoints fetch with
``core.access.get_in_scope``, which answers 404 alike for a row that does not exist and for one outside
the user's scope (that one audited). A model with no path for a level shows nothing at that level unless it is
shared: the mechanism fails closed. This module imports nothing of the platform but its roles, so that
every model can use it.
"""

from dataclasses import dataclass

from django.db import models

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
    """The scope a signed-in user reads within; anonymous users and residents get none.

    The superuser flag plays no part: it opens the Django admin (configuration and users), while the places
    a superuser reads come from their scope fields like everyone else's."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return NO_SCOPE
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
