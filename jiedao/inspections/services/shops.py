"""门责任制: registering and editing a street-front shop (with the inspection point its door label names)."""

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
from jiedao.inspections.services.points import place_of_building

LICENCE = re.compile(r"^[0-9A-Z]{15}$|^[0-9A-HJ-NP-RT-UW-Y]{2}\d{6}[0-9A-HJ-NP-RT-UW-Y]{10}$")
MAX_DUTIES, DUTY_LENGTH = 12, 30


def _shop_errors(*, subdistrict_id: int, name: str, licence_no: str, kind: str, contact_phone: str,
                 duties: list[str] | None, exclude: int | None = None) -> dict:
    """What is wrong with a shop's fields (``contact_phone`` as typed, already stripped)."""
    errors = {}
    if not name or len(name) > 60:
        errors["name"] = _("店名必填，最多 60 个字符")
    if not LICENCE.match(licence_no):
        errors["licence_no"] = _("营业执照号应为 18 位统一社会信用代码或 15 位注册号")
    elif Shop.objects.filter(subdistrict_id=subdistrict_id, licence_no=licence_no).exclude(pk=exclude).exists():
        errors["licence_no"] = _("营业执照号 %(no)s 已登记") % {"no": licence_no}
    if kind not in ShopKind.values:
        errors["kind"] = _("业态应为：%(v)s") % {"v": "、".join(ShopKind.values)}
    if contact_phone:
        try:
            validate_mobile(contact_phone)
        except ValidationError as exc:
            errors["contact_phone"] = exc.messages
    if duties is not None and (len(duties) > MAX_DUTIES or any(len(d) > DUTY_LENGTH for d in duties)):
        errors["duties"] = _("门责任务最多 %(n)s 条，每条最多 %(len)s 个字") % {"n": MAX_DUTIES, "len": DUTY_LENGTH}
    return errors


def _clean_duties(duties: list[str] | None) -> list[str] | None:
    return None if duties is None else [d for d in dict.fromkeys(str(d).strip() for d in duties) if d]


def _address(building: Building, number: str) -> str:
    """The shop's address: its own street door number (沿街门牌) on the building's road when given, else the
    building's door-plate address (with its 弄: a shop in 兰溪路200弄5号 is not at 兰溪路5号)."""
    number = (number or "").strip()
    return f"{building.road.name}{number}号" if number else building.address


def door_number(shop: Shop) -> str:
    """The shop's own street door number (沿街门牌), as its edit form and the API fill it in: "" when the shop
    is at its building's door-plate address (``_address``)."""
    road, building = shop.road.name, shop.point.building
    own = building is None or shop.address != building.address
    return shop.address.removeprefix(road).removesuffix("号") if own and shop.address.startswith(road) else ""


def register_shop(*, by: User, building: Building, name: str, licence_no: str, kind: str = ShopKind.RETAIL,
                  number: str = "", contact_name: str = "", contact_phone: str = "",
                  duties: list[str] | None = None) -> Shop:
    """登记沿街商铺 at a building's street front, with its door point (kind 沿街门店) and default duties.
    ``licence_no`` is the 18-character 统一社会信用代码 or a 15-digit registration number."""
    ensure_perm(by, Perm.MANAGE_INSPECTIONS)
    ensure_in_scope(building, user=by)
    name = (name or "").strip()
    licence_no = (licence_no or "").strip().upper()
    contact_phone = (contact_phone or "").strip()
    duties = _clean_duties(duties)
    errors = _shop_errors(subdistrict_id=building.subdistrict_id, name=name, licence_no=licence_no, kind=kind,
                          contact_phone=contact_phone, duties=duties)
    if errors:
        raise ValidationError(errors)
    if contact_phone:
        contact_phone = validate_mobile(contact_phone)
    address = _address(building, number)
    with transaction.atomic():
        seq = Shop.objects.filter(subdistrict_id=building.subdistrict_id).count() + 1
        code = f"SP{seq:05d}"
        while Point.objects.filter(subdistrict_id=building.subdistrict_id, code=code).exists():
            seq += 1
            code = f"SP{seq:05d}"
        point = Point.objects.create(kind=PointKind.objects.get(code="shopfront"), code=code, name=name,
                                     **{**place_of_building(building), "address": address})
        shop = Shop.objects.create(
            subdistrict_id=building.subdistrict_id, point=point, community_id=building.community_id,
            grid_id=building.grid_id, road_id=building.road_id, name=name, licence_no=licence_no,
            address=address, kind=kind, contact_name=(contact_name or "").strip()[:40], contact_phone=contact_phone,
            duties=duties if duties is not None else DEFAULT_DUTIES)
        audit.record(actor=by, action=AuditAction.CREATE, obj=shop)
    return shop


def update_shop(*, shop: Shop, by: User, building: Building, name: str, licence_no: str, kind: str,
                number: str = "", contact_name: str | None = None, contact_phone: str | None = None,
                duties: list[str] | None = None, active: bool = True) -> Shop:
    """Edit a shop: its name, licence number, kind, building and door number (its address), duties, and
    whether it still trades (在营; a closed shop's door label is refused). Its door point follows its name,
    place and state.

    ``contact_name`` / ``contact_phone``: ``None`` keeps the stored value (the form never shows it in clear),
    ``""`` removes it. The audit record names the fields changed, never their values."""
    ensure_perm(by, Perm.MANAGE_INSPECTIONS)
    ensure_in_scope(shop, user=by)
    if building.pk != shop.point.building_id:
        ensure_in_scope(building, user=by)
    name = (name or "").strip()
    licence_no = (licence_no or "").strip().upper()
    contact_phone = None if contact_phone is None else contact_phone.strip()
    duties = _clean_duties(duties)
    errors = _shop_errors(subdistrict_id=shop.subdistrict_id, name=name, licence_no=licence_no, kind=kind,
                          contact_phone=contact_phone or "", duties=duties, exclude=shop.pk)
    if errors:
        raise ValidationError(errors)
    values = {"name": name, "licence_no": licence_no, "kind": kind, "address": _address(building, number),
              "road_id": building.road_id, "community_id": building.community_id, "grid_id": building.grid_id,
              "active": bool(active)}
    if duties is not None:
        values["duties"] = duties
    if contact_name is not None:
        values["contact_name"] = contact_name.strip()[:40]
    if contact_phone is not None:
        values["contact_phone"] = validate_mobile(contact_phone) if contact_phone else ""
    changed = sorted(f for f, v in values.items() if getattr(shop, f) != v)
    if not changed:
        return shop
    with transaction.atomic():
        for field, value in values.items():
            setattr(shop, field, value)
        shop.save()
        point = shop.point
        for field, value in {**place_of_building(building), "address": shop.address, "name": name,
                             "active": shop.active}.items():
            setattr(point, field, value)
        point.save()
        audit.record(actor=by, action=AuditAction.UPDATE, obj=shop, detail={"fields": changed})
    return shop


DEFAULT_DUTIES = ["门前市容整洁", "不占道经营", "不乱设广告店招", "垃圾分类投放", "油烟达标排放"]
