"""门责任制: registering a street-front shop (with the inspection point its door label names)."""

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jiedao.core import audit
from jiedao.core.access import ensure_in_scope, ensure_perm
from jiedao.core.models import AuditAction, User
from jiedao.core.roles import Perm
from jiedao.core.validators import validate_mobile
from jiedao.geo.models import Building
from jiedao.inspections.models import Point, PointKind, Shop, ShopKind

LICENCE = re.compile(r"^[0-9A-Z]{15}$|^[0-9A-HJ-NP-RT-UW-Y]{2}\d{6}[0-9A-HJ-NP-RT-UW-Y]{10}$")


def register_shop(*, by: User, building: Building, name: str, licence_no: str, kind: str = ShopKind.RETAIL,
                  number: str = "", contact_name: str = "", contact_phone: str = "",
                  duties: list[str] | None = None) -> Shop:
    """登记沿街商铺 at a building's street front, with its door point (kind 沿街门店) and default duties.
    ``licence_no`` is the 18-character 统一社会信用代码 or a 15-digit registration number."""
    ensure_perm(by, Perm.MANAGE_INSPECTIONS)
    ensure_in_scope(building, user=by)
    errors = {}
    name = (name or "").strip()
    licence_no = (licence_no or "").strip().upper()
    if not name or len(name) > 60:
        errors["name"] = _("店名必填，最多 60 个字符")
    if not LICENCE.match(licence_no):
        errors["licence_no"] = _("营业执照号应为 18 位统一社会信用代码或 15 位注册号")
    elif Shop.objects.filter(subdistrict_id=building.subdistrict_id, licence_no=licence_no).exists():
        errors["licence_no"] = _("营业执照号 %(no)s 已登记") % {"no": licence_no}
    if kind not in ShopKind.values:
        errors["kind"] = _("业态应为：%(v)s") % {"v": "、".join(ShopKind.values)}
    if contact_phone:
        try:
            contact_phone = validate_mobile(contact_phone)
        except ValidationError as exc:
            errors["contact_phone"] = exc.messages
    if errors:
        raise ValidationError(errors)
    address = f"{building.road.name}{(number or building.number)}号"
    with transaction.atomic():
        seq = Shop.objects.filter(subdistrict_id=building.subdistrict_id).count() + 1
        code = f"SP{seq:05d}"
        while Point.objects.filter(subdistrict_id=building.subdistrict_id, code=code).exists():
            seq += 1
            code = f"SP{seq:05d}"
        point = Point.objects.create(
            subdistrict_id=building.subdistrict_id, kind=PointKind.objects.get(code="shopfront"), code=code,
            name=name, building=building, estate_id=building.estate_id, community_id=building.community_id,
            grid_id=building.grid_id, address=address, lat=building.lat, lon=building.lon)
        shop = Shop.objects.create(
            subdistrict_id=building.subdistrict_id, point=point, community_id=building.community_id,
            grid_id=building.grid_id, road_id=building.road_id, name=name, licence_no=licence_no,
            address=address, kind=kind, contact_name=(contact_name or "").strip()[:40], contact_phone=contact_phone,
            duties=duties if duties is not None else DEFAULT_DUTIES)
        audit.record(actor=by, action=AuditAction.CREATE, obj=shop)
    return shop


DEFAULT_DUTIES = ["门前市容整洁", "不占道经营", "不乱设广告店招", "垃圾分类投放", "油烟达标排放"]
