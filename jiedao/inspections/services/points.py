"""巡检点和巡检计划: registering points, revoking their labels, laying out rounds."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiedao.core import audit
from jiedao.core.access import ensure_in_scope, ensure_perm
from jiedao.core.models import AuditAction, User
from jiedao.core.roles import Perm, has_perm
from jiedao.geo.models import Building, Community
from jiedao.inspections.models import Frequency, Point, PointKind, Round, Tier


def _place(*, by: User, building: Building | None, community: Community | None, lat, lon) -> dict:
    """The point's place: from its building, or its coordinates within a 居委 (grid found by its outline)."""
    from jiedao.geo.placement import place_point, validate_lonlat

    if building is not None:
        ensure_in_scope(building, user=by)
        return {"building": building, "estate_id": building.estate_id, "community_id": building.community_id,
                "grid_id": building.grid_id, "lat": building.lat, "lon": building.lon,
                "address": building.address, "subdistrict_id": building.subdistrict_id}
    if community is None or lat is None or lon is None:
        raise ValidationError({"place": _("请选择楼栋，或填写居委会和经纬度")})
    ensure_in_scope(community, user=by)
    lon, lat = validate_lonlat(lon, lat)
    grid = place_point(lon=lon, lat=lat, subdistrict_id=community.subdistrict_id)
    found = grid.pk if grid is not None and grid.community_id == community.pk else None
    return {"building": None, "estate_id": None, "community_id": community.pk, "grid_id": found,
            "lat": lat, "lon": lon, "address": "", "subdistrict_id": community.subdistrict_id}


def create_point(*, by: User, kind: PointKind, code: str, name: str, building: Building | None = None,
                 community: Community | None = None, lat=None, lon=None, address: str = "") -> Point:
    """Register a point at a building or at coordinates in a 居委 of the actor's scope."""
    ensure_perm(by, Perm.MANAGE_INSPECTIONS)
    place = _place(by=by, building=building, community=community, lat=lat, lon=lon)
    code, name = (code or "").strip(), (name or "").strip()
    errors = {}
    if not code or len(code) > 24:
        errors["code"] = _("点位编码必填，最多 24 个字符")
    elif Point.objects.filter(subdistrict_id=place["subdistrict_id"], code=code).exists():
        errors["code"] = _("点位编码 %(code)s 已被使用") % {"code": code}
    if not name or len(name) > 60:
        errors["name"] = _("名称必填，最多 60 个字符")
    if errors:
        raise ValidationError(errors)
    if address:
        place["address"] = address.strip()[:120]
    with transaction.atomic():
        point = Point.objects.create(kind=kind, code=code, name=name, **place)
        audit.record(actor=by, action=AuditAction.CREATE, obj=point)
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


def create_round(*, by: User, name: str, points: list[Point], frequency: str = Frequency.WEEKLY,
                 tier: str = Tier.ROUTINE, assignees: list[User] = (), community: Community | None = None,
                 starts_on=None) -> Round:
    """巡检计划: which points, how often, by whom. Every point and assignee must lie in the actor's scope;
    an assignee must be able to scan (扫码巡检 permission)."""
    ensure_perm(by, Perm.MANAGE_INSPECTIONS)
    errors = {}
    if not (name or "").strip():
        errors["name"] = _("请填写计划名称")
    if frequency not in Frequency.values:
        errors["frequency"] = _("频次应为：%(v)s") % {"v": "、".join(Frequency.values)}
    if tier not in Tier.values:
        errors["tier"] = _("检查类别应为：%(v)s") % {"v": "、".join(Tier.values)}
    if not points:
        errors["points"] = _("请至少选择一个巡检点")
    for user in assignees:
        if not has_perm(user, Perm.DO_INSPECTIONS):
            errors["assignees"] = _("%(name)s 的角色不能扫码巡检") % {"name": user.display_name}
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
