"""Writes of the facility register (设施登记): add and change facilities, each checked and audited, and the
stored distances brought up to date for the type changed."""

import datetime as dt

import shapely
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from shapely.ops import nearest_points

from jiedao.core import audit
from jiedao.core.access import ensure_perm
from jiedao.core.models import AuditAction, Subdistrict, User
from jiedao.core.roles import Perm
from jiedao.facilities.models import Facility, FacilityType
from jiedao.facilities.network.graph import haversine_m
from jiedao.facilities.services.access import refresh_access
from jiedao.geo.models import Grid
from jiedao.geo.placement import grid_index, validate_lonlat

# A facility just across the boundary still serves the subdistrict's residents; farther is a mistake.
OUTSIDE_LIMIT_M = 1000

EDITABLE = ("type", "name", "address", "lon", "lat", "capacity", "opening_hours", "operator", "status", "opened_on",
            "closed_on", "note")


def can_manage(user: User | None) -> None:
    if user is not None:
        ensure_perm(user, Perm.MANAGE_FACILITIES, message=_("您的角色无权维护服务设施"))


def _distance_outside(subdistrict: Subdistrict, lon: float, lat: float) -> float:
    """Metres from the point to the subdistrict's outline (0 inside, or when it has no outline)."""
    if not subdistrict.boundary:
        return 0.0
    shape = shapely.geometry.shape(subdistrict.boundary)
    point = shapely.Point(lon, lat)
    if shape.covers(point):
        return 0.0
    nearest = nearest_points(shape, point)[0]
    return float(haversine_m(lon, lat, nearest.x, nearest.y))


def check_position(*, lon, lat, subdistrict: Subdistrict) -> tuple[float, float, float]:
    """Validate a facility's coordinates for ``subdistrict``: (lon, lat, metres outside its outline).

    Swapped coordinates (纬度 in the 经度 column) and points far outside the subdistrict are refused with a
    message saying so; a point within ``OUTSIDE_LIMIT_M`` of the outline is accepted and reported outside.
    """
    try:
        lon_f, lat_f = float(lon), float(lat)
    except (TypeError, ValueError):
        lon_f = lat_f = None
    if lon_f is not None and abs(lat_f) > 90 >= abs(lon_f) and _distance_outside(subdistrict, lat_f, lon_f) == 0:
        raise ValidationError(_("经纬度填反了：经度应约为 %(lon)s，纬度应约为 %(lat)s") % {
            "lon": f"{subdistrict.center_lon:.3f}", "lat": f"{subdistrict.center_lat:.3f}"}, code="swapped")
    lon_f, lat_f = validate_lonlat(lon, lat)
    if _distance_outside(subdistrict, lat_f, lon_f) == 0 and _distance_outside(subdistrict, lon_f, lat_f) > 0:
        raise ValidationError(_("经纬度填反了：经度应约为 %(lon)s，纬度应约为 %(lat)s") % {
            "lon": f"{subdistrict.center_lon:.3f}", "lat": f"{subdistrict.center_lat:.3f}"}, code="swapped")
    outside = _distance_outside(subdistrict, lon_f, lat_f)
    if outside > OUTSIDE_LIMIT_M:
        raise ValidationError(
            _("位置在%(name)s范围外 %(km)s 公里，请核对坐标（WGS84 经纬度）") % {
                "name": subdistrict.name, "km": f"{outside / 1000:.1f}"}, code="outside")
    return lon_f, lat_f, outside


def _clean(facility: Facility, subdistrict: Subdistrict) -> None:
    errors: dict[str, str] = {}
    facility.name = (facility.name or "").strip()
    if not facility.name or len(facility.name) > 100:
        errors["name"] = _("名称不能为空，最多 100 个字")
    try:
        facility.lon, facility.lat, _outside = check_position(
            lon=facility.lon, lat=facility.lat, subdistrict=subdistrict)
    except ValidationError as exc:
        errors["lon"] = exc.messages[0]
    if facility.status not in Facility.Status.values:
        errors["status"] = _("状态只能是规划中、运营中或已关闭")
    if facility.capacity is not None and facility.capacity < 0:
        errors["capacity"] = _("容量不能为负数")
    if facility.opened_on and facility.closed_on and facility.closed_on < facility.opened_on:
        errors["closed_on"] = _("关闭日期不能早于启用日期")
    if facility.status == Facility.Status.PLANNED and facility.closed_on:
        errors["closed_on"] = _("规划中的设施没有关闭日期")
    if facility.status == Facility.Status.OPEN and facility.closed_on:
        errors["closed_on"] = _("运营中的设施没有关闭日期；已关闭请把状态改为“已关闭”")
    if "name" not in errors and Facility.objects.filter(
        subdistrict=subdistrict, type_id=facility.type_id, name=facility.name,
    ).exclude(pk=facility.pk).exists():
        errors["name"] = _("本街道已有同名的%(type)s：%(name)s") % {"type": facility.type.label, "name": facility.name}
    if errors:
        raise ValidationError(errors)
    grid = grid_index(subdistrict.pk).place_one(facility.lon, facility.lat)
    facility.community_id = (Grid.objects.filter(pk=grid).values_list("community_id", flat=True).first()
                             if grid else None)


def _changed_types(*types: FacilityType | None) -> list[int]:
    return sorted({t.pk for t in types if t is not None})


@audit.records_refusals
def create_facility(*, subdistrict: Subdistrict, by: User | None, type: FacilityType, name: str, lon, lat,
                    address: str = "", capacity: int | None = None, opening_hours: str = "", operator: str = "",
                    status: str = Facility.Status.OPEN, opened_on: dt.date | None = None,
                    closed_on: dt.date | None = None, note: str = "") -> Facility:
    """登记设施. ``by`` None: the command line, acting for the subdistrict."""
    can_manage(by)
    facility = Facility(subdistrict=subdistrict, type=type, name=name, address=(address or "").strip(), lon=lon,
                        lat=lat, capacity=capacity, opening_hours=opening_hours.strip(), operator=operator.strip(),
                        status=status, opened_on=opened_on, closed_on=closed_on, note=note.strip())
    with transaction.atomic():
        _clean(facility, subdistrict)
        try:
            with transaction.atomic():
                facility.save()
        except IntegrityError as exc:  # the same name saved by someone else a moment ago
            raise ValidationError({"name": _("本街道已有同名的%(type)s：%(name)s") % {
                "type": type.label, "name": facility.name}}) from exc
        audit.record(actor=by or "jiedao", action=AuditAction.CREATE, obj=facility)
        _after_change(subdistrict.pk, _changed_types(type))
    return facility


@audit.records_refusals
def update_facility(*, facility: Facility, by: User | None, **changes) -> Facility:
    """修改设施: any of ``EDITABLE``; closing one is setting its status to 已关闭 (with the day, if known)."""
    can_manage(by)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    old_type = facility.type
    before = {k: getattr(facility, k) for k in changes}
    for key, value in changes.items():
        setattr(facility, key, value.strip() if isinstance(value, str) else value)
    with transaction.atomic():
        _clean(facility, facility.subdistrict)
        facility.save()
        changed = {k: str(getattr(facility, k)) for k in changes if getattr(facility, k) != before[k]}
        audit.record(actor=by or "jiedao", action=AuditAction.UPDATE, obj=facility, detail={"fields": sorted(changed)})
        _after_change(facility.subdistrict_id, _changed_types(old_type, facility.type))
    return facility


def _after_change(subdistrict_id: int, type_ids: list[int]) -> None:
    """The stored distances of the changed types, in the same transaction: they never disagree with the
    register."""
    refresh_access(subdistrict_id=subdistrict_id, type_ids=type_ids)
