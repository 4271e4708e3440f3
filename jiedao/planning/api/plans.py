"""Plans with their text and goals, who has not reported, evaluations."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Router, Schema

from jiedao.core.api_frame import require
from jiedao.core.roles import Perm
from jiedao.planning import selectors, services
from jiedao.planning.models import Evaluation
from jiedao.planning.periods import parse_period

router = Router(tags=["planning"])


# ------------------------------------------------------------------------------------------------ plans
class PlanOut(Schema):
    id: int
    code: str
    name: str
    subdistrict: str
    start_year: int
    end_year: int
    baseline_year: int
    published: bool


class TaskOut(Schema):
    title: str
    text: str


class SectionOut(Schema):
    number: int
    title: str
    text: str
    tasks: list[TaskOut]


class ChapterOut(Schema):
    number: int
    heading: str
    title: str
    kind: str
    sections: list[SectionOut]


class GoalOut(Schema):
    kind: str
    number: int
    title: str
    text: str
    source_text: str


class PlanDetailOut(PlanOut):
    summary: str
    goals: list[GoalOut]
    chapters: list[ChapterOut]


def _plan_out(plan) -> dict:
    return {"id": plan.pk, "code": plan.code, "name": plan.name, "subdistrict": plan.subdistrict.name,
            "start_year": plan.start_year, "end_year": plan.end_year, "baseline_year": plan.baseline_year,
            "published": plan.published}


@router.get("/plans", response=list[PlanOut], summary="规划列表")
def plans(request):
    require(request, Perm.VIEW_PLANNING)
    return [_plan_out(p) for p in selectors.plan_list(user=request.user)]


@router.get("/plans/{plan_id}", response=PlanDetailOut, summary="规划详情：章、节、任务与目标")
def plan_detail(request, plan_id: int):
    require(request, Perm.VIEW_PLANNING)
    plan = selectors.get_plan(user=request.user, plan_id=plan_id)
    chapters = [
        {"number": c.number, "heading": c.heading, "title": c.title, "kind": c.kind, "sections": [
            {"number": s.number, "title": s.title, "text": s.text,
             "tasks": [{"title": t.title, "text": t.text} for t in s.tasks.all()]}
            for s in c.sections.all()]}
        for c in selectors.chapters_of(plan=plan)
    ]
    return {**_plan_out(plan), "summary": plan.summary, "chapters": chapters, "goals": list(plan.goals.all())}


# ------------------------------------------------------------------------------------------- reporting
class UnitReportingOut(Schema):
    unit: str
    unit_code: str
    due: int
    missing: int
    projects_missing: list[str]
    indicators_missing: list[str]


@router.get("/reporting", response=list[UnitReportingOut], summary="各牵头单位某季度的填报情况（未填报清单）")
def reporting(request, plan: int, period: str):
    require(request, Perm.VIEW_PLANNING)
    the_plan = selectors.get_plan(user=request.user, plan_id=plan)
    quarter = parse_period(period)
    if quarter.quarter == 0:
        raise ValidationError({"period": _("填报情况按季度查看，例如 2025Q4")})
    return [
        {"unit": u.unit.name, "unit_code": u.unit.code, "due": u.due, "missing": u.missing,
         "projects_missing": [p.name for p in u.projects_missing],
         "indicators_missing": [i.name for i in u.indicators_missing]}
        for u in selectors.reporting_status(user=request.user, plan=the_plan, period=quarter)
    ]


# ----------------------------------------------------------------------------------------- evaluations
class EvaluationOut(Schema):
    id: int
    plan: int
    kind: str
    kind_label: str
    year: int
    summary: str
    achievements: str
    problems: str
    next_steps: str


class EvaluationIn(Schema):
    plan: int
    kind: str
    year: int | None = None


def _evaluation_out(e: Evaluation) -> dict:
    return {"id": e.pk, "plan": e.plan_id, "kind": e.kind, "kind_label": str(e.get_kind_display()), "year": e.year,
            **{f: getattr(e, f) for f in Evaluation.NARRATIVE_FIELDS}}


@router.get("/evaluations", response=list[EvaluationOut], summary="评估报告（年度跟踪、中期、期末）")
def evaluations(request, plan: int):
    require(request, Perm.VIEW_PLANNING)
    the_plan = selectors.get_plan(user=request.user, plan_id=plan)
    return [_evaluation_out(e) for e in selectors.evaluations_of(user=request.user, plan=the_plan)]


@router.post("/evaluations", response=EvaluationOut, summary="新建评估报告（规划管理）")
def create_evaluation(request, body: EvaluationIn):
    the_plan = selectors.get_plan(user=request.user, plan_id=body.plan)
    return _evaluation_out(services.create_evaluation(plan=the_plan, kind=body.kind, year=body.year, by=request.user))
