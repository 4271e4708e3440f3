"""Where to build next (选址) and what-if (假设分析): reads that compute on the walking graph, write nothing.

选址: among candidate sites, choose k that together cover the most residents (or residents aged 60+) not
covered today within a circle. Greedy maximum coverage: each pick is the candidate with the largest
marginal gain, the residents it newly covers, given the picks before it. (Greedy reaches at least 1 − 1/e
of the best possible choice of k; the gain of each pick is shown, so a planner sees where it levels off.)

假设分析: the same type's coverage with facilities added (at a point or at a candidate building), closed, or
a planned one opened, beside today's, per 居委 and building by building.
"""

import re
from dataclasses import dataclass, field

import numpy as np
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from jiedao.core.models import Subdistrict, User
from jiedao.facilities import coverage, selectors
from jiedao.facilities.engine import Engine, engine_for
from jiedao.facilities.models import Facility, FacilityType
from jiedao.geo.models import Building
from jiedao.geo.placement import validate_lonlat

MAX_CANDIDATES = 5000
MAX_PICKS = 20


@dataclass
class Candidate:
    label: str
    lon: float
    lat: float
    building_id: int | None = None
    facility_id: int | None = None


@dataclass
class Pick:
    candidate: Candidate
    gain_buildings: int
    gain_residents: int
    gain_elderly: int
    covered_after: int  # of the chosen weight, cumulative
    rate_after: float | None
    buildings: list[int] = field(default_factory=list)  # ids of the buildings it newly covers


@dataclass
class Siting:
    type: FacilityType
    within_m: float
    weight: str  # "elderly" or "residents"
    candidates: int
    unattached: list[Candidate]
    total: int  # of the chosen weight in the scope
    covered_before: int
    picks: list[Pick] = field(default_factory=list)

    @property
    def rate_before(self) -> float | None:
        return round(100 * self.covered_before / self.total, 1) if self.total else None


_POINT = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*[,，\s]\s*(-?\d+(?:\.\d+)?)\s*(?:[,，\s]\s*(.+))?$")


def parse_points(text: str, *, subdistrict: Subdistrict | None = None) -> list[Candidate]:
    """Sites typed one a line as ``经度,纬度[,名称]``; a clear error naming the line otherwise."""
    from jiedao.facilities.services.register import check_position

    out = []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        m = _POINT.match(line)
        if not m:
            raise ValidationError(_("第 %(n)s 行：应写成“经度,纬度,名称”，例如 121.4105,31.2440,兰溪路口") % {"n": n})
        try:
            if subdistrict is not None:  # swapped coordinates and far-away points said as such
                lon, lat, _outside = check_position(lon=m.group(1), lat=m.group(2), subdistrict=subdistrict)
            else:
                lon, lat = validate_lonlat(m.group(1), m.group(2))
        except ValidationError as exc:
            raise ValidationError(_("第 %(n)s 行：%(error)s") % {"n": n, "error": exc.messages[0]}) from exc
        out.append(Candidate(label=(m.group(3) or "").strip()[:60] or _("候选点 %(n)s") % {"n": len(out) + 1},
                             lon=lon, lat=lat))
    return out


def candidates_from(*, user: User, subdistrict: Subdistrict, kind: str, community_id: int | None = None,
                    area_id: int | None = None, facility_type: FacilityType | None = None,
                    points: str = "") -> list[Candidate]:
    """候选点: every building of the reader's scope (of a 居委 or 片区), the sites of a type's facilities
    (planned ones, or existing ones to embed a service in), or points typed in."""
    from jiedao.core.scope import scope_of

    selectors.working_subdistrict(user=user, subdistrict_id=subdistrict.pk)
    if kind == "buildings":
        qs = Building.objects.within(scope_of(user)).filter(subdistrict=subdistrict).select_related("road")
        if community_id:
            qs = qs.filter(community_id=community_id)
        if area_id:
            qs = qs.filter(community__area_id=area_id)
        found = [Candidate(b.address, b.lon, b.lat, building_id=b.pk) for b in qs.order_by("pk")]
    elif kind == "facilities":
        if facility_type is None:
            raise ValidationError({"site_type": _("请选择以哪类设施的所在地作为候选点")})
        qs = Facility.objects.filter(subdistrict=subdistrict, type=facility_type).exclude(status=Facility.Status.CLOSED)
        found = [Candidate(f.name, f.lon, f.lat, facility_id=f.pk) for f in qs.order_by("pk")]
    elif kind == "points":
        found = parse_points(points, subdistrict=subdistrict)
    else:
        raise ValidationError({"kind": _("候选点只能是楼栋、设施所在地或输入的坐标")})
    if not found:
        raise ValidationError({"kind": _("没有候选点")})
    if len(found) > MAX_CANDIDATES:
        raise ValidationError({"kind": _("候选点最多 %(n)s 个，请缩小范围") % {"n": f"{MAX_CANDIDATES:,}"}})
    return found


def _candidate_nodes(engine: Engine, candidates: list[Candidate]):
    """The graph to search on and each candidate's node there (-1: could not join the network)."""
    b_index = {b: i for i, b in enumerate(engine.building_ids.tolist())}
    f_index = {f: i for i, f in enumerate(engine.facility_ids.tolist())}
    loose = [i for i, c in enumerate(candidates) if c.building_id is None and c.facility_id is None]
    graph = engine.graph
    loose_nodes = loose_attached = np.zeros(0, dtype=np.int64)
    if loose:
        graph, loose_nodes, loose_attached = engine.with_points(
            np.array([candidates[i].lon for i in loose]), np.array([candidates[i].lat for i in loose]))
    nodes = np.full(len(candidates), -1, dtype=np.int64)
    for i, c in enumerate(candidates):
        if c.building_id is not None and c.building_id in b_index:
            j = b_index[c.building_id]
            nodes[i] = graph.node_of["b"][j] if graph.attached["b"][j] else -1
        elif c.facility_id is not None and c.facility_id in f_index:
            j = f_index[c.facility_id]
            nodes[i] = graph.node_of["f"][j] if graph.attached["f"][j] else -1
    for k, i in enumerate(loose):
        nodes[i] = loose_nodes[k] if loose_attached[k] else -1
    return graph, nodes


def choose_sites(*, user: User, subdistrict: Subdistrict, facility_type: FacilityType, within: float, k: int,
                 candidates: list[Candidate], weight: str | None = None) -> Siting:
    """Greedy choice of ``k`` candidate sites covering the most uncovered residents (``weight``: "elderly" for
    residents aged 60+, the default for elderly services; "residents" otherwise) of the reader's scope."""
    if not 1 <= k <= MAX_PICKS:
        raise ValidationError({"k": _("选址个数应在 1 到 %(n)s 之间") % {"n": MAX_PICKS}})
    selectors.working_subdistrict(user=user, subdistrict_id=subdistrict.pk)
    engine = engine_for(subdistrict.pk)
    weight = weight or ("elderly" if facility_type.elderly else "residents")
    weights = coverage.weights_for(engine)
    w = weights.elderly if weight == "elderly" else weights.residents
    mask = selectors.scope_mask(engine, user)
    found = selectors.nearest(engine, facility_type)
    uncovered = np.nonzero(mask & ~(found.distance <= within) & (weights.residents > 0))[0]
    graph, nodes = _candidate_nodes(engine, candidates)
    usable = np.nonzero(nodes >= 0)[0]
    result = Siting(type=facility_type, within_m=within, weight=weight, candidates=len(candidates),
                    unattached=[candidates[i] for i in np.nonzero(nodes < 0)[0].tolist()],
                    total=int(w[mask].sum()), covered_before=int(w[mask & (found.distance <= within)].sum()))
    if len(usable) == 0 or len(uncovered) == 0:
        return result
    reach = graph.from_each(nodes[usable], limit=within * 1.0001, targets=graph.node_of["b"][uncovered]) <= within
    remaining = w[uncovered].astype(float).copy()
    open_buildings = np.ones(len(uncovered), dtype=bool)
    covered = result.covered_before
    for _pick in range(min(k, len(usable))):
        gains = reach.astype(float) @ remaining
        best = int(np.argmax(gains))
        if gains[best] <= 0:
            break
        newly = reach[best] & open_buildings
        covered += int(remaining[newly].sum())
        result.picks.append(Pick(
            candidate=candidates[int(usable[best])], gain_buildings=int(newly.sum()),
            gain_residents=int(weights.residents[uncovered][newly].sum()),
            gain_elderly=int(weights.elderly[uncovered][newly].sum()),
            covered_after=covered, rate_after=round(100 * covered / result.total, 1) if result.total else None,
            buildings=engine.building_ids[uncovered[newly]].tolist(),
        ))
        remaining[newly] = 0
        open_buildings &= ~newly
    return result


@dataclass
class WhatIf:
    type: FacilityType
    within_m: float
    before: coverage.Tally
    after: coverage.Tally
    by_community: list[tuple[coverage.Tally, coverage.Tally]]
    gained: list[dict]  # buildings covered after, not before
    lost: list[dict]
    unattached: list[Candidate]


def what_if(*, user: User, subdistrict: Subdistrict, facility_type: FacilityType, within: float,
            add: list[Candidate] = (), close: list[int] = (), open_planned: list[int] = ()) -> WhatIf:
    """Coverage of the type with facilities ``add``-ed (hypothetical sites), ``close``-d (ids of open ones)
    and planned ones opened (``open_planned``), beside today's, for the reader's scope. Nothing is saved."""
    selectors.working_subdistrict(user=user, subdistrict_id=subdistrict.pk)
    engine = engine_for(subdistrict.pk)
    mask_fac = engine.open_mask(type_id=facility_type.pk)
    of_type = engine.facility_type == facility_type.pk
    for ids, wanted in ((close, False), (open_planned, True)):
        unknown = set(ids) - set(engine.facility_ids[of_type].tolist())
        if unknown:
            raise ValidationError(_("不是本街道的%(type)s：%(ids)s") % {
                "type": facility_type.label, "ids": "、".join(str(i) for i in sorted(unknown))})
        mask_fac = np.where(np.isin(engine.facility_ids, list(ids)), wanted, mask_fac) if ids else mask_fac
    before = selectors.nearest(engine, facility_type)
    unattached: list[Candidate] = []
    if add:
        graph, nodes = _candidate_nodes(engine, list(add))
        unattached = [c for c, n in zip(add, nodes.tolist(), strict=True) if n < 0]
        after = engine.nearest(mask_fac, extra_nodes=nodes[nodes >= 0], graph=graph)
    else:
        after = engine.nearest(mask_fac)
    weights = coverage.weights_for(engine)
    mask = selectors.scope_mask(engine, user)
    communities, _areas = selectors._names()
    kw = {"within": within, "weights": weights, "mask": mask}
    rows_before = {t.key: t for t in coverage.tally(distance=before.distance, groups=engine.communities,
                                                    names=communities, **kw)}
    rows_after = coverage.tally(distance=after.distance, groups=engine.communities, names=communities, **kw)
    was, now = before.distance <= within, after.distance <= within
    changed = {}
    for label, sel in (("gained", mask & now & ~was), ("lost", mask & was & ~now)):
        idx = np.nonzero(sel)[0]
        buildings = {b.pk: b for b in Building.objects.filter(pk__in=engine.building_ids[idx].tolist())
                     .select_related("road", "community")}
        changed[label] = sorted((
            {"id": int(engine.building_ids[i]), "address": buildings[int(engine.building_ids[i])].address,
             "community": buildings[int(engine.building_ids[i])].community.name,
             "residents": int(weights.residents[i]), "elderly": int(weights.elderly[i]),
             "before_m": round(float(before.distance[i]), 1) if np.isfinite(before.distance[i]) else None,
             "after_m": round(float(after.distance[i]), 1) if np.isfinite(after.distance[i]) else None}
            for i in idx.tolist() if int(engine.building_ids[i]) in buildings
        ), key=lambda r: (-r["elderly"], -r["residents"], r["id"]))
    return WhatIf(
        type=facility_type, within_m=within,
        before=coverage.tally(distance=before.distance, **kw)[0],
        after=coverage.tally(distance=after.distance, **kw)[0],
        by_community=[(rows_before[t.key], t) for t in rows_after],
        gained=changed["gained"], lost=changed["lost"], unattached=unattached,
    )
