"""加装电梯 (互联网+梯): feasibility scores, quotes with the subsidy and each dwelling's share, the project
pipeline with its vote in ``consult``, and the building's schematic. See docs/elevators.md.

Reads need ``elevators.view`` and answer for the reader's scope; writes (surveys, projects, quotes, the
pipeline) need ``elevators.manage``. ``subdistrict`` picks one the reader may see (default: theirs).
"""

import datetime as dt
from decimal import Decimal

from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from jiedao.elevators import selectors, services
from jiedao.elevators.models import Blocker, Project

router = Router(tags=["elevators"])
GEOJSON = "application/geo+json"


def _where(request, subdistrict: int | None):
    return selectors.working_subdistrict(user=request.user, subdistrict_id=subdistrict)


class FactorOut(Schema):
    factor: str
    label: str
    weight: int
    value: Decimal
    points: Decimal
    input: str = Field(..., description="the input as read (empty when missing)")
    missing: bool


class ScoreOut(Schema):
    building: int
    address: str
    community: str
    floors: int
    score: Decimal
    missing: list[str]
    project: int | None = None
    stage: str | None = None


def _score_row(c) -> dict:
    b = c.building
    return {"building": b.pk, "address": b.address, "community": b.community.name, "floors": b.floors,
            "score": c.score.score, "missing": c.score.missing, "project": c.project.pk if c.project else None,
            "stage": c.project.stage if c.project else None}


def _factors(score) -> list[dict]:
    return [{"factor": f.factor, "label": f.label, "weight": f.weight, "value": f.value, "points": f.points,
             "input": f.shown, "missing": f.missing} for f in score.factors]


@router.get("/candidates", response=list[ScoreOut], summary="候选楼栋：未装电梯的楼栋按可行性评分排序")
def candidates(request, subdistrict: int | None = None, community: int | None = None,
               min_floors: int | None = None, limit: int = 200):
    where = _where(request, subdistrict)
    ranked = selectors.candidate_list(user=request.user, subdistrict=where, community_id=community,
                                      min_floors=min_floors)
    return [_score_row(c) for c in ranked[:max(1, min(limit, 5000))]]


@router.get("/candidates.geojson", summary="候选楼栋点位与评分（地图）")
def candidates_geojson(request, subdistrict: int | None = None, community: int | None = None,
                       min_floors: int | None = None):
    where = _where(request, subdistrict)
    ranked = selectors.candidate_list(user=request.user, subdistrict=where, community_id=community,
                                      min_floors=min_floors)
    features = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [c.building.lon, c.building.lat]},
                 "properties": {**_score_row(c), "score": float(c.score.score),
                                "url": f"/elevators/buildings/{c.building.pk}/"}} for c in ranked]
    return JsonResponse({"type": "FeatureCollection", "features": features}, content_type=GEOJSON)


class FeasibilityOut(Schema):
    building: int
    address: str
    floors: int
    score: Decimal
    missing: list[str]
    factors: list[FactorOut]


@router.get("/buildings/{building_id}/feasibility", response=FeasibilityOut,
            summary="楼栋可行性评分（各因素权重与取值）")
def feasibility(request, building_id: int):
    data = selectors.building_feasibility(user=request.user, building_id=building_id)
    b, s = data["building"], data["score"]
    return {"building": b.pk, "address": b.address, "floors": b.floors, "score": s.score, "missing": s.missing,
            "factors": _factors(s)}


class SurveyIn(Schema):
    has_elevator: bool | None = None
    entry: str | None = Field(None, description="level 平层入户 / half 半层入户")
    front_clearance_m: Decimal | None = None
    rear_clearance_m: Decimal | None = None
    pipes: str | None = Field(None, description="clear / relocate / blocking")
    fire_lane_clear: bool | None = None
    sunlight: str | None = Field(None, description="none / minor / major")
    dwellings_per_floor: int | None = None
    note: str | None = None
    surveyed_on: dt.date | None = None


@router.put("/buildings/{building_id}/survey", response=FeasibilityOut,
            summary="踏勘：填写缺少的输入（居委负责人）")
def survey(request, building_id: int, body: SurveyIn):
    data = selectors.building_feasibility(user=request.user, building_id=building_id)
    values = body.dict(exclude_unset=True)
    if values.get("has_elevator") is None:
        values.pop("has_elevator", None)
    services.save_survey(building=data["building"], by=request.user, **values)
    return feasibility(request, building_id)


@router.get("/buildings/{building_id}/schematic", summary="加装示意图的数据（停靠站、平层到户的楼层）")
def schematic(request, building_id: int, entry: str | None = None):
    data = selectors.building_feasibility(user=request.user, building_id=building_id)
    entry = entry or (data["survey"].entry if data["survey"] and data["survey"].entry else "level")
    drawing = selectors.schematic(floors=data["building"].floors, entry=entry if entry in ("level", "half")
                                  else "level")
    return {"floors": drawing["floors"], "entry": drawing["entry"],
            "stops": [{"floor": s["floor"], "label": s["label"], "level": s["level"]} for s in drawing["stops"]],
            "level_access_floors": drawing["level_floors"],
            "svg": f"/elevators/buildings/{building_id}/schematic.svg?entry={drawing['entry']}"}


class ProjectIn(Schema):
    building: int
    unit: int | None = None
    shaft: str = "steel"
    note: str = ""


class EventOut(Schema):
    stage: str
    on: dt.date
    note: str


class ProjectOut(Schema):
    id: int
    building: int
    address: str
    unit: int | None
    stage: str
    stage_label: str
    next_stage: str | None
    blocked_by: str = Field(..., description="why the project may not enter its next stage now (empty: it may)")
    shaft: str
    responsible: str
    consultation: int | None
    completed_on: dt.date | None
    events: list[EventOut]
    open_blockers: list[str]


def _project(p: Project) -> dict:
    nxt = p.next_stage
    return {"id": p.pk, "building": p.building_id, "address": p.building.address,
            "unit": p.unit.number if p.unit else None, "stage": p.stage, "stage_label": str(p.get_stage_display()),
            "next_stage": nxt.value if nxt else None,
            "blocked_by": services.stage_refusal(p, nxt) if nxt else "", "shaft": p.shaft,
            "responsible": p.responsible.display_name if p.responsible else "", "consultation": p.consultation_id,
            "completed_on": p.completed_on,
            "events": [{"stage": e.stage, "on": e.on, "note": e.note} for e in p.events.all()],
            "open_blockers": [b.text for b in p.blockers.filter(resolved_on__isnull=True)]}


@router.get("/projects", response=list[ProjectOut], summary="加梯项目")
def projects(request, subdistrict: int | None = None, stage: str | None = None):
    where = _where(request, subdistrict)
    return [_project(p) for p in selectors.project_list(user=request.user, subdistrict=where, stage=stage)]


@router.post("/projects", response={201: ProjectOut}, summary="立项（居委负责人）")
def project_create(request, body: ProjectIn):
    data = selectors.building_feasibility(user=request.user, building_id=body.building)
    unit = next((u for u in data["units"] if u.pk == body.unit), None)
    if body.unit is not None and unit is None:
        from django.core.exceptions import ValidationError
        from django.utils.translation import gettext as _

        raise ValidationError({"unit": _("该单元不属于此楼栋")})
    p = services.create_project(building=data["building"], unit=unit, shaft=body.shaft, note=body.note,
                                by=request.user)
    return 201, _project(p)


@router.get("/projects/{project_id}", response=ProjectOut, summary="一个加梯项目及其阶段")
def project(request, project_id: int):
    return _project(selectors.get_project(user=request.user, project_id=project_id))


class AdvanceIn(Schema):
    to: str
    on: dt.date | None = None
    note: str = ""


@router.post("/projects/{project_id}/advance", response=ProjectOut,
             summary="进入下一阶段（不能跳过；表决须通过）")
def advance(request, project_id: int, body: AdvanceIn):
    p = selectors.get_project(user=request.user, project_id=project_id)
    return _project(services.advance_project(project=p, to=body.to, on=body.on, note=body.note, by=request.user))


class QuoteIn(Schema):
    entry: str | None = None
    shaft: str | None = None
    pipes_relocate: bool | None = None


class ShareOut(Schema):
    household: str
    room: str
    floor: int
    coefficient: Decimal
    amount: Decimal


class LineOut(Schema):
    code: str
    name: str
    quantity: int
    unit_price: Decimal
    subtotal: Decimal


class QuoteOut(Schema):
    stops: int
    shaft: str
    entry: str
    lines: list[LineOut]
    total: Decimal
    subsidy: Decimal
    subsidy_source: str
    net: Decimal
    shares: list[ShareOut]


@router.post("/projects/{project_id}/quote", response={201: QuoteOut}, summary="工程智能报价与各户分摊")
def quote_create(request, project_id: int, body: QuoteIn):
    p = selectors.get_project(user=request.user, project_id=project_id)
    return 201, services.make_quote(project=p, by=request.user, **body.dict())


@router.get("/projects/{project_id}/quote", response=QuoteOut, summary="最近一次报价")
def quote(request, project_id: int):
    from django.http import Http404

    q = selectors.latest_quote(selectors.get_project(user=request.user, project_id=project_id))
    if q is None:
        raise Http404
    return q


class VoteIn(Schema):
    opens_at: dt.datetime
    closes_at: dt.datetime


class VoteOut(Schema):
    consultation: int | None
    status: str | None = None
    closed: bool = False
    passed: bool | None = None
    participation: dict | None = None
    agreement: dict | None = None


def _vote(p: Project) -> dict:
    o = services.vote_outcome(p)
    if o is None:
        return {"consultation": None}
    return {"consultation": p.consultation_id, "status": o.status, "closed": o.closed, "passed": o.passed,
            "participation": o.participation.as_json(), "agreement": o.agreement.as_json() if o.agreement else None}


@router.post("/projects/{project_id}/vote", response={201: VoteOut},
             summary="发起表决（民法典第二百七十八条特别事项）")
def vote_start(request, project_id: int, body: VoteIn):
    p = selectors.get_project(user=request.user, project_id=project_id)
    services.start_vote(project=p, opens_at=body.opens_at, closes_at=body.closes_at, by=request.user)
    p.refresh_from_db()
    return 201, _vote(p)


@router.post("/projects/{project_id}/vote/open", response=VoteOut, summary="开启表决（业主与面积须齐全）")
def vote_open(request, project_id: int):
    p = selectors.get_project(user=request.user, project_id=project_id)
    services.open_vote(project=p, by=request.user)
    return _vote(p)


@router.get("/projects/{project_id}/vote", response=VoteOut, summary="表决进展与结果")
def vote(request, project_id: int):
    return _vote(selectors.get_project(user=request.user, project_id=project_id))


class BlockerIn(Schema):
    text: str


class ResolveIn(Schema):
    resolution: str


@router.post("/projects/{project_id}/blockers", response={201: ProjectOut}, summary="记录堵点")
def blocker_create(request, project_id: int, body: BlockerIn):
    p = selectors.get_project(user=request.user, project_id=project_id)
    services.raise_blocker(project=p, text=body.text, by=request.user)
    return 201, _project(p)


@router.post("/projects/{project_id}/blockers/{blocker_id}/resolve", response=ProjectOut, summary="解决堵点")
def blocker_resolve(request, project_id: int, blocker_id: int, body: ResolveIn):
    p = selectors.get_project(user=request.user, project_id=project_id)
    services.resolve_blocker(blocker=get_object_or_404(Blocker, project=p, pk=blocker_id),
                             resolution=body.resolution, by=request.user)
    return _project(p)


class ReviewIn(Schema):
    lawyer: str
    outcome: str = Field(..., description="approved 审查通过 / changes 需修改")
    firm: str = ""
    reviewed_on: dt.date | None = None
    note: str = ""


@router.post("/projects/{project_id}/reviews", response={201: ProjectOut}, summary="加梯顾问团律师审查合同")
def review_create(request, project_id: int, body: ReviewIn):
    p = selectors.get_project(user=request.user, project_id=project_id)
    services.record_review(project=p, lawyer=body.lawyer, outcome=body.outcome, firm=body.firm, on=body.reviewed_on,
                           note=body.note, by=request.user)
    return 201, _project(p)


class StageCount(Schema):
    stage: str
    label: str
    count: int


class YearCount(Schema):
    year: int
    count: int


class KpisOut(Schema):
    total: int
    by_stage: list[StageCount]
    completed_per_year: list[YearCount]


@router.get("/kpis", response=KpisOut, summary="项目数（按阶段）与逐年竣工数")
def kpis(request, subdistrict: int | None = None):
    return selectors.kpis(user=request.user, subdistrict=_where(request, subdistrict))
