"""垃圾分类: garbage rooms (垃圾厢房), editing them, and their 房长 / 桶长 / 监督员 roster."""

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jiedao.core import audit
from jiedao.core.access import ensure_in_scope, ensure_perm
from jiedao.core.models import AuditAction, User
from jiedao.core.roles import Perm, has_perm
from jiedao.core.validators import validate_mobile
from jiedao.geo.models import Building
from jiedao.inspections.models import DutyRole, GarbageCategory, GarbageRoom, Point, PointKind, RoomDuty
from jiedao.inspections.services.points import assignable_people, place_of_building

HOURS = re.compile(r"^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$")


def _clean_hours(hours: list[str]) -> list[str]:
    out = []
    for span in hours or []:
        span = str(span).replace(" ", "").replace("–", "-")
        if not HOURS.match(span) or span[:5] >= span[6:]:
            raise ValidationError({"hours": _("投放时间“%(s)s”格式应为 07:00-09:00") % {"s": span}})
        out.append(span)
    return out


def _clean_bins(bins: dict) -> dict:
    out = {}
    for category, count in (bins or {}).items():
        if category not in GarbageCategory.values:
            raise ValidationError({"bins": _("未知的垃圾类别：%(c)s（应为可回收物、有害垃圾、湿垃圾、干垃圾）")
                                   % {"c": category}})
        if not isinstance(count, int) or isinstance(count, bool) or not 0 <= count <= 50:
            raise ValidationError({"bins": _("桶数应为 0–50 的整数")})
        out[category] = count
    return out


def _room_fields(name: str, hours: list[str], bins: dict) -> tuple[str, list[str], dict]:
    """A room's name, hours and bins, cleaned; every field's error at once."""
    errors = {}
    name = (name or "").strip()
    if not name or len(name) > 60:
        errors["name"] = _("名称必填，最多 60 个字符")
    try:
        hours = _clean_hours(hours)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        bins = _clean_bins(bins)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    return name, hours, bins


def create_room(*, by: User, building: Building, name: str, hours: list[str], bins: dict) -> GarbageRoom:
    """登记垃圾厢房 beside a building, with its 定时定点 hours, its bins and its inspection point."""
    ensure_perm(by, Perm.MANAGE_INSPECTIONS)
    ensure_in_scope(building, user=by)
    name, hours, bins = _room_fields(name, hours, bins)
    with transaction.atomic():
        seq = GarbageRoom.objects.filter(subdistrict_id=building.subdistrict_id).count() + 1
        code = f"LJ{seq:05d}"
        while Point.objects.filter(subdistrict_id=building.subdistrict_id, code=code).exists():
            seq += 1
            code = f"LJ{seq:05d}"
        point = Point.objects.create(kind=PointKind.objects.get(code="garbage_room"), code=code, name=name,
                                     **place_of_building(building))
        room = GarbageRoom.objects.create(
            subdistrict_id=building.subdistrict_id, point=point, estate_id=building.estate_id,
            community_id=building.community_id, grid_id=building.grid_id, name=name, hours=hours, bins=bins)
        audit.record(actor=by, action=AuditAction.CREATE, obj=room)
    return room


def update_room(*, room: GarbageRoom, by: User, building: Building, name: str, hours: list[str], bins: dict,
                active: bool = True) -> GarbageRoom:
    """Edit a room: its building (小区 and 居委 follow), name, 定时定点 hours, bins, and whether it is in use
    (a room out of use refuses its label). Its inspection point follows its name, place and state."""
    ensure_perm(by, Perm.MANAGE_INSPECTIONS)
    ensure_in_scope(room, user=by)
    if building.pk != room.point.building_id:
        ensure_in_scope(building, user=by)
    name, hours, bins = _room_fields(name, hours, bins)
    values = {"name": name, "hours": hours, "bins": bins, "active": bool(active), "estate_id": building.estate_id,
              "community_id": building.community_id, "grid_id": building.grid_id}
    changed = sorted(f for f, v in values.items() if getattr(room, f) != v)
    if building.pk != room.point.building_id:
        changed.append("building")
    if not changed:
        return room
    with transaction.atomic():
        for field, value in values.items():
            setattr(room, field, value)
        room.save()
        point = room.point
        for field, value in {**place_of_building(building), "name": name, "active": room.active}.items():
            setattr(point, field, value)
        point.save()
        audit.record(actor=by, action=AuditAction.UPDATE, obj=room, detail={"fields": sorted(set(changed))})
    return room


def add_duty(*, by: User, room: GarbageRoom, role: str, name: str, phone: str = "", shift: str = "",
             user: User | None = None) -> RoomDuty:
    """Put a volunteer on a room's roster as 房长, 桶长 or 监督员 (with their account, when they scan: an
    account that scans and works where the actor does)."""
    ensure_perm(by, Perm.MANAGE_INSPECTIONS)
    ensure_in_scope(room, user=by)
    errors = {}
    if role not in DutyRole.values:
        errors["role"] = _("职责应为：房长、桶长或监督员")
    name = (name or "").strip()
    if not name or len(name) > 40:
        errors["name"] = _("姓名必填，最多 40 个字符")
    if phone:
        try:
            phone = validate_mobile(phone)
        except ValidationError as exc:
            errors["phone"] = exc.messages
    if shift:
        try:
            shift = _clean_hours([shift])[0]
        except ValidationError:
            errors["shift"] = _("值守时段格式应为 07:00-09:00")
    if user is not None and not has_perm(user, Perm.DO_INSPECTIONS):
        errors["user"] = _("该账号的角色不能扫码巡检")
    elif user is not None and not assignable_people(by=by).filter(pk=user.pk).exists():
        errors["user"] = _("该账号不在您的负责范围内")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        duty = RoomDuty.objects.create(room=room, role=role, name=name, phone=phone, shift=shift, user=user)
        audit.record(actor=by, action=AuditAction.CREATE, obj=duty, detail={"room": room.pk, "role": role})
    return duty


def remove_duty(*, by: User, duty: RoomDuty) -> None:
    """Take a volunteer off a room's roster. The audit record keeps the room and the duty, not the name."""
    ensure_perm(by, Perm.MANAGE_INSPECTIONS)
    room = duty.room
    ensure_in_scope(room, user=by)
    with transaction.atomic():
        audit.record(actor=by, action=AuditAction.DELETE, obj=duty, detail={"room": room.pk, "role": duty.role})
        duty.delete()
