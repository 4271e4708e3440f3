"""Indicators with their latest value, status and trend; values; definitions; data elements."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import CharField, TextField
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from jiedao.core.api_frame import require
from jiedao.core.roles import Perm
from jiedao.planning import elements, selectors, services
from jiedao.planning.api.common import number, period_or_none, plans_for
from jiedao.planning.models import Indicator
from jiedao.planning.selectors import IndicatorRow

router = Router(tags=["planning"])


# ------------------------------------------------------------------------------------------ indicators
class LatestOut(Schema):
    value: float | None
    achieved: bool | None
    period: str
    period_label: str
    origin: str


class IndicatorOut(Schema):
    id: int
    plan: int
    code: str
    name: str
    unit: str
    chapter: int | None
    direction: str
    binding: str
    source: str
    measure: str
    baseline: float | None
    baseline_year: int | None
    target: float | None
    target_year: int | None
    target_note: str
    lead_unit: str | None
    latest: LatestOut | None
    status: str
    status_label: str
    trend: str
    trend_label: str
    problem: str


class ValueOut(Schema):
    id: int | None
    period: str
    year: int
    quarter: int
    value: float | None
    achieved: bool | None
    origin: str
    evidence: str
    reporter: str
    unit: str | None


class IndicatorDetailOut(IndicatorOut):
    description: str
    numerator: str
    denominator: str
    factor: float
    baseline_note: str
    baseline_source_text: str
    target_source_text: str
    source_text: str
    values: list[ValueOut]


def _indicator_out(row: IndicatorRow) -> dict:
    i, latest = row.indicator, row.latest
    return {
        "id": i.pk, "plan": i.plan_id, "code": i.code, "name": i.name, "unit": i.unit,
        "chapter": i.chapter.number if i.chapter_id else None, "direction": i.direction, "binding": i.binding,
        "source": i.source, "measure": i.measure, "baseline": number(i.baseline), "baseline_year": i.baseline_year,
        "target": number(i.target), "target_year": i.target_year, "target_note": i.target_note,
        "lead_unit": i.lead_unit.name if i.lead_unit_id else None,
        "latest": None if latest is None else {
            "value": number(latest.value), "achieved": latest.achieved, "period": latest.period.code,
            "period_label": latest.period.label, "origin": latest.origin},
        "status": row.health, "status_label": row.health_label, "trend": row.trend, "trend_label": row.trend_label,
        "problem": row.problem,
    }


def _value_out(point) -> dict:
    row = point.row
    return {
        "id": row.pk if row else None, "period": point.period.code, "year": point.period.year,
        "quarter": point.period.quarter, "value": number(point.value), "achieved": point.achieved,
        "origin": point.origin,
        "evidence": row.evidence if row else "", "reporter": row.reporter_name if row else "",
        "unit": row.unit.name if row and row.unit_id else None,
    }


@router.get("/indicators", response=list[IndicatorOut], summary="指标（含最新值、对标状态与趋势）")
@paginate(LimitOffsetPagination)
def indicators(request, plan: int | None = None, chapter: int | None = None, period: str | None = None,
               status: str | None = None):
    require(request, Perm.VIEW_PLANNING)
    as_of = period_or_none(period)
    # An indicator's "status" on the API is its health (对标状态); an error names the parameter the client sent.
    filters = {"chapter": chapter, "health": status}
    try:
        return [
            _indicator_out(row) for p in plans_for(request, plan)
            for row in selectors.indicator_rows(user=request.user, plan=p, as_of=as_of, filters=filters)
        ]
    except ValidationError as exc:
        raise ValidationError({"status" if k == "health" else k: v for k, v in exc.error_dict.items()}) from exc


def _indicator_detail(indicator) -> dict:
    row = selectors.indicator_history(indicator=indicator)
    return {
        **_indicator_out(row), "description": indicator.description, "numerator": indicator.numerator,
        "denominator": indicator.denominator, "factor": float(indicator.factor),
        "baseline_note": indicator.baseline_note, "baseline_source_text": indicator.baseline_source_text,
        "target_source_text": indicator.target_source_text, "source_text": indicator.source_text,
        "values": [_value_out(p) for p in row.points],
    }


@router.get("/indicators/{indicator_id}", response=IndicatorDetailOut, summary="指标详情与各期数值")
def indicator_detail(request, indicator_id: int):
    require(request, Perm.VIEW_PLANNING)
    return _indicator_detail(selectors.get_indicator(user=request.user, indicator_id=indicator_id))


class ValueIn(Schema):
    year: int
    quarter: int = 0
    value: str | float | None = None
    unit: str | None = None
    achieved: bool | None = None
    evidence: str = ""
    note: str = ""


@router.post("/indicators/{indicator_id}/values", response=ValueOut, summary="填报指标值（牵头单位）")
def submit_value(request, indicator_id: int, body: ValueIn):
    indicator = selectors.get_indicator(user=request.user, indicator_id=indicator_id)
    row = services.submit_indicator_value(
        indicator=indicator, by=request.user, year=body.year, quarter=body.quarter, value=body.value,
        unit=body.unit, achieved=body.achieved, evidence=body.evidence, note=body.note,
    )
    return _value_out(selectors.Point(row.period, row.value, row.achieved, row.origin, row))


class IndicatorPatchIn(Schema):
    name: str | None = None
    description: str | None = None
    unit: str | None = None
    numerator: str | None = None
    denominator: str | None = None
    factor: float | None = None
    baseline: float | None = None
    baseline_year: int | None = None
    target: float | None = None
    target_year: int | None = None
    target_note: str | None = None
    public: bool | None = None


def _nulls_read(changes: dict) -> dict:
    """An explicit null clears a field that may be empty (text to "", a number to none); for one that must
    have a value (the name, the factor, public) it is refused, naming the field."""
    errors = {}
    for name, value in changes.items():
        field = Indicator._meta.get_field(name)
        if value is not None or field.null:
            continue
        if field.blank and isinstance(field, CharField | TextField):
            changes[name] = ""
        else:
            errors[name] = [_("不能为空")]
    if errors:
        raise ValidationError(errors)
    return changes


@router.patch("/indicators/{indicator_id}", response=IndicatorDetailOut, summary="修改指标定义（规划管理）")
def update_indicator(request, indicator_id: int, body: IndicatorPatchIn):
    indicator = selectors.get_indicator(user=request.user, indicator_id=indicator_id)
    changes = _nulls_read(body.dict(exclude_unset=True))
    for name in ("factor", "baseline", "target"):
        if changes.get(name) is not None:
            changes[name] = Decimal(str(changes[name]))
    services.update_indicator(indicator=indicator, by=request.user, **changes)
    return _indicator_detail(indicator)


class ElementOut(Schema):
    code: str
    name: str
    unit: str
    definition: str
    source: str
    available: bool
    unavailable: str


@router.get("/elements", response=list[ElementOut], summary="公式可用的数据元素")
def data_elements(request):
    require(request, Perm.VIEW_PLANNING)
    return [{"code": e.code, "name": str(e.name), "unit": e.unit, "definition": str(e.definition),
             "source": str(e.source), "available": e.available, "unavailable": str(e.unavailable)}
            for e in elements.registered().values()]
