"""巡检点和巡检计划: registering and editing points, revoking their labels, laying out and editing rounds."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from jiedao.core import audit
from jiedao.core.access import ensure_in_scope, ensure_perm, in_scope
from jiedao.core.models import AuditAction, User
from jiedao.core.roles import ROLE_PERMS, Perm, ScopeLevel, has_perm
from jiedao.core.scope import scope_of
from jiedao.geo.models import Building, Community, Grid
from jiedao.inspections.models import Frequency, Point, PointKind, Round, Tier


def place_of_building(building: Building) -> dict:
    """The place columns a point, shop or room beside ``building`` copies from it (for scoping)."""
    return {"building": building, "estate_id": building.estate_id, "community_id": building.community_id,
            "grid_id": building.grid_id, "lat": building.lat, "lon": building.lon,
            "address": building.address, "subdistrict_id": building.subdistrict_id}


def _place(*, by: User, building: Building | None, community: Community | None, lat, lon) -> dict:
    """The point's place: from its building, or its coordinates within a 居委 (grid found by its outline)."""
    from jiedao.geo.placement import place_point, validate_lonlat

    if building is not None:
        ensure_in_scope(building, user=by)
        return place_of_building(building)
    if community is None or lat is None or lon is None:
        raise ValidationError({"place": _("请选择楼栋，或填写居委会和经纬度")})
    ensure_in_scope(community, user=by)
    lon, lat = validate_lonlat(lon, lat)
    grid = place_point(lon=lon, lat=lat, subdistrict_id=community.subdistrict_id)
    found = grid.pk if grid is not None and grid.community_id == community.pk else None
    return {"building": None, "estate_id": None, "community_id": community.pk, "grid_id": found,
            "lat": lat, "lon": lon, "address": "", "subdistrict_id": community.subdistrict_id}


def _point_errors(*, code: str, name: str, subdistrict_id: int, exclude: int | None = None) -> dict:
    errors = {}
    if not code or len(code) > 24:
        errors["code"] = _("点位编码必填，最多 24 个字符")
    elif Point.objects.filter(subdistrict_id=subdistrict_id, code=code).exclude(pk=exclude).exists():
        errors["code"] = _("点位编码 %(code)s 已被使用") % {"code": code}
    if not name or len(name) > 60:
        errors["name"] = _("名称必填，最多 60 个字符")
    return errors


def create_point(*, by: User, kind: PointKind, code: str, name: str, building: Building | None = None,
                 community: Community | None = None, lat=None, lon=None, address: str = "") -> Point:
    """Register a point at a building or at coordinates in a 居委 of the actor's scope."""
    ensure_perm(by, Perm.MANAGE_INSPECTIONS)
    place = _place(by=by, building=building, community=community, lat=lat, lon=lon)
    code, name = (code or "").strip(), (name or "").strip()
    errors = _point_errors(code=code, name=name, subdistrict_id=place["subdistrict_id"])
    if errors:
        raise ValidationError(errors)
    if address:
        place["address"] = address.strip()[:120]
    with transaction.atomic():
        point = Point.objects.create(kind=kind, code=code, name=name, **place)
        audit.record(actor=by, action=AuditAction.CREATE, obj=point)
    return point


def update_point(*, point: Point, by: User, kind: PointKind, code: str, name: str,
                 building: Building | None = None, community: Community | None = None, lat=None, lon=None,
                 address: str = "", active: bool = True) -> Point:
    """Edit a point: its kind, code, name, place (a building, or coordinates in a 居委) and whether it is in
    use. Its labels stay valid (they carry the point's id only); a point taken out of use refuses them.

    A shop's or a garbage room's point keeps its kind and place: they follow the shop or the room. A point
    that has been checked keeps its kind, so that its checks keep their checklist."""
    ensure_perm(by, Perm.MANAGE_INSPECTIONS)
    ensure_in_scope(point, user=by)
    place = _place(by=by, building=building, community=community, lat=lat, lon=lon)
    code, name = (code or "").strip(), (name or "").strip()
    errors = _point_errors(code=code, name=name, subdistrict_id=point.subdistrict_id, exclude=point.pk)
    owned = hasattr(point, "shop") or hasattr(point, "room")
    if kind.pk != point.kind_id:
        if owned:
            errors["kind"] = _("商铺和垃圾厢房的巡检点不能更改类型")
        elif point.checks.exists():
            errors["kind"] = _("该巡检点已有检查记录，不能更改类型；请停用它并登记新的巡检点")
    building_id = building.pk if building is not None else None
    moved = (building_id != point.building_id or place["community_id"] != point.community_id
             or (building is None and (place["lat"], place["lon"]) != (point.lat, point.lon)))
    if moved and owned:
        errors["place"] = _("商铺和垃圾厢房的巡检点随商铺或厢房的楼栋变化，请在商铺或厢房页面修改")
    if errors:
        raise ValidationError(errors)
    if address:
        place["address"] = address.strip()[:120]
    elif owned:
        place["address"] = point.address  # a shop's door number, not its building's
    values = {"kind_id": kind.pk, "code": code, "name": name, "active": bool(active), "building_id": building_id,
              **{f: place[f] for f in ("estate_id", "community_id", "grid_id", "lat", "lon", "address")}}
    changed = sorted(f for f, v in values.items() if getattr(point, f) != v)
    if not changed:
        return point
    with transaction.atomic():
        for field, value in values.items():
            setattr(point, field, value)
        point.save()
        audit.record(actor=by, action=AuditAction.UPDATE, obj=point, detail={"fields": changed})
    return point


def revoke_label(*, point: Point, by: User) -> Point:
    """作废标签: every label printed so far is refused from now on; a new sheet prints the new version."""
    ensure_perm(by, Perm.MANAGE_INSPECTIONS)
    ensure_in_scope(point, user=by)
    with transaction.atomic():
        Point.objects.filter(pk=point.pk).update(label_version=point.label_version + 1,
                                                 label_revoked_at=timezone.now())
        point.refresh_from_db()
        audit.record(actor=by, action=AuditAction.UPDATE, obj=point, field="label_version",
                     detail={"label_version": point.label_version})
    return point


# Roles that scan labels (扫码巡检): the people a round or a roster duty may name.
SCANNING_ROLES = sorted(role for role, perms in ROLE_PERMS.items() if Perm.DO_INSPECTIONS in perms)


def assignable_people(*, by: User) -> QuerySet[User]:
    """Who ``by`` may put on a round or a garbage room's roster: active accounts of ``by``'s subdistrict whose
    role scans labels and whose area meets ``by``'s (a subdistrict-wide 第三方督察 meets every 居委; a grid
    worker of another 居委 meets none of a 居委 head's points)."""
    scope = scope_of(by)
    people = User.objects.filter(is_active=True, role__in=SCANNING_ROLES)
    if scope.is_all:
        return people
    if scope.level in (ScopeLevel.NONE, ScopeLevel.DEPARTMENT) or scope.subdistrict_id is None:
        return people.none()
    people = people.filter(subdistrict_id=scope.subdistrict_id)
    if scope.level == ScopeLevel.SUBDISTRICT:
        return people
    meets = Q(scope_level=ScopeLevel.SUBDISTRICT)
    if scope.level == ScopeLevel.AREA:
        meets |= (Q(scope_level=ScopeLevel.AREA, area_id=scope.place_id)
                  | Q(scope_level=ScopeLevel.COMMUNITY, community__area_id=scope.place_id)
                  | Q(scope_level=ScopeLevel.GRID, grid__community__area_id=scope.place_id))
    else:
        if scope.level == ScopeLevel.COMMUNITY:
            community = Community.objects.get(pk=scope.place_id)
            grids = Q(scope_level=ScopeLevel.GRID, grid__community_id=community.pk)
        else:
            grid = Grid.objects.select_related("community").get(pk=scope.place_id)
            community = grid.community
            grids = Q(scope_level=ScopeLevel.GRID, grid_id=grid.pk)
        meets |= (Q(scope_level=ScopeLevel.AREA, area_id=community.area_id)
                  | Q(scope_level=ScopeLevel.COMMUNITY, community_id=community.pk) | grids)
    return people.filter(meets)


def _round_errors(*, by: User, name: str, frequency: str, tier: str, points, assignees, kept=()) -> dict:
    """What is wrong with a round's fields; ``kept``: assignees already on the round (not checked again)."""
    errors = {}
    if not (name or "").strip():
        errors["name"] = _("请填写计划名称")
    elif len(name.strip()) > 60:
        errors["name"] = _("计划名称最多 60 个字符")
    if frequency not in Frequency.values:
        errors["frequency"] = _("频次应为：%(v)s") % {"v": "、".join(Frequency.values)}
    if tier not in Tier.values:
        errors["tier"] = _("检查类别应为：%(v)s") % {"v": "、".join(Tier.values)}
    if not points:
        errors["points"] = _("请至少选择一个巡检点")
    kept_ids = {u.pk for u in kept}
    new = [u for u in assignees if u.pk not in kept_ids]
    allowed = set(assignable_people(by=by).filter(pk__in=[u.pk for u in new]).values_list("pk", flat=True))
    for user in new:
        if not has_perm(user, Perm.DO_INSPECTIONS):
            errors["assignees"] = _("%(name)s 的角色不能扫码巡检") % {"name": user.display_name}
        elif user.pk not in allowed:
            errors["assignees"] = _("%(name)s 不在您的负责范围内，不能安排巡检") % {"name": user.display_name}
    return errors


def create_round(*, by: User, name: str, points: list[Point], frequency: str = Frequency.WEEKLY,
                 tier: str = Tier.ROUTINE, assignees: list[User] = (), community: Community | None = None,
                 starts_on=None) -> Round:
    """巡检计划: which points, how often, by whom. Every point and assignee must lie in the actor's scope;
    an assignee must be able to scan (扫码巡检 permission)."""
    ensure_perm(by, Perm.MANAGE_INSPECTIONS)
    errors = _round_errors(by=by, name=name, frequency=frequency, tier=tier, points=points, assignees=assignees)
    if errors:
        raise ValidationError(errors)
    for point in points:
        ensure_in_scope(point, user=by)
    if community is not None:
        ensure_in_scope(community, user=by)
    with transaction.atomic():
        rnd = Round.objects.create(subdistrict_id=points[0].subdistrict_id, community=community,
                                   name=name.strip()[:60], frequency=frequency, tier=tier,
                                   starts_on=starts_on or timezone.localdate())
        rnd.points.set(points)
        rnd.assignees.set(assignees)
        audit.record(actor=by, action=AuditAction.CREATE, obj=rnd)
    return rnd


def update_round(*, rnd: Round, by: User, name: str, points: list[Point], frequency: str, tier: str,
                 assignees: list[User] = (), community: Community | None = None, starts_on=None,
                 active: bool = True) -> Round:
    """Edit a round, or take it out of use (``active=False``: no longer due, no longer on anyone's list).

    Points of the round outside the actor's scope (another office laid it out wider) stay on it: the actor
    neither sees nor removes them. Every point added must lie in the actor's scope; an assignee added must
    scan and work where the actor does; those already on the round may stay."""
    ensure_perm(by, Perm.MANAGE_INSPECTIONS)
    ensure_in_scope(rnd, user=by)
    hidden = [p for p in rnd.points.all() if not in_scope(p, user=by)]
    chosen = list(dict.fromkeys([*points, *hidden]))
    current = list(rnd.assignees.all())
    # The round keeps its points outside the actor's scope: with those it is not empty, even if none is in sight.
    errors = _round_errors(by=by, name=name, frequency=frequency, tier=tier, points=chosen, assignees=assignees,
                           kept=current)
    if errors:
        raise ValidationError(errors)
    for point in points:
        ensure_in_scope(point, user=by)
    if community is not None:
        ensure_in_scope(community, user=by)
    values = {"name": name.strip(), "frequency": frequency, "tier": tier,
              "community_id": community.pk if community else None,
              "starts_on": starts_on or rnd.starts_on, "active": bool(active)}
    changed = [f for f, v in values.items() if getattr(rnd, f) != v]
    if {p.pk for p in chosen} != {p.pk for p in rnd.points.all()}:
        changed.append("points")
    if {u.pk for u in assignees} != {u.pk for u in current}:
        changed.append("assignees")
    if not changed:
        return rnd
    with transaction.atomic():
        for field, value in values.items():
            setattr(rnd, field, value)
        rnd.save()
        rnd.points.set(chosen)
        rnd.assignees.set(assignees)
        audit.record(actor=by, action=AuditAction.UPDATE, obj=rnd, detail={"fields": sorted(changed)})
    return rnd
