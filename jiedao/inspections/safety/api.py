"""平安建设动态评估 endpoints under /api/v1/safety/: the month's index (居委 ranking and grids), one 居委's or
grid's score with its factors and events, the trend, and the factors' weights. See docs/inspections_campaigns.md."""

import datetime as dt

from ninja import Router, Schema

from jiedao.inspections.safety import selectors, services
from jiedao.inspections.safety.index import AreaScore, FactorScore, FactorSpec, MonthIndex

router = Router(tags=["inspections"])


class FactorSpecOut(Schema):
    code: str
    name: str
    source: str
    definition: str
    weight: float
    saturation: float
    enabled: bool
    installed: bool


class EventOut(Schema):
    at: dt.datetime
    label: str
    url: str
    weight: float


class FactorOut(Schema):
    code: str
    events: int
    weighted: float
    rate: float          # per 1,000 residents
    deduction: float
    change: float        # of the deduction, from the month before
    items: list[EventOut] | None = None


class AreaOut(Schema):
    level: str
    id: int | None
    name: str
    residents: int
    score: float
    previous_score: float | None
    change: float | None
    trend_deduction: float
    factors: list[FactorOut]


class IndexOut(Schema):
    month: str
    subdistrict: AreaOut
    communities: list[AreaOut]
    grids: list[AreaOut]
    factors: list[FactorSpecOut]
    missing: list[str]
    unplaced: int
    counted_at: dt.datetime | None  # a closed month: when its counts were stored; an open one: null (counted now)


def _spec(s: FactorSpec) -> dict:
    return {k: getattr(s, k) for k in ("code", "name", "source", "definition", "weight", "saturation", "enabled",
                                      "installed")}


def _factor(f: FactorScore, events: bool) -> dict:
    out = {"code": f.spec.code, "events": f.events, "weighted": round(f.weighted, 2), "rate": round(f.rate, 3),
           "deduction": round(f.deduction, 2), "change": f.change}
    if events:
        out["items"] = [{"at": e.at, "label": e.label, "url": e.url, "weight": e.weight} for e in f.items]
    return out


def _area(a: AreaScore, events: bool = False) -> dict:
    return {"level": a.level, "id": a.id, "name": a.name, "residents": a.residents, "score": a.score,
            "previous_score": a.previous_score, "change": a.change, "trend_deduction": a.trend_deduction,
            "factors": [_factor(f, events) for f in a.factors]}


def _index(result: MonthIndex) -> dict:
    return {"month": f"{result.month:%Y-%m}", "subdistrict": _area(result.subdistrict),
            "communities": [_area(a) for a in result.communities], "grids": [_area(a) for a in result.grids],
            "factors": [_spec(s) for s in result.specs], "missing": [s.code for s in result.missing],
            "unplaced": result.unplaced, "counted_at": result.counted_at}


@router.get("/index", response=IndexOut, summary="平安指数：某月（?month=YYYY-MM，默认本月）各居委排名与各网格得分")
def month_index(request, month: str = ""):
    return _index(selectors.month_index(user=request.user, month=selectors.parse_month(month)))


@router.get("/communities/{community_id}", response=AreaOut, summary="一个居委的平安指数、各因子扣分及其事件")
def community(request, community_id: int, month: str = ""):
    _place, score, _grids = selectors.community_score(user=request.user, community_id=community_id,
                                                      month=selectors.parse_month(month))
    return _area(score, events=True)


@router.get("/grids/{grid_id}", response=AreaOut, summary="一个网格的平安指数、各因子扣分及其事件")
def grid(request, grid_id: int, month: str = ""):
    _place, score = selectors.grid_score(user=request.user, grid_id=grid_id, month=selectors.parse_month(month))
    return _area(score, events=True)


class TrendPoint(Schema):
    month: str
    score: float
    communities: dict[str, float]  # 居委 id → score


@router.get("/trend", response=list[TrendPoint], summary="平安指数趋势：截至 ?month= 的近 ?months= 个月（默认 12）")
def trend(request, month: str = "", months: int = 12):
    result = selectors.trend(user=request.user, month=selectors.parse_month(month), months=months)
    return [{"month": f"{m.month:%Y-%m}", "score": m.subdistrict.score,
             "communities": {str(a.id): a.score for a in m.communities}} for m in result]


class WeightOut(Schema):
    code: str
    name: str
    weight: float
    saturation: float
    enabled: bool
    installed: bool
    custom: bool


class WeightIn(Schema):
    weight: float
    saturation: float
    enabled: bool = True


@router.get("/weights", response=list[WeightOut], summary="平安指数因子与权重（系统管理员）")
def weight_list(request):
    return selectors.weights(user=request.user)


@router.put("/weights/{code}", response=WeightOut, summary="设置一个因子的权重与满扣阈值（系统管理员）")
def set_weight(request, code: str, body: WeightIn):
    services.set_weight(by=request.user, code=code, weight=body.weight, saturation=body.saturation,
                        enabled=body.enabled)
    return next(r for r in selectors.weights(user=request.user) if r["code"] == code)
