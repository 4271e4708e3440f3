"""Reads of the facilities module, each for a user and within their scope.

Facilities and the walking network are the subdistrict's public places: everyone who may view facilities
reads them all. Buildings, and so coverage, the gap list and the figures per 居委, are the reader's scope's
(a 居委's social worker sees their 居委's buildings; distances are still walked on the whole network, to
facilities wherever they are).
"""

import datetime as dt
from dataclasses import dataclass

import numpy as np
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from jiedao.core.access import ensure_perm, get_in_scope, in_scope
from jiedao.core.models import Subdistrict, User
from jiedao.core.roles import Perm
from jiedao.core.scope import scope_of
from jiedao.facilities import coverage
from jiedao.facilities.circles import CIRCLES, STANDARD, Circle, get_circle
from jiedao.facilities.engine import Engine, Nearest, engine_for
from jiedao.facilities.filters import FacilityFilter
from jiedao.facilities.models import AccessRun, Facility, FacilityType, WalkNetwork
from jiedao.facilities.network.graph import isochrones as draw_isochrones
from jiedao.facilities.network.graph import reach
from jiedao.geo.models import Area, Building, Community


def _can_view(user: User) -> None:
    ensure_perm(user, Perm.VIEW_FACILITIES, message=_("您的角色无权查看服务设施与生活圈"))


def working_subdistrict(*, user: User, subdistrict_id: int | None = None) -> Subdistrict:
    """The subdistrict a page or endpoint shows: the one asked for if the user may see it, else their own."""
    _can_view(user)
    subdistricts = Subdistrict.objects.within(scope_of(user))
    if subdistrict_id is not None:
        return get_in_scope(Subdistrict.objects.all(), user=user, pk=subdistrict_id)
    found = subdistricts.filter(pk=user.subdistrict_id).first() or subdistricts.first()
    if found is None:
        raise Http404
    return found


def facility_types() -> QuerySet[FacilityType]:
    return FacilityType.objects.all()


def get_type(code: str) -> FacilityType:
    from django.core.exceptions import ValidationError

    found = FacilityType.objects.filter(code=code).first()
    if found is None:
        raise ValidationError(_("未知的设施类型：%(code)s") % {"code": code})
    return found


# ------------------------------------------------------------------------------------------------ register

def facility_list(*, user: User, subdistrict: Subdistrict, filters: dict | None = None) -> QuerySet[Facility]:
    _can_view(user)
    qs = Facility.objects.within(scope_of(user)).filter(subdistrict=subdistrict).select_related("type", "community")
    return FacilityFilter(filters, queryset=qs).qs.order_by("type__order", "name", "pk")


def get_facility(*, user: User, facility_id: int) -> Facility:
    _can_view(user)
    return get_in_scope(Facility.objects.select_related("type", "community", "subdistrict"), user=user, pk=facility_id)


def network_of(*, user: User, subdistrict: Subdistrict) -> WalkNetwork | None:
    _can_view(user)
    return WalkNetwork.objects.filter(subdistrict=subdistrict).first()


# ------------------------------------------------------------------------------------------------ coverage

def nearest(engine: Engine, facility_type: FacilityType) -> Nearest:
    """Each building's nearest open facility of the type (kept with the engine, which is rebuilt on change)."""
    cache = engine.memo.setdefault("nearest", {})
    if facility_type.pk not in cache:
        cache[facility_type.pk] = engine.nearest_of_type(facility_type.pk)
    return cache[facility_type.pk]


def within_m(engine: Engine, facility_type: FacilityType, circle: Circle) -> float:
    return circle.within_m(engine.speed_for(facility_type))


def scope_mask(engine: Engine, user: User) -> np.ndarray:
    """Which of the engine's buildings lie in the user's scope."""
    ids = (Building.objects.within(scope_of(user)).filter(subdistrict_id=engine.subdistrict_id)
           .values_list("pk", flat=True))
    return np.isin(engine.building_ids, np.fromiter(ids, dtype=np.int64))


def _names() -> tuple[dict[int, str], dict[int, str]]:
    return dict(Community.objects.values_list("pk", "name")), dict(Area.objects.values_list("pk", "name"))


@dataclass
class TypeCoverage:
    """A type's coverage within one reach, for the buildings of the reader's scope."""

    type: FacilityType
    within_m: float
    speed: float
    total: coverage.Tally
    by_community: list[coverage.Tally]
    by_area: list[coverage.Tally]
    buildings: list[dict]


def type_coverage(*, user: User, subdistrict: Subdistrict, facility_type: FacilityType, within: float | None = None,
                  circle: str | None = None) -> TypeCoverage:
    """Coverage of ``facility_type`` within ``within`` metres (or the circle ``circle``, or the type's own),
    per building, per 居委 and per 片区."""
    _can_view(user)
    engine = engine_for(subdistrict.pk)
    if within is None:
        within = within_m(engine, facility_type, get_circle(circle or facility_type.circle))
    found = nearest(engine, facility_type)
    weights = coverage.weights_for(engine)
    mask = scope_mask(engine, user)
    communities, areas = _names()
    args = {"distance": found.distance, "within": within, "weights": weights, "mask": mask}
    buildings = [
        {"building": int(b), "facility": int(f) if f else None,
         "distance_m": round(float(d), 1) if np.isfinite(d) else None, "covered": bool(d <= within)}
        for b, f, d in zip(engine.building_ids[mask].tolist(), found.facility[mask].tolist(),
                           found.distance[mask].tolist(), strict=True)
    ]
    return TypeCoverage(
        type=facility_type, within_m=float(within), speed=engine.speed_for(facility_type),
        total=coverage.tally(**args)[0],
        by_community=coverage.tally(**args, groups=engine.communities, names=communities),
        by_area=coverage.tally(**args, groups=engine.areas, names=areas),
        buildings=buildings,
    )


def coverage_overview(*, user: User, subdistrict: Subdistrict, community_id: int | None = None,
                      area_id: int | None = None) -> list[dict]:
    """One row per type: its rate at its own circle and at each standard circle (elderly services by
    residents aged 60+, the others by residents), for the reader's scope (narrowed to a 居委 or 片区)."""
    _can_view(user)
    engine = engine_for(subdistrict.pk)
    weights = coverage.weights_for(engine)
    mask = scope_mask(engine, user)
    if community_id:
        mask &= engine.building_community == community_id
    if area_id:
        mask &= engine.building_area == area_id
    open_counts = {}
    for type_id, status in zip(engine.facility_type.tolist(), engine.facility_status.tolist(), strict=True):
        if status == Facility.Status.OPEN:
            open_counts[type_id] = open_counts.get(type_id, 0) + 1
    rows = []
    for facility_type in engine.types.values():
        found = nearest(engine, facility_type)
        cells = {}
        for code in dict.fromkeys((facility_type.circle, *STANDARD)):
            within = within_m(engine, facility_type, CIRCLES[code])
            cells[code] = coverage.tally(distance=found.distance, within=within, weights=weights, mask=mask)[0]
        rows.append({"type": facility_type, "open": open_counts.get(facility_type.pk, 0),
                     "own": cells[facility_type.circle], "circles": [(code, cells[code]) for code in STANDARD]})
    return rows


def uncovered_buildings(*, user: User, subdistrict: Subdistrict, facility_type: FacilityType, within: float,
                        community_id: int | None = None) -> list[dict]:
    """缺口: the buildings of the reader's scope not covered within ``within`` metres, those with the most
    (elderly, for an elderly service) residents first; unreachable ones say why."""
    _can_view(user)
    engine = engine_for(subdistrict.pk)
    found = nearest(engine, facility_type)
    weights = coverage.weights_for(engine)
    mask = scope_mask(engine, user) & ~(found.distance <= within)
    if community_id:
        mask &= engine.building_community == community_id
    idx = np.nonzero(mask)[0]
    primary = weights.elderly if facility_type.elderly else weights.residents
    idx = idx[np.lexsort((engine.building_ids[idx], -weights.residents[idx], -primary[idx]))]
    buildings = {b.pk: b for b in Building.objects.filter(pk__in=engine.building_ids[idx].tolist())
                 .select_related("road", "community")}
    speed = engine.speed_for(facility_type)
    out = []
    for i in idx.tolist():
        building = buildings.get(int(engine.building_ids[i]))
        if building is None:
            continue
        d = float(found.distance[i])
        reachable = bool(np.isfinite(d))
        attached = bool(engine.building_attached[i])
        out.append({
            "building": building, "id": building.pk, "address": building.address, "community": building.community.name,
            "residents": int(weights.residents[i]), "elderly": int(weights.elderly[i]),
            "distance_m": round(d, 1) if reachable else None, "minutes": round(d / speed, 1) if reachable else None,
            "facility": int(found.facility[i]) or None,
            "reason": "far" if reachable else ("disconnected" if attached else "unattached"),
        })
    return out


def building_access(*, user: User, building_id: int) -> list[dict]:
    """The walk from one building of the reader's scope to the nearest open facility of each basic or elderly
    service type, with whether it lies within the type's circle (the household file's 生活圈 section)."""
    _can_view(user)
    building = Building.objects.filter(pk=building_id).first()
    if building is None or not in_scope(building, user=user):
        return []
    engine = engine_for(building.subdistrict_id)
    i = int(np.searchsorted(engine.building_ids, building_id))
    if i >= len(engine.building_ids) or engine.building_ids[i] != building_id or engine.network is None:
        return []
    rows = []
    for facility_type in engine.types.values():
        if not (facility_type.basic or facility_type.elderly):
            continue
        found = nearest(engine, facility_type)
        d, f = float(found.distance[i]), int(found.facility[i])
        circle = CIRCLES[facility_type.circle]
        speed = engine.speed_for(facility_type)
        rows.append({"type": facility_type, "facility_id": f or None, "distance_m": round(d, 1) if f else None,
                     "minutes": round(d / speed, 1) if f else None, "circle": circle.label,
                     "covered": bool(d <= circle.within_m(speed))})
    names = dict(Facility.objects.filter(pk__in=[r["facility_id"] for r in rows if r["facility_id"]])
                 .values_list("pk", "name"))
    for row in rows:
        row["name"] = names.get(row["facility_id"], "")
    return rows


def access_run(*, subdistrict: Subdistrict) -> AccessRun | None:
    return AccessRun.objects.filter(subdistrict=subdistrict).first()


# ---------------------------------------------------------------------------------------------- GeoJSON

def _feature(geometry: dict, properties: dict, fid=None) -> dict:
    feature = {"type": "Feature", "geometry": geometry, "properties": properties}
    if fid is not None:
        feature["id"] = fid
    return feature


def network_geojson(*, user: User, subdistrict: Subdistrict) -> dict:
    """The walking graph exactly as distances are computed on it: every segment (split where a connector
    joins), every connector to a facility, and the connectors of the buildings in the reader's scope (a
    building's connector ends at the building, so leaving out another's changes no distance)."""
    _can_view(user)
    engine = engine_for(subdistrict.pk)
    g = engine.graph
    hidden = engine.building_nodes[~scope_mask(engine, user)]
    keep = ~(np.isin(g.u, hidden) | np.isin(g.v, hidden))
    labels, lon, lat = g.labels, np.round(g.lon, 7), np.round(g.lat, 7)
    features = [
        {"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[lon[a], lat[a]], [lon[b], lat[b]]]},
         "properties": {"from": labels[a], "to": labels[b], "length_m": round(length, 3)}}
        for a, b, length in zip(g.u[keep].tolist(), g.v[keep].tolist(), g.length[keep].tolist(), strict=True)
    ]
    return {"type": "FeatureCollection", "features": features}


def facilities_geojson(*, user: User, subdistrict: Subdistrict, filters: dict | None = None) -> dict:
    engine = engine_for(subdistrict.pk)
    attached = dict(zip(engine.facility_ids.tolist(), engine.facility_attached.tolist(), strict=True))
    features = [
        _feature({"type": "Point", "coordinates": [f.lon, f.lat]},
                 {"id": f.pk, "type": f.type.code, "name": f.name, "status": f.status,
                  "type_name": f.type.label, "address": f.address, "connected": attached.get(f.pk, False)}, f.pk)
        for f in facility_list(user=user, subdistrict=subdistrict, filters=filters)
    ]
    return {"type": "FeatureCollection", "features": features}


def buildings_geojson(*, user: User, subdistrict: Subdistrict, facility_type: FacilityType, within: float) -> dict:
    """The buildings of the reader's scope with their walk to the nearest open facility of the type."""
    _can_view(user)
    engine = engine_for(subdistrict.pk)
    found = nearest(engine, facility_type)
    weights = coverage.weights_for(engine)
    mask = scope_mask(engine, user)
    speed = engine.speed_for(facility_type)
    features = []
    for i in np.nonzero(mask)[0].tolist():
        d = float(found.distance[i])
        ok = bool(np.isfinite(d))
        features.append(_feature(
            {"type": "Point", "coordinates": [float(engine.building_lon[i]), float(engine.building_lat[i])]},
            {"building": int(engine.building_ids[i]), "distance_m": round(d, 1) if ok else None,
             "minutes": round(d / speed, 1) if ok else None, "covered": bool(d <= within),
             "facility": int(found.facility[i]) or None, "residents": int(weights.residents[i]),
             "residents_60_plus": int(weights.elderly[i])},
            int(engine.building_ids[i])))
    return {"type": "FeatureCollection", "features": features}


def isochrones_geojson(*, user: User, subdistrict: Subdistrict, facility_type: FacilityType, within: float) -> dict:
    """服务圈: for each open facility of the type, the streets within ``within`` metres of walking from it that
    are nearer to it than to another of the type, drawn 30 m either side. Their union is the type's circle."""
    _can_view(user)
    engine = engine_for(subdistrict.pk)
    cache = engine.memo.setdefault("isochrones", {})
    key = (facility_type.pk, round(within, 1))
    if key not in cache:
        mask = engine.open_mask(type_id=facility_type.pk)
        sources = engine.facility_nodes[mask]
        dist, source = engine.graph.nearest(sources, limit=within * 1.0001)
        polygons = draw_isochrones(engine.graph, reach(engine.graph, dist, source, within))
        by_node = dict(zip(sources.tolist(), engine.facility_ids[mask].tolist(), strict=True))
        names = dict(Facility.objects.filter(pk__in=list(by_node.values())).values_list("pk", "name"))
        cache[key] = [
            _feature(geometry, {"facility": by_node[node], "name": names.get(by_node[node], ""),
                                "type": facility_type.code, "within_m": round(within, 1)}, by_node[node])
            for node, geometry in sorted(polygons.items())
        ]
    return {"type": "FeatureCollection", "features": cache[key]}


# ------------------------------------------------------------------------------------- planning's figures

def households_within(*, subdistrict_id: int, day: dt.date, circle: str = "5min", basic_only: bool = True) -> int:
    """Households (the registry's count on ``day``) whose building lies within ``circle`` of walking at the
    adults' speed from a facility open on ``day`` of a type counted as 基本公共服务. Aggregate: no user."""
    engine = engine_for(subdistrict_id)
    types = [t for t in engine.types.values() if t.basic or not basic_only]
    if not types or len(engine.building_ids) == 0:
        return 0
    mask = np.zeros(len(engine.facility_ids), dtype=bool)
    for t in types:
        mask |= engine.open_mask(type_id=t.pk, day=day)
    found = engine.nearest(mask)
    within = CIRCLES[circle].within_m(engine.settings.adult_speed)
    households = coverage.households_by_building(subdistrict_id=subdistrict_id, day=day)
    covered = engine.building_ids[found.distance <= within].tolist()
    return int(sum(households.get(b, 0) for b in covered))
