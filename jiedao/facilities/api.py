"""15 分钟生活圈 (life circles): facilities, the walking network, coverage, gaps and where to build next.
See docs/facilities.md.

Reads need ``facilities.view``; writes (the register, imports) ``facilities.manage``. Every read is for the
requester's scope: facilities and the network are the subdistrict's; buildings, coverage and gaps the
requester's own places. ``subdistrict`` picks one of the subdistricts the requester may see (default: theirs).
"""

import datetime as dt
import math

from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.utils.translation import gettext as _
from ninja import Field, File, Router, Schema
from ninja.files import UploadedFile

from jiedao.core.api_frame import require
from jiedao.core.roles import Perm
from jiedao.facilities import selectors, services, siting
from jiedao.facilities.circles import get_circle
from jiedao.facilities.engine import engine_for
from jiedao.facilities.models import Facility
from jiedao.facilities.services.imports import ImportFileError
from jiedao.facilities.services.register import can_manage

router = Router(tags=["facilities"])
MAX_WITHIN_M = 20_000
GEOJSON = "application/geo+json"


def _where(request, subdistrict: int | None):
    return selectors.working_subdistrict(user=request.user, subdistrict_id=subdistrict)


def _reach(request, subdistrict, type_code: str, within: float | None, circle: str | None):
    """The type, and the reach in metres: ``within`` if given, else the circle's (default: the type's own)."""
    facility_type = selectors.get_type(type_code)
    if within is not None:
        if not math.isfinite(within) or not 0 < within <= MAX_WITHIN_M:
            raise ValidationError({"within": _("距离应在 0 到 %(max)s 米之间") % {"max": f"{MAX_WITHIN_M:,}"}})
        return facility_type, float(within)
    engine = engine_for(subdistrict.pk)
    return facility_type, selectors.within_m(engine, facility_type, get_circle(circle or facility_type.circle))


# ------------------------------------------------------------------------------------------------- GeoJSON

@router.get("/network.geojson", summary="步行路网（计算所用的图，含楼栋与设施的接入线）")
def network(request, subdistrict: int | None = None):
    """The walking graph exactly as every distance is computed on it: LineStrings with
    ``{"from", "to", "length_m"}``; node ids ``n…`` (network), ``p…`` (where a connector joins a segment),
    ``b<building id>``, ``f<facility id>``."""
    data = selectors.network_geojson(user=request.user, subdistrict=_where(request, subdistrict))
    return JsonResponse(data, content_type=GEOJSON)


@router.get("/facilities.geojson", summary="服务设施点位")
def facilities_geojson(request, subdistrict: int | None = None, type: str = "", status: str = ""):
    where = _where(request, subdistrict)
    filters = {k: v for k, v in {"type": type, "status": status}.items() if v}
    return JsonResponse(selectors.facilities_geojson(user=request.user, subdistrict=where, filters=filters),
                        content_type=GEOJSON)


@router.get("/buildings.geojson", summary="楼栋到最近设施的步行距离（供地图着色）")
def buildings_geojson(request, type: str, within: float | None = None, circle: str | None = None,
                      subdistrict: int | None = None):
    where = _where(request, subdistrict)
    facility_type, reach = _reach(request, where, type, within, circle)
    data = selectors.buildings_geojson(user=request.user, subdistrict=where, facility_type=facility_type, within=reach)
    return JsonResponse(data, content_type=GEOJSON)


@router.get("/isochrones.geojson", summary="步行等时圈（按路网，不是直线缓冲区）")
def isochrones(request, type: str, within: float | None = None, circle: str | None = None,
               subdistrict: int | None = None):
    where = _where(request, subdistrict)
    facility_type, reach = _reach(request, where, type, within, circle)
    data = selectors.isochrones_geojson(user=request.user, subdistrict=where, facility_type=facility_type, within=reach)
    return JsonResponse(data, content_type=GEOJSON)


# ------------------------------------------------------------------------------------------------ coverage

class TypeOut(Schema):
    code: str
    name: str
    category: str
    circle: str
    elderly: bool
    basic: bool


@router.get("/types", response=list[TypeOut], summary="设施类型")
def types(request):
    require(request, Perm.VIEW_FACILITIES)
    return [TypeOut(code=t.code, name=t.label, category=t.category, circle=t.circle, elderly=t.elderly, basic=t.basic)
            for t in selectors.facility_types()]


class BuildingCoverageOut(Schema):
    building: int
    facility: int | None
    distance_m: float | None
    covered: bool


class TallyOut(Schema):
    id: int | None
    name: str
    buildings: int
    covered_buildings: int
    unreachable_buildings: int
    residents: int
    covered_residents: int
    residents_60_plus: int
    covered_residents_60_plus: int
    building_rate: float | None
    resident_rate: float | None
    elderly_rate: float | None


class CoverageOut(Schema):
    type: str
    within_m: float
    buildings: list[BuildingCoverageOut]
    by_community: list[TallyOut]
    by_area: list[TallyOut]
    total: TallyOut


@router.get("/coverage", response=CoverageOut, summary="覆盖情况：每栋楼到最近设施的步行距离，按居委、片区汇总")
def coverage(request, type: str, within: float | None = None, circle: str | None = None,
             subdistrict: int | None = None):
    """``within`` in metres of walking (default: the type's circle). A building the network does not reach
    has ``distance_m`` null and ``facility`` null."""
    where = _where(request, subdistrict)
    facility_type, reach = _reach(request, where, type, within, circle)
    result = selectors.type_coverage(user=request.user, subdistrict=where, facility_type=facility_type, within=reach)
    return {"type": facility_type.code, "within_m": result.within_m, "buildings": result.buildings,
            "by_community": [t.as_dict() for t in result.by_community],
            "by_area": [t.as_dict() for t in result.by_area], "total": result.total.as_dict()}


class GapOut(Schema):
    building: int
    address: str
    community: str
    residents: int
    residents_60_plus: int
    distance_m: float | None
    minutes: float | None
    facility: int | None
    reason: str = Field(description="far: 超出服务圈; disconnected: 路网不连通; unattached: 离路网太远")


@router.get("/gaps", response=list[GapOut], summary="未覆盖楼栋（缺口），老年人（或居民）多的在前")
def gaps(request, type: str, within: float | None = None, circle: str | None = None, subdistrict: int | None = None):
    where = _where(request, subdistrict)
    facility_type, reach = _reach(request, where, type, within, circle)
    rows = selectors.uncovered_buildings(user=request.user, subdistrict=where, facility_type=facility_type,
                                         within=reach)
    return [{**r, "building": r["id"], "residents_60_plus": r["elderly"]} for r in rows]


class CandidatesIn(Schema):
    kind: str = Field("buildings", description="buildings: 楼栋; facilities: 某类设施所在地; points: 输入的坐标")
    community_id: int | None = None
    area_id: int | None = None
    site_type: str = Field("", description="kind=facilities 时，以哪类设施的所在地为候选点")
    points: str = Field("", max_length=100_000, description="kind=points 时，每行“经度,纬度,名称”")


class SitesIn(Schema):
    type: str
    circle: str | None = None
    within_m: float | None = None
    k: int = Field(5, ge=1, le=siting.MAX_PICKS)
    weight: str | None = Field(None, description="elderly（60 岁及以上）或 residents；默认为老服务按老年人")
    candidates: CandidatesIn = CandidatesIn()


class PickOut(Schema):
    label: str
    lon: float
    lat: float
    building: int | None
    facility: int | None
    gain_buildings: int
    gain_residents: int
    gain_residents_60_plus: int
    covered_after: int
    rate_after: float | None


class SitesOut(Schema):
    type: str
    within_m: float
    weight: str
    candidates: int
    not_connected: list[str]
    total: int
    covered_before: int
    rate_before: float | None
    picks: list[PickOut]


@router.post("/sites", response=SitesOut, summary="选址：贪心选择 k 个候选点，使新覆盖的（老年）居民最多")
def sites(request, body: SitesIn, subdistrict: int | None = None):
    where = _where(request, subdistrict)
    facility_type, reach = _reach(request, where, body.type, body.within_m, body.circle)
    if body.weight not in (None, "elderly", "residents"):
        raise ValidationError({"weight": _("加权只能是 elderly 或 residents")})
    c = body.candidates
    candidates = siting.candidates_from(
        user=request.user, subdistrict=where, kind=c.kind, community_id=c.community_id, area_id=c.area_id,
        facility_type=selectors.get_type(c.site_type) if c.site_type else None, points=c.points)
    result = siting.choose_sites(user=request.user, subdistrict=where, facility_type=facility_type, within=reach,
                                 k=body.k, candidates=candidates, weight=body.weight)
    return {
        "type": facility_type.code, "within_m": reach, "weight": result.weight, "candidates": result.candidates,
        "not_connected": [c.label for c in result.unattached], "total": result.total,
        "covered_before": result.covered_before, "rate_before": result.rate_before,
        "picks": [{"label": p.candidate.label, "lon": p.candidate.lon, "lat": p.candidate.lat,
                   "building": p.candidate.building_id, "facility": p.candidate.facility_id,
                   "gain_buildings": p.gain_buildings, "gain_residents": p.gain_residents,
                   "gain_residents_60_plus": p.gain_elderly, "covered_after": p.covered_after,
                   "rate_after": p.rate_after} for p in result.picks],
    }


class SiteIn(Schema):
    lon: float
    lat: float
    name: str = Field("", max_length=60)


class WhatIfIn(Schema):
    type: str
    circle: str | None = None
    within_m: float | None = None
    add: list[SiteIn] = Field(default_factory=list, max_length=50)
    close: list[int] = Field(default_factory=list, max_length=500)
    open: list[int] = Field(default_factory=list, max_length=500, description="规划中的设施按已开放计算")


class ChangedOut(Schema):
    building: int
    address: str
    community: str
    residents: int
    residents_60_plus: int
    before_m: float | None
    after_m: float | None


class WhatIfOut(Schema):
    type: str
    within_m: float
    before: TallyOut
    after: TallyOut
    by_community: list[dict]
    gained: list[ChangedOut]
    lost: list[ChangedOut]
    not_connected: list[str]


@router.post("/what-if", response=WhatIfOut, summary="假设分析：新增、关闭或启用设施后的覆盖变化（不保存）")
def what_if(request, body: WhatIfIn, subdistrict: int | None = None):
    where = _where(request, subdistrict)
    facility_type, reach = _reach(request, where, body.type, body.within_m, body.circle)
    add = []
    for n, site in enumerate(body.add, start=1):
        lon, lat, _outside = services.check_position(lon=site.lon, lat=site.lat, subdistrict=where)
        add.append(siting.Candidate(site.name or _("候选点 %(n)s") % {"n": n}, lon, lat))
    result = siting.what_if(user=request.user, subdistrict=where, facility_type=facility_type, within=reach,
                            add=add, close=body.close, open_planned=body.open)

    def changed(rows):
        return [{**r, "building": r["id"], "residents_60_plus": r["elderly"]} for r in rows]

    return {"type": facility_type.code, "within_m": reach, "before": result.before.as_dict(),
            "after": result.after.as_dict(),
            "by_community": [{"before": b.as_dict(), "after": a.as_dict()} for b, a in result.by_community],
            "gained": changed(result.gained), "lost": changed(result.lost),
            "not_connected": [c.label for c in result.unattached]}


# ------------------------------------------------------------------------------------------------ register

class FacilityOut(Schema):
    id: int
    type: str
    name: str
    address: str
    lon: float
    lat: float
    community: int | None
    capacity: int | None
    opening_hours: str
    operator: str
    status: str
    opened_on: dt.date | None
    closed_on: dt.date | None
    note: str

    @staticmethod
    def resolve_type(obj) -> str:
        return obj.type.code

    @staticmethod
    def resolve_community(obj) -> int | None:
        return obj.community_id


@router.get("/facilities", response=list[FacilityOut], summary="设施登记表")
def facility_list(request, subdistrict: int | None = None, type: str = "", status: str = "", q: str = ""):
    where = _where(request, subdistrict)
    filters = {k: v for k, v in {"type": type, "status": status, "q": q}.items() if v}
    return list(selectors.facility_list(user=request.user, subdistrict=where, filters=filters)[:5000])


@router.get("/facilities/{facility_id}", response=FacilityOut, summary="一处设施")
def facility_detail(request, facility_id: int):
    return selectors.get_facility(user=request.user, facility_id=facility_id)


class FacilityIn(Schema):
    type: str
    name: str = Field(..., max_length=100)
    lon: float
    lat: float
    address: str = Field("", max_length=200)
    capacity: int | None = Field(None, ge=0, le=10_000_000)
    opening_hours: str = Field("", max_length=100)
    operator: str = Field("", max_length=100)
    status: str = Facility.Status.OPEN
    opened_on: dt.date | None = None
    closed_on: dt.date | None = None
    note: str = Field("", max_length=200)


class FacilityPatch(Schema):
    type: str | None = None
    name: str | None = Field(None, max_length=100)
    lon: float | None = None
    lat: float | None = None
    address: str | None = Field(None, max_length=200)
    capacity: int | None = Field(None, ge=0, le=10_000_000)
    opening_hours: str | None = Field(None, max_length=100)
    operator: str | None = Field(None, max_length=100)
    status: str | None = None
    opened_on: dt.date | None = None
    closed_on: dt.date | None = None
    note: str | None = Field(None, max_length=200)


@router.post("/facilities", response={201: FacilityOut}, summary="登记设施（系统管理员）")
def facility_create(request, body: FacilityIn, subdistrict: int | None = None):
    where = _where(request, subdistrict)
    can_manage(request.user)
    fields = body.dict()
    fields["type"] = selectors.get_type(fields["type"])
    return 201, services.create_facility(subdistrict=where, by=request.user, **fields)


@router.patch("/facilities/{facility_id}", response=FacilityOut, summary="修改设施（系统管理员）")
def facility_update(request, facility_id: int, body: FacilityPatch):
    facility = selectors.get_facility(user=request.user, facility_id=facility_id)
    changes = body.dict(exclude_unset=True)
    if "type" in changes:
        changes["type"] = selectors.get_type(changes["type"] or "")
    for key in ("name", "lon", "lat", "status"):
        if key in changes and changes[key] is None:
            raise ValidationError({key: _("不能为空")})
    return services.update_facility(facility=facility, by=request.user, **changes)


class ImportOut(Schema):
    rows: int
    valid: int
    created: int
    updated: int
    unchanged: int
    dry_run: bool
    errors: list[dict]
    warnings: list[dict]


@router.post("/imports", response=ImportOut, summary="批量导入设施（CSV/XLSX；dry_run=true 只校验）")
def facility_import(request, file: File[UploadedFile], dry_run: bool = False, subdistrict: int | None = None):
    where = _where(request, subdistrict)
    can_manage(request.user)
    try:
        report = services.import_facilities(data=file.read(), filename=file.name or "", subdistrict=where,
                                            by=request.user, dry_run=dry_run)
    except ImportFileError as exc:
        raise ValidationError({"file": str(exc)}) from exc
    return report.as_dict()

