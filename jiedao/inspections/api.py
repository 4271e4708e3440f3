"""二维码巡检, 门责任制 and 垃圾分类 endpoints under /api/v1/inspections/: kinds and their checklists, points
(and their labels), rounds, scanning (the form a label opens, the check it saves), checks, missed rounds
and coverage, shops and their 五星 with the ranking by street, the public shop page, garbage rooms and their
rosters, and the 小区 / 居委 五星. Points, rounds, shops and rooms are edited with PATCH (only the fields
sent change), with the desk forms' rules. See docs/inspections.md."""

import base64
import binascii
import datetime as dt

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from jiedao.core.access import ensure_perm, get_in_scope
from jiedao.core.crypto import mask_phone
from jiedao.core.models import User
from jiedao.core.roles import Perm, ScopeLevel
from jiedao.core.scope import scope_of
from jiedao.geo.models import Building, Community, Estate
from jiedao.inspections import selectors, services, stars
from jiedao.inspections.forms import OWN_PAGES
from jiedao.inspections.models import Check, GarbageRoom, Point, PointKind
from jiedao.inspections.services import garbage as garbage_services
from jiedao.inspections.services import points as point_services
from jiedao.inspections.services import shops as shop_services
from jiedao.inspections.services.labels import LabelRefused

router = Router(tags=["inspections"])


# ---------------------------------------------------------------------------------------------- schemas

class ItemOut(Schema):
    code: str
    name: str
    category_code: str


class KindOut(Schema):
    code: str
    name: str
    instruction: str
    far_metres: int
    items: list[ItemOut]


class PointOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    community: str
    grid: str | None
    address: str
    lat: float
    lon: float
    label_version: int
    active: bool


def _point(p: Point) -> dict:
    return {"id": p.pk, "code": p.code, "name": p.name, "kind": p.kind.code, "community": p.community.name,
            "grid": p.grid.name if p.grid_id else None, "address": p.address, "lat": p.lat, "lon": p.lon,
            "label_version": p.label_version, "active": p.active}


class PointIn(Schema):
    kind: str
    code: str
    name: str
    building_id: int | None = None
    community_id: int | None = None
    lat: float | None = None
    lon: float | None = None
    address: str = ""


class PointPatch(Schema):
    """Only the fields sent change (null: unchanged). ``building_id: null``, or any of ``community_id``,
    ``lat``, ``lon`` sent without a building, puts the point at coordinates in a 居委."""

    kind: str | None = None
    code: str | None = None
    name: str | None = None
    building_id: int | None = None
    community_id: int | None = None
    lat: float | None = None
    lon: float | None = None
    address: str | None = None  # "": the building's address
    active: bool | None = None


def _sent(body: Schema, *, nullable: tuple[str, ...] = ()) -> dict:
    """The fields a PATCH changes: those sent, except a null where the field cannot be empty (unchanged)."""
    return {f: getattr(body, f) for f in body.model_fields_set if getattr(body, f) is not None or f in nullable}


class LabelOut(Schema):
    point: int
    token: str
    url: str


class RoundOut(Schema):
    id: int
    name: str
    tier: str
    frequency: str
    community: str | None
    points: list[int]
    assignees: list[str]
    active: bool


def _round(r) -> dict:
    return {"id": r.pk, "name": r.name, "tier": r.tier, "frequency": r.frequency,
            "community": r.community.name if r.community_id else None,
            "points": [p.pk for p in r.points.all()], "assignees": [u.username for u in r.assignees.all()],
            "active": r.active}


class RoundIn(Schema):
    name: str
    points: list[int]
    frequency: str = "weekly"
    tier: str = "routine"
    assignees: list[str] = []
    community_id: int | None = None
    starts_on: dt.date | None = None


class RoundPatch(Schema):
    """Only the fields sent change (null: unchanged, but ``community_id: null`` makes a subdistrict-wide
    round). ``points`` replaces the points of the round in the editor's scope; the others stay on it."""

    name: str | None = None
    points: list[int] | None = None
    frequency: str | None = None
    tier: str | None = None
    assignees: list[str] | None = None  # usernames; []: anyone in scope who scans
    community_id: int | None = None
    starts_on: dt.date | None = None
    active: bool | None = None


class ScanOut(Schema):
    point: PointOut
    round: RoundOut
    rounds: list[RoundOut]
    items: list[ItemOut]
    done_this_period: int | None


class ResultIn(Schema):
    item: str
    passed: bool
    note: str = ""
    photo: str | None = None  # base64 of a JPEG, PNG or WebP picture


class CheckIn(Schema):
    token: str
    client_id: str
    round: int | None = None
    lat: float | None = None
    lon: float | None = None
    at: dt.datetime | None = None
    results: list[ResultIn]


class ResultOut(Schema):
    item: str
    name: str
    passed: bool
    note: str
    case: str | None
    case_created: bool


class CheckOut(Schema):
    id: int
    point: str
    round: int
    tier: str
    by: str
    at: dt.datetime
    lat: float | None
    lon: float | None
    distance_m: int | None
    far: bool
    failed: int
    created: bool = True
    results: list[ResultOut] = []


def _check(c: Check, *, created: bool = True, results: bool = True) -> dict:
    out = {"id": c.pk, "point": c.point.code, "round": c.round_id, "tier": c.tier, "by": c.by.username,
           "at": c.at, "lat": c.lat, "lon": c.lon, "distance_m": c.distance_m, "far": c.far, "failed": c.failed,
           "created": created}
    if results:
        out["results"] = [{"item": r.item.code, "name": r.item.name, "passed": r.passed, "note": r.note,
                           "case": r.case.number if r.case_id else None, "case_created": r.case_created}
                          for r in c.results.select_related("item", "case").order_by("item__order")]
    return out


class LostOut(Schema):
    code: str
    name: str
    count: int
    stars: int
    explanation: str
    evidence: list[dict]


class RatingOut(Schema):
    id: int
    name: str
    stars: int
    group: str
    lost: list[LostOut]


class CoverageOut(Schema):
    key: str
    label: str
    expected: int
    done: int
    rate: float | None


class MissedOut(Schema):
    round: int
    round_name: str
    point: str
    start: dt.date
    end: dt.date


class ShopOut(Schema):
    id: int
    name: str
    licence_no: str
    address: str
    kind: str
    street: str
    community: str
    contact_phone: str  # masked
    duties: list[str]
    point: int
    active: bool


def _shop(s) -> dict:
    return {"id": s.pk, "name": s.name, "licence_no": s.licence_no, "address": s.address, "kind": s.kind,
            "street": s.road.name, "community": s.community.name, "contact_phone": mask_phone(s.contact_phone),
            "duties": s.duties, "point": s.point_id, "active": s.active}


class ShopIn(Schema):
    building_id: int
    name: str
    licence_no: str
    kind: str = "retail"
    number: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    duties: list[str] | None = None


class ShopPatch(Schema):
    """Only the fields sent change (null: unchanged). The contact is never shown in clear: a value replaces it,
    ``clear_contact`` removes both name and phone (the form's 删除联系人和联系电话)."""

    building_id: int | None = None
    name: str | None = None
    licence_no: str | None = None
    kind: str | None = None
    number: str | None = None  # the street door number (沿街门牌); "": the building's address
    contact_name: str | None = None
    contact_phone: str | None = None
    clear_contact: bool = False
    duties: list[str] | None = None
    active: bool | None = None  # 在营


class PublicShopOut(Schema):
    name: str
    kind: str
    address: str
    duties: list[str]
    month: str
    stars: int
    lost: list[str]
    history: list[dict]


class RoomOut(Schema):
    id: int
    name: str
    estate: str
    community: str
    hours: list[str]
    bins: dict
    point: int
    active: bool
    roster: list[dict]


def _room(r: GarbageRoom) -> dict:
    from jiedao.inspections.views.garbage import mask_name

    return {"id": r.pk, "name": r.name, "estate": r.estate.name, "community": r.community.name, "hours": r.hours,
            "bins": r.bins, "point": r.point_id, "active": r.active,
            "roster": [{"id": d.pk, "role": d.role, "name": mask_name(d.name), "phone": mask_phone(d.phone),
                        "shift": d.shift, "user": d.user.username if d.user_id else None} for d in r.duties.all()]}


class RoomIn(Schema):
    building_id: int
    name: str
    hours: list[str] = []
    bins: dict = {}


class RoomPatch(Schema):
    """Only the fields sent change (null: unchanged); ``bins`` replaces all four counts."""

    building_id: int | None = None
    name: str | None = None
    hours: list[str] | None = None
    bins: dict | None = None
    active: bool | None = None


class DutyIn(Schema):
    role: str
    name: str
    phone: str = ""
    shift: str = ""
    username: str | None = None


class GarbageStarsOut(Schema):
    month: str
    estates: list[RatingOut]
    communities: list[RatingOut]


# ---------------------------------------------------------------------------------------- points, rounds

@router.get("/kinds", response=list[KindOut], summary="巡检点类型及检查清单")
def kinds(request):
    if not _views(request):
        ensure_perm(request.user, Perm.DO_INSPECTIONS)
    return [{"code": k.code, "name": k.name, "instruction": k.instruction, "far_metres": k.far_metres,
             "items": [i for i in k.items.all() if i.active]} for k in selectors.kinds()]


def _views(request) -> bool:
    from jiedao.core.roles import has_perm

    return has_perm(request.user, Perm.VIEW_INSPECTIONS)


@router.get("/points", response=list[PointOut], summary="巡检点（?kind=类型&community=居委id&q=）")
@paginate(LimitOffsetPagination)
def points(request, kind: str = "", community: int | None = None, q: str = ""):
    qs = selectors.point_list(user=request.user, kind=kind, community_id=community, q=q)
    return [_point(p) for p in qs]


@router.post("/points", response={201: PointOut}, summary="登记巡检点（楼栋或居委+经纬度）")
def create_point(request, body: PointIn):
    ensure_perm(request.user, Perm.MANAGE_INSPECTIONS)
    kind = PointKind.objects.filter(code=body.kind).first()
    if kind is None:
        raise ValidationError({"kind": _("未知的巡检点类型：%(k)s") % {"k": body.kind}})
    building = get_in_scope(Building.objects.all(), user=request.user, pk=body.building_id) \
        if body.building_id else None
    community = get_in_scope(Community.objects.all(), user=request.user, pk=body.community_id) \
        if body.community_id else None
    point = services.create_point(by=request.user, kind=kind, code=body.code, name=body.name, building=building,
                                  community=community, lat=body.lat, lon=body.lon, address=body.address)
    return 201, _point(point)


@router.get("/points/{point_id}", response=PointOut, summary="一个巡检点")
def point(request, point_id: int):
    return _point(selectors.get_point(user=request.user, point_id=point_id))


@router.get("/points/{point_id}/label", response=LabelOut, summary="巡检点标签的令牌和扫码地址")
def label(request, point_id: int):
    ensure_perm(request.user, Perm.MANAGE_INSPECTIONS)
    p = selectors.get_point(user=request.user, point_id=point_id)
    token = services.label_token(p)
    return {"point": p.pk, "token": token,
            "url": request.build_absolute_uri(reverse("inspections:scan", args=[token]))}


@router.post("/points/{point_id}/revoke-label", response=PointOut, summary="作废巡检点的全部旧标签")
def revoke_label(request, point_id: int):
    p = selectors.get_point(user=request.user, point_id=point_id)
    return _point(services.revoke_label(point=p, by=request.user))


@router.patch("/points/{point_id}", response=PointOut,
              summary="修改巡检点（只改所传字段；已有检查的点位不能改类型；商铺和厢房的点位随商铺和厢房修改）")
def edit_point(request, point_id: int, body: PointPatch):
    ensure_perm(request.user, Perm.MANAGE_INSPECTIONS)
    p = selectors.get_point(user=request.user, point_id=point_id)
    # A shop's or a room's point follows its shop or room (name, place, 在营 / 启用), as the page sends the
    # editor to their form.
    if hasattr(p, "shop"):
        raise ValidationError(_("这是商铺的门口巡检点，请修改商铺：PATCH shops/%(id)s") % {"id": p.shop.pk})
    if hasattr(p, "room"):
        raise ValidationError(_("这是垃圾厢房的巡检点，请修改厢房：PATCH rooms/%(id)s") % {"id": p.room.pk})
    sent = _sent(body, nullable=("building_id", "community_id", "lat", "lon"))
    kind = p.kind
    if sent.get("kind", kind.code) != kind.code:
        kind = PointKind.objects.filter(code=sent["kind"]).first()
        if kind is None:
            raise ValidationError({"kind": _("未知的巡检点类型：%(k)s") % {"k": sent["kind"]}})
        if kind.code in OWN_PAGES:
            raise ValidationError({"kind": _("沿街门店和垃圾厢房的巡检点随商铺和厢房登记，不能改成这两种类型")})
    building = p.building
    if "building_id" in sent:
        building = get_in_scope(Building.objects.all(), user=request.user, pk=sent["building_id"]) \
            if sent["building_id"] else None
    elif sent.keys() & {"community_id", "lat", "lon"}:
        building = None  # a place at coordinates was sent
    community = p.community
    if "community_id" in sent:
        community = get_in_scope(Community.objects.all(), user=request.user, pk=sent["community_id"]) \
            if sent["community_id"] else None
    # A point at a building shows the building's address unless it was given a location note of its own.
    address = "" if p.building_id and p.address == p.building.address else p.address
    point = point_services.update_point(
        point=p, by=request.user, kind=kind, code=sent.get("code", p.code), name=sent.get("name", p.name),
        building=building, community=community, lat=sent.get("lat", p.lat), lon=sent.get("lon", p.lon),
        address=sent.get("address", address), active=sent.get("active", p.active))
    return _point(point)


@router.get("/rounds", response=list[RoundOut], summary="巡检计划（巡检员：自己的）")
def rounds(request):
    return [_round(r) for r in selectors.round_list(user=request.user).select_related("community")]


@router.post("/rounds", response={201: RoundOut}, summary="布置巡检计划：哪些点位、多久一次、由谁巡检")
def create_round(request, body: RoundIn):
    ensure_perm(request.user, Perm.MANAGE_INSPECTIONS)
    chosen = [get_in_scope(Point.objects.all(), user=request.user, pk=pk) for pk in dict.fromkeys(body.points)]
    people = _people(request, body.assignees)
    community = get_in_scope(Community.objects.all(), user=request.user, pk=body.community_id) \
        if body.community_id else None
    _ensure_community_for_a_community_user(request.user, community)
    rnd = services.create_round(by=request.user, name=body.name, points=chosen, frequency=body.frequency,
                                tier=body.tier, assignees=people, community=community, starts_on=body.starts_on)
    return 201, _round(rnd)


def _ensure_community_for_a_community_user(user, community) -> None:
    """As the form: a subdistrict-wide round is out of a 居委's sight once saved, so a 居委 lays out its own."""
    if community is None and scope_of(user).level not in (ScopeLevel.ALL, ScopeLevel.SUBDISTRICT):
        raise ValidationError({"community_id": _("请选择所属居委会：全街道的巡检计划由城运中心布置")})


def _people(request, usernames: list[str]) -> list[User]:
    """The accounts named, of the user's subdistrict (the service judges whether each may be assigned)."""
    people = list(User.objects.filter(username__in=usernames, subdistrict_id=request.user.subdistrict_id))
    unknown = set(usernames) - {u.username for u in people}
    if unknown:
        raise ValidationError({"assignees": _("未知的账号：%(u)s") % {"u": "、".join(sorted(unknown))}})
    return people


@router.patch("/rounds/{round_id}", response=RoundOut,
              summary="修改或停用巡检计划（只改所传字段；范围外的点位保留在计划上）")
def edit_round(request, round_id: int, body: RoundPatch):
    ensure_perm(request.user, Perm.MANAGE_INSPECTIONS)
    rnd = selectors.get_round(user=request.user, round_id=round_id)
    sent = _sent(body, nullable=("community_id",))
    scope = scope_of(request.user)
    visible = {p.pk: p for p in Point.objects.within(scope).filter(rounds=rnd)}
    points = list(visible.values())
    if "points" in sent:
        # A point of the round outside the editor's scope stays on it, sent or not (the service keeps it).
        on_round = set(rnd.points.values_list("pk", flat=True))
        points = [visible[pk] if pk in visible else get_in_scope(Point.objects.all(), user=request.user, pk=pk)
                  for pk in dict.fromkeys(sent["points"]) if pk in visible or pk not in on_round]
    community = rnd.community
    if "community_id" in sent:
        community = get_in_scope(Community.objects.all(), user=request.user, pk=sent["community_id"]) \
            if sent["community_id"] else None
    _ensure_community_for_a_community_user(request.user, community)
    rnd = point_services.update_round(
        rnd=rnd, by=request.user, name=sent.get("name", rnd.name), points=points,
        frequency=sent.get("frequency", rnd.frequency), tier=sent.get("tier", rnd.tier),
        assignees=_people(request, sent["assignees"]) if "assignees" in sent else list(rnd.assignees.all()),
        community=community, starts_on=sent.get("starts_on", rnd.starts_on), active=sent.get("active", rnd.active))
    return _round(rnd)


# -------------------------------------------------------------------------------------------- scanning

@router.get("/scan/{token}", response=ScanOut, summary="扫码：标签打开的巡检表（点位、计划、检查清单）")
def scan(request, token: str, round: int | None = None):
    form = services.open_scan(by=request.user, token=token, round_id=round)
    return {"point": _point(form.point), "round": _round(form.round), "rounds": [_round(r) for r in form.rounds],
            "items": form.items, "done_this_period": form.done.pk if form.done else None}


@router.post("/checks", response={200: CheckOut, 201: CheckOut},
             summary="提交扫码检查（client_id 幂等：同一表单再次提交不改变任何数据，答 200）")
def submit_check(request, body: CheckIn):
    rows = [{"item": r.item, "passed": r.passed, "note": r.note, "photo": _photo(r.photo, r.item)}
            for r in body.results]
    out = services.submit_check(by=request.user, token=body.token, client_id=body.client_id, results=rows,
                                round_id=body.round, lat=body.lat, lon=body.lon, at=body.at)
    return (201 if out.created else 200), _check(out.check, created=out.created)


def _photo(value: str | None, item: str):
    if not value:
        return None
    try:
        content = base64.b64decode(value.split(",", 1)[-1], validate=True)
    except (binascii.Error, ValueError):
        raise ValidationError({"photos": _("检查项“%(i)s”的照片不是有效的 base64") % {"i": item}}) from None
    return SimpleUploadedFile(f"{item}.img", content)


@router.get("/checks", response=list[CheckOut], summary="扫码检查（?point=&failed=&far=）")
@paginate(LimitOffsetPagination)
def checks(request, point: int | None = None, failed: bool | None = None, far: bool | None = None):
    return [_check(c, results=False) for c in selectors.check_list(user=request.user, point_id=point,
                                                                   failed=failed, far=far)]


@router.get("/checks/{check_id}", response=CheckOut, summary="一次检查及其检查项结果和案件")
def check(request, check_id: int):
    return _check(selectors.get_check(user=request.user, check_id=check_id))


@router.get("/coverage", response=list[CoverageOut], summary="覆盖率（?start=&end=&by=grid|point|person）")
def coverage(request, start: dt.date, end: dt.date, by: str = "grid"):
    _window(start, end)
    if by not in ("grid", "point", "person"):
        raise ValidationError({"by": _("by 应为 grid、point 或 person")})
    return [{**c.__dict__, "rate": c.rate} for c in selectors.coverage(user=request.user, start=start, end=end,
                                                                       by=by)]


@router.get("/missed", response=list[MissedOut], summary="漏检：已结束的周期里没有检查的点位")
def missed(request, start: dt.date, end: dt.date):
    _window(start, end)
    return [{"round": m.round.pk, "round_name": m.round.name, "point": m.point.code, "start": m.start,
             "end": m.end} for m in selectors.missed_rounds(user=request.user, start=start, end=end)]


def _window(start: dt.date, end: dt.date) -> None:
    if end < start or (end - start).days > 400:
        raise ValidationError({"end": _("结束日期应不早于开始日期，且区间不超过 400 天")})


# --------------------------------------------------------------------------------------------- shops

@router.get("/shops", response=list[ShopOut], summary="沿街商铺（门责任制）")
@paginate(LimitOffsetPagination)
def shops(request, road: int | None = None):
    return [_shop(s) for s in selectors.shop_list(user=request.user, road_id=road)]


@router.post("/shops", response={201: ShopOut}, summary="登记沿街商铺（同时生成门口巡检点）")
def register_shop(request, body: ShopIn):
    ensure_perm(request.user, Perm.MANAGE_INSPECTIONS)
    building = get_in_scope(Building.objects.select_related("road"), user=request.user, pk=body.building_id)
    shop = services.register_shop(by=request.user, building=building, name=body.name, licence_no=body.licence_no,
                                  kind=body.kind, number=body.number, contact_name=body.contact_name,
                                  contact_phone=body.contact_phone, duties=body.duties)
    return 201, _shop(shop)


# int: so that shops/stars and shops/ranking (GET) are not taken for a shop's id.
@router.patch("/shops/{int:shop_id}", response=ShopOut,
              summary="修改沿街商铺（只改所传字段；联系人不回显，clear_contact 删除联系人和联系电话）")
def edit_shop(request, shop_id: int, body: ShopPatch):
    ensure_perm(request.user, Perm.MANAGE_INSPECTIONS)
    shop = selectors.get_shop(user=request.user, shop_id=shop_id)
    sent = _sent(body)
    contact = {f: sent[f] for f in ("contact_name", "contact_phone") if f in sent}
    if body.clear_contact:
        if any(contact.values()):
            raise ValidationError({"clear_contact": _("删除联系人时不能同时填写新的联系人或联系电话")})
        contact = {"contact_name": "", "contact_phone": ""}
    elif contact and not all(v.strip() for v in contact.values()):
        # The form leaves an empty contact as it is; here an empty value would be read as removing it.
        raise ValidationError({f: _("空值不会删除联系人：要删除联系人和联系电话，请传 clear_contact: true")
                               for f, v in contact.items() if not v.strip()})
    building = shop.point.building
    if "building_id" in sent:
        building = get_in_scope(Building.objects.select_related("road"), user=request.user, pk=sent["building_id"])
    shop = shop_services.update_shop(
        shop=shop, by=request.user, building=building, name=sent.get("name", shop.name),
        licence_no=sent.get("licence_no", shop.licence_no), kind=sent.get("kind", shop.kind),
        number=sent.get("number", shop_services.door_number(shop)), duties=sent.get("duties"),
        active=sent.get("active", shop.active), **contact)
    return _shop(shop)


def _month(value: str | None) -> dt.date:
    if not value:
        from django.utils import timezone

        return timezone.localdate().replace(day=1)
    try:
        return dt.datetime.strptime(value, "%Y-%m").date()
    except ValueError:
        raise ValidationError({"month": _("月份格式应为 2026-11")}) from None


@router.get("/shops/stars", response=list[RatingOut], summary="商铺五星（?month=2026-11），每颗扣星附规则与依据")
def shop_stars(request, month: str | None = None):
    listed = list(selectors.shop_list(user=request.user))
    return [r.as_dict() for r in stars.shop_ratings(subdistrict_id=request.user.subdistrict_id,
                                                    month=_month(month), shops=listed)] if listed else []


@router.get("/shops/ranking", response=list[dict], summary="商铺五星按街道排名（?month=）")
def shop_ranking(request, month: str | None = None):
    listed = list(selectors.shop_list(user=request.user))
    ratings = stars.shop_ratings(subdistrict_id=request.user.subdistrict_id, month=_month(month), shops=listed) \
        if listed else []
    return [{**{k: v for k, v in s.items() if k != "shops"},
             "shops": [{"id": r.id, "name": r.name, "stars": r.stars} for r in s["shops"]]}
            for s in stars.street_ranking(ratings)]


@router.get("/public/shops/{token}", auth=None, response=PublicShopOut,
            summary="商铺公示（门上二维码，无需登录，不含个人信息）")
def public_shop(request, token: str):
    from jiedao.inspections.views.common import months_back

    try:
        p = services.point_for_token(token)
    except LabelRefused as exc:
        raise ValidationError(exc.messages[0]) from None
    shop = getattr(p, "shop", None)
    if shop is None:
        raise ValidationError({"token": _("该标签不是商铺门牌")})
    first = _month(None)
    history = [(m, stars.shop_ratings(subdistrict_id=shop.subdistrict_id, month=m, shops=[shop])[0])
               for m in months_back(first, 6)]
    now = history[0][1]
    return {"name": shop.name, "kind": shop.get_kind_display(), "address": shop.address, "duties": shop.duties,
            "month": f"{first:%Y-%m}", "stars": now.stars, "lost": [x.name for x in now.lost],
            "history": [{"month": f"{m:%Y-%m}", "stars": r.stars} for m, r in history]}


# ------------------------------------------------------------------------------------------- garbage

@router.get("/rooms", response=list[RoomOut], summary="垃圾厢房（定时定点、分类桶、值守名册，姓名电话已遮蔽）")
def rooms(request, estate: int | None = None):
    return [_room(r) for r in selectors.room_list(user=request.user, estate_id=estate)]


@router.post("/rooms", response={201: RoomOut}, summary="登记垃圾厢房（同时生成巡检点）")
def create_room(request, body: RoomIn):
    ensure_perm(request.user, Perm.MANAGE_INSPECTIONS)
    building = get_in_scope(Building.objects.all(), user=request.user, pk=body.building_id)
    room = services.create_room(by=request.user, building=building, name=body.name, hours=body.hours,
                                bins=body.bins)
    return 201, _room(room)


@router.post("/rooms/{room_id}/duties", response={201: RoomOut}, summary="加入值守名册：房长、桶长或监督员")
def add_duty(request, room_id: int, body: DutyIn):
    room = selectors.get_room(user=request.user, room_id=room_id)
    user = None
    if body.username:
        user = get_object_or_404(User, username=body.username, subdistrict_id=room.subdistrict_id)
    services.add_duty(by=request.user, room=room, role=body.role, name=body.name, phone=body.phone,
                      shift=body.shift, user=user)
    return 201, _room(room)


@router.patch("/rooms/{room_id}", response=RoomOut,
              summary="修改或停用垃圾厢房（只改所传字段：楼栋、名称、定时定点时间、分类桶数、启用）")
def edit_room(request, room_id: int, body: RoomPatch):
    ensure_perm(request.user, Perm.MANAGE_INSPECTIONS)
    room = selectors.get_room(user=request.user, room_id=room_id)
    sent = _sent(body)
    building = room.point.building
    if "building_id" in sent:
        building = get_in_scope(Building.objects.all(), user=request.user, pk=sent["building_id"])
    room = garbage_services.update_room(
        room=room, by=request.user, building=building, name=sent.get("name", room.name),
        hours=sent.get("hours", room.hours), bins=sent.get("bins", room.bins), active=sent.get("active", room.active))
    return _room(room)


@router.delete("/rooms/{room_id}/duties/{duty_id}", response=RoomOut,
               summary="移出值守名册（答厢房及其名册，如加入时）")
def remove_duty(request, room_id: int, duty_id: int):
    ensure_perm(request.user, Perm.MANAGE_INSPECTIONS)
    room = selectors.get_room(user=request.user, room_id=room_id)
    duty = get_object_or_404(room.duties, pk=duty_id)
    garbage_services.remove_duty(by=request.user, duty=duty)
    return _room(room)


@router.get("/garbage/stars", response=GarbageStarsOut, summary="垃圾分类五星：小区与居委（?month=）")
def garbage_stars(request, month: str | None = None):
    ensure_perm(request.user, Perm.VIEW_INSPECTIONS)
    chosen = _month(month)
    estate_ids = Estate.objects.within(scope_of(request.user)).values_list("pk", flat=True)
    estates, communities = stars.garbage_ratings(subdistrict_id=request.user.subdistrict_id, month=chosen,
                                                 estate_ids=estate_ids)
    return {"month": f"{chosen:%Y-%m}", "estates": [r.as_dict() for r in estates],
            "communities": [r.as_dict() for r in communities]}
