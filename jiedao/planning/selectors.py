"""Reads of the planning module. Staff reads start from the user's scope (core.scope); the public
disclosure reads (``public_*``) select only published plans and only the fields meant for everyone."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from jiedao.core.access import get_in_scope
from jiedao.core.models import Department
from jiedao.core.scope import scope_of
from jiedao.planning import elements
from jiedao.planning import status as legend
from jiedao.planning.computation import evaluate_indicator
from jiedao.planning.filters import IndicatorFilter, ProjectFilter
from jiedao.planning.models import (
    Chapter,
    Evaluation,
    Indicator,
    IndicatorValue,
    Plan,
    ProgressReport,
    Project,
    ProjectStatus,
    ProjectTarget,
)
from jiedao.planning.periods import Period, current_quarter


# ------------------------------------------------------------------------------------------------ plans
def plan_list(*, user) -> QuerySet[Plan]:
    """Plans of the user's subdistrict(s)."""
    return Plan.objects.within(scope_of(user)).select_related("subdistrict")


def get_plan(*, user, plan_id: int) -> Plan:
    return get_in_scope(Plan.objects.select_related("subdistrict"), user=user, pk=plan_id)


def get_indicator(*, user, indicator_id: int) -> Indicator:
    return get_in_scope(
        Indicator.objects.select_related("plan", "lead_unit", "chapter", "section", "goal"), user=user, pk=indicator_id
    )


def get_project(*, user, project_id: int) -> Project:
    return get_in_scope(
        Project.objects.select_related("plan", "lead_unit", "chapter", "section"), user=user, pk=project_id
    )


def get_evaluation(*, user, evaluation_id: int) -> Evaluation:
    return get_in_scope(Evaluation.objects.select_related("plan", "updated_by"), user=user, pk=evaluation_id)


def chapters_of(*, plan: Plan) -> QuerySet[Chapter]:
    return plan.chapters.prefetch_related("sections__tasks")


def default_as_of(*, plan: Plan, today=None) -> Period:
    """The period a view shows by default: the current quarter, or the plan's last year once it is over."""
    now = current_quarter(today or timezone.localdate())
    if now.year > plan.end_year:
        return Period(plan.end_year, 0)
    if now.year < plan.start_year:
        return Period(plan.start_year, 1)
    return now


# ------------------------------------------------------------------------------------------ indicators
@dataclass
class Point:
    period: Period
    value: Decimal | None = None
    achieved: bool | None = None
    origin: str = IndicatorValue.Origin.ENTERED  # or "live": computed now, not stored
    row: IndicatorValue | None = None

    @property
    def display(self) -> str:
        if self.achieved is not None:
            return _("是") if self.achieved else _("否")
        return "" if self.value is None else format_number(self.value)


@dataclass
class IndicatorRow:
    indicator: Indicator
    points: list[Point]
    latest: Point | None
    assessment: legend.Assessment
    trend: str
    problem: str = ""  # why there is no value: a source not connected, a zero denominator

    @property
    def health(self) -> str:
        return self.assessment.health

    @property
    def health_label(self) -> str:
        return str(legend.Health(self.assessment.health).label)

    @property
    def trend_label(self) -> str:
        return str(legend.Trend(self.trend).label)

    def value_in(self, period: Period) -> Point | None:
        return next((p for p in self.points if p.period == period), None)

    @property
    def sources(self) -> list[str]:
        """Where a computed indicator's figures come from: the sources of its connected data elements, each
        once (an unconnected one is named in ``problem`` instead)."""
        if not self.indicator.is_computed:
            return []
        found = [elements.get(code) for code in self.indicator.element_codes()]
        return list(dict.fromkeys(str(e.source) for e in found if e is not None and e.available))


def format_number(value: Decimal | None) -> str:
    """1.0200 → 1.02, 89716.0000 → 89,716."""
    if value is None:
        return ""
    text = f"{value.normalize():,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _assess(indicator: Indicator, point: Point | None) -> legend.Assessment:
    if point is None:
        return legend.Assessment(legend.Health.NO_DATA)
    if indicator.is_milestone:
        return legend.assess_milestone(achieved=point.achieved, period=point.period, target_year=indicator.target_year)
    return legend.assess_numeric(
        value=point.value, period=point.period, higher_is_better=indicator.higher_is_better, target=indicator.target,
        target_year=indicator.target_year, baseline=indicator.baseline, baseline_year=indicator.baseline_year,
    )


def build_indicator_rows(*, indicators, as_of: Period, live: bool = True) -> list[IndicatorRow]:
    """Rows for ``indicators`` (an iterable with ``values`` prefetched or not) as of a period.

    Computed indicators without a stored value for ``as_of`` are evaluated now from live data, when
    ``as_of`` has begun; elements whose module is not connected give the reason instead of a value.
    """
    rows, cache = [], {}
    today = timezone.localdate()
    for indicator in indicators:
        points = [
            Point(v.period, v.value, v.achieved, v.origin, v)
            for v in sorted(indicator.values.all(), key=lambda v: v.period.sort_key)
            if v.period.sort_key <= as_of.sort_key
        ]
        problem, unconnected = "", False
        if indicator.is_computed and live and as_of.start <= today and not any(p.period == as_of for p in points):
            computed = evaluate_indicator(indicator, as_of, cache=cache)
            if computed.ok:
                points.append(Point(as_of, computed.value, None, "live"))
            else:
                problem, unconnected = computed.problem, bool(computed.unavailable)
        latest = points[-1] if points else None
        if unconnected and latest is None:
            assessment = legend.Assessment(legend.Health.UNAVAILABLE)
        else:
            assessment = _assess(indicator, latest)
        same_grain = [p for p in points if latest and (p.period.quarter == 0) == (latest.period.quarter == 0)]
        series = [p.achieved if indicator.is_milestone else p.value for p in same_grain]
        trend = legend.trend(series, higher_is_better=True if indicator.is_milestone else indicator.higher_is_better)
        rows.append(IndicatorRow(indicator, points, latest, assessment, trend, problem))
    return rows


def _indicators_qs(base: QuerySet[Indicator], *, plan: Plan, as_of: Period):
    qs = base.filter(plan=plan).select_related("lead_unit", "chapter", "goal", "plan")
    values = IndicatorValue.objects.filter(year__lte=as_of.year)
    return qs.prefetch_related(Prefetch("values", queryset=values))


def indicator_rows(*, user, plan: Plan, as_of: Period | None = None, filters: dict | None = None) -> list[IndicatorRow]:
    """The plan's indicators with their values, status and trend, as the user may see them, narrowed by
    ``IndicatorFilter`` (chapter, health)."""
    as_of = as_of or default_as_of(plan=plan)
    found = IndicatorFilter(filters, queryset=Indicator.objects.within(scope_of(user)))
    rows = build_indicator_rows(indicators=_indicators_qs(found.qs, plan=plan, as_of=as_of), as_of=as_of)
    health = found.form.cleaned_data["health"]
    return [r for r in rows if r.health == health] if health else rows


def indicator_history(*, indicator: Indicator, as_of: Period | None = None) -> IndicatorRow:
    as_of = as_of or default_as_of(plan=indicator.plan)
    qs = _indicators_qs(Indicator.objects.filter(pk=indicator.pk), plan=indicator.plan, as_of=as_of)
    return build_indicator_rows(indicators=qs, as_of=as_of)[0]


# -------------------------------------------------------------------------------------------- projects
@dataclass
class ProjectRow:
    project: Project
    report: ProgressReport | None  # the latest report up to the period
    progress: int | None
    status: str
    planned: Decimal
    assessment: legend.Assessment
    reported_in_period: bool = False
    reports: list[ProgressReport] = field(default_factory=list)

    @property
    def health(self) -> str:
        return self.assessment.health

    @property
    def health_label(self) -> str:
        if self.assessment.health == legend.Health.ACHIEVED:
            return str(ProjectStatus.COMPLETED.label)
        return str(legend.Health(self.assessment.health).label)

    @property
    def status_label(self) -> str:
        return str(ProjectStatus(self.status).label)


def _quarter_cap(as_of: Period) -> tuple[int, int]:
    return (as_of.year, 4 if as_of.quarter == 0 else as_of.quarter)


def build_project_rows(*, projects, as_of: Period) -> list[ProjectRow]:
    cap = _quarter_cap(as_of)
    rows = []
    for project in projects:
        reports = [r for r in project.reports.all() if (r.year, r.quarter) <= cap]
        reports.sort(key=lambda r: (r.year, r.quarter))
        report = reports[-1] if reports else None
        targets = {t.year: t.progress for t in project.annual_targets.all()}
        planned = legend.planned_progress(
            as_of, annual_targets=targets, start_year=project.start_year, end_year=project.end_year
        )
        status = report.status if report else ProjectStatus.NOT_STARTED
        progress = report.progress if report else (0 if planned == 0 else None)
        assessment = legend.assess_project(
            progress=progress, completed=status == ProjectStatus.COMPLETED,
            suspended=status == ProjectStatus.SUSPENDED, period=as_of, planned=planned,
        )
        in_period = report is not None and (report.year, report.quarter) == cap
        rows.append(ProjectRow(project, report, progress, status, planned, assessment, in_period, reports))
    return rows


def _projects_qs(base: QuerySet[Project], *, plan: Plan, as_of: Period):
    qs = base.filter(plan=plan).select_related("lead_unit", "chapter", "plan")
    return qs.prefetch_related(
        Prefetch("reports", queryset=ProgressReport.objects.filter(year__lte=as_of.year).select_related("unit")),
        Prefetch("annual_targets", queryset=ProjectTarget.objects.all()),
    )


def project_rows(*, user, plan: Plan, as_of: Period | None = None, filters: dict | None = None) -> list[ProjectRow]:
    """The plan's projects with their latest report, planned progress and status, within the user's scope,
    narrowed by ``ProjectFilter`` (chapter, category, lead unit, status, health)."""
    as_of = as_of or default_as_of(plan=plan)
    found = ProjectFilter(filters, queryset=Project.objects.within(scope_of(user)))
    rows = build_project_rows(projects=_projects_qs(found.qs, plan=plan, as_of=as_of), as_of=as_of)
    status, health = found.form.cleaned_data["status"], found.form.cleaned_data["health"]
    if status:
        rows = [r for r in rows if r.status == status]
    if health:
        rows = [r for r in rows if r.health == health]
    return rows


def project_detail(*, project: Project, as_of: Period | None = None) -> ProjectRow:
    as_of = as_of or default_as_of(plan=project.plan)
    qs = _projects_qs(Project.objects.filter(pk=project.pk), plan=project.plan, as_of=as_of)
    qs = qs.prefetch_related("milestones", "reports__attachments")
    return build_project_rows(projects=qs, as_of=as_of)[0]


# ------------------------------------------------------------------------------------------- reporting
@dataclass
class UnitReporting:
    unit: Department
    projects_due: list[Project] = field(default_factory=list)
    projects_missing: list[Project] = field(default_factory=list)
    indicators_due: list[Indicator] = field(default_factory=list)
    indicators_missing: list[Indicator] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.projects_missing and not self.indicators_missing

    @property
    def due(self) -> int:
        return len(self.projects_due) + len(self.indicators_due)

    @property
    def missing(self) -> int:
        return len(self.projects_missing) + len(self.indicators_missing)


def reporting_status(*, user, plan: Plan, period: Period) -> list[UnitReporting]:
    """Per lead unit, what it had to report for a quarter and what it has not (未填报): every project
    that has started and was not completed before the quarter, every entered indicator (a whole-year
    value counts for the fourth quarter). Units with something missing come first."""
    scope = scope_of(user)
    units: dict[int, UnitReporting] = {}
    projects = (
        Project.objects.within(scope).filter(plan=plan, start_year__lte=period.year, lead_unit__isnull=False)
        .select_related("lead_unit").prefetch_related(
            Prefetch("reports", queryset=ProgressReport.objects.filter(year__lte=period.year)))
    )
    for project in projects:
        earlier = [r for r in project.reports.all() if (r.year, r.quarter) < (period.year, period.quarter)]
        if any(r.status == ProjectStatus.COMPLETED for r in earlier):
            continue
        entry = units.setdefault(project.lead_unit_id, UnitReporting(project.lead_unit))
        entry.projects_due.append(project)
        if not any((r.year, r.quarter) == (period.year, period.quarter) for r in project.reports.all()):
            entry.projects_missing.append(project)
    accepted = {(period.year, period.quarter)} | ({(period.year, 0)} if period.quarter == 4 else set())
    indicators = (
        Indicator.objects.within(scope).filter(plan=plan, source=Indicator.Source.ENTERED, lead_unit__isnull=False)
        .select_related("lead_unit").prefetch_related(
            Prefetch("values", queryset=IndicatorValue.objects.filter(year=period.year)))
    )
    for indicator in indicators:
        entry = units.setdefault(indicator.lead_unit_id, UnitReporting(indicator.lead_unit))
        entry.indicators_due.append(indicator)
        if not any((v.year, v.quarter) in accepted for v in indicator.values.all()):
            entry.indicators_missing.append(indicator)
    return sorted(units.values(), key=lambda u: (u.complete, u.unit.code))


def my_reporting(*, user, plan: Plan, period: Period) -> UnitReporting | None:
    """What the user's own unit has to report for the period (for lead units' reporters)."""
    if not user.department_id:
        return None
    return next((u for u in reporting_status(user=user, plan=plan, period=period) if u.unit.pk == user.department_id),
                None)


# ------------------------------------------------------------------------------------------ summaries
def health_counts(*, rows) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for row in rows:
        counts[row.health] += 1
    return {h: counts.get(h, 0) for h in legend.Health.values}


def evaluations_of(*, user, plan: Plan) -> QuerySet[Evaluation]:
    return Evaluation.objects.within(scope_of(user)).filter(plan=plan).select_related("updated_by")


def evaluation_as_of(*, evaluation: Evaluation, today=None) -> Period:
    """The period an evaluation reports on: its year's end, or the current quarter within the year."""
    now = current_quarter(today or timezone.localdate())
    if evaluation.year >= now.year:
        return now
    return Period(evaluation.year, 0)


# --------------------------------------------------------------------------------------------- public
def public_plans() -> QuerySet[Plan]:
    """Published plans of every subdistrict: 信息公开 needs no sign-in."""
    return Plan.objects.filter(published=True).select_related("subdistrict")


def public_plan(*, plan_id: int) -> Plan:
    plan = public_plans().filter(pk=plan_id).first()
    if plan is None:
        raise Http404
    return plan


def public_indicator_rows(*, plan: Plan) -> list[IndicatorRow]:
    as_of = default_as_of(plan=plan)
    qs = _indicators_qs(Indicator.objects.filter(public=True), plan=plan, as_of=as_of)
    return build_indicator_rows(indicators=qs, as_of=as_of)


def public_project_rows(*, plan: Plan) -> list[ProjectRow]:
    as_of = default_as_of(plan=plan)
    return build_project_rows(projects=_projects_qs(Project.objects.filter(public=True), plan=plan, as_of=as_of),
                              as_of=as_of)


def projects_completed(*, subdistrict_id: int, by: dt.date, category: str | None = None) -> int:
    """Plan projects of the subdistrict completed on or before ``by``, optionally of one category (planning's
    own data elements in ``planning.contributions``)."""
    qs = Project.objects.filter(subdistrict_id=subdistrict_id, completed_on__lte=by)
    return (qs.filter(category=category) if category else qs).count()
