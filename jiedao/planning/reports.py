"""Evaluation reports (年度跟踪监测, 中期评估, 期末全面评估) assembled from the data, for the print-ready
HTML page, the XLSX workbook and, where WeasyPrint is installed, PDF."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from jiedao.core.charts import line_chart, sparkline, stacked_bar
from jiedao.planning import selectors, units
from jiedao.planning.models import Chapter, Evaluation, Indicator
from jiedao.planning.periods import Period
from jiedao.planning.selectors import IndicatorRow, ProjectRow, format_number
from jiedao.planning.status import HEALTH_COLOURS, Health


@dataclass
class ChapterPart:
    chapter: Chapter | None
    indicators: list[IndicatorRow]
    projects: list[ProjectRow]


@dataclass
class Report:
    evaluation: Evaluation
    as_of: Period
    years: list[int]
    parts: list[ChapterPart]
    indicators: list[IndicatorRow]
    projects: list[ProjectRow]
    indicator_counts: dict[str, int]
    project_counts: dict[str, int]
    binding: list[IndicatorRow]
    reporting_period: Period
    reporting: list[selectors.UnitReporting]

    @property
    def plan(self):
        return self.evaluation.plan

    @property
    def title(self) -> str:
        return _("%(plan)s · %(year)s年%(kind)s") % {
            "plan": self.plan.name, "year": self.evaluation.year, "kind": self.evaluation.get_kind_display()}

    @property
    def units_missing(self) -> list[selectors.UnitReporting]:
        return [u for u in self.reporting if not u.complete]


def year_point(row: IndicatorRow, year: int) -> selectors.Point | None:
    """The value that stands for a year: its annual value, or else its last quarter's."""
    in_year = [p for p in row.points if p.period.year == year]
    annual = [p for p in in_year if p.period.quarter == 0]
    return (annual or in_year or [None])[-1]


def build_report(*, user, evaluation: Evaluation) -> Report:
    """Everything an evaluation shows, from the data as it stands: each indicator's and project's status
    at the evaluation's period, grouped by chapter, with who has not reported for its last quarter."""
    plan = evaluation.plan
    as_of = selectors.evaluation_as_of(evaluation=evaluation)
    indicators = selectors.indicator_rows(user=user, plan=plan, as_of=as_of)
    projects = selectors.project_rows(user=user, plan=plan, as_of=as_of)
    parts = []
    for chapter in plan.chapters.all():
        ind = [r for r in indicators if r.indicator.chapter_id == chapter.pk]
        proj = [r for r in projects if r.project.chapter_id == chapter.pk]
        if ind or proj:
            parts.append(ChapterPart(chapter, ind, proj))
    loose_ind = [r for r in indicators if r.indicator.chapter_id is None]
    loose_proj = [r for r in projects if r.project.chapter_id is None]
    if loose_ind or loose_proj:
        parts.append(ChapterPart(None, loose_ind, loose_proj))
    reporting_period = Period(as_of.year, as_of.quarter or 4)
    return Report(
        evaluation=evaluation, as_of=as_of, years=list(range(plan.start_year, as_of.year + 1)), parts=parts,
        indicators=indicators, projects=projects,
        indicator_counts=selectors.health_counts(rows=indicators),
        project_counts=selectors.health_counts(rows=projects),
        binding=[r for r in indicators if r.indicator.binding == Indicator.Binding.BINDING],
        reporting_period=reporting_period,
        reporting=selectors.reporting_status(user=user, plan=plan, period=reporting_period),
    )


def health_labels(*, projects: bool = False) -> dict[str, str]:
    labels = {h.value: str(h.label) for h in Health}
    if projects:
        labels[Health.ACHIEVED] = _("已完成")
    return labels


def health_chart(counts: dict[str, int], *, title: str, projects: bool = False) -> SafeString:
    """How many indicators (or projects) are in each status, as one bar in the status colours."""
    return stacked_bar(counts, title=title, labels=health_labels(projects=projects), colours=HEALTH_COLOURS)


def charts(report: Report) -> dict:
    """The report's SVG charts: status of indicators and projects, and each binding indicator's path."""
    lines = {}
    for row in report.binding + [r for r in report.indicators if r not in report.binding]:
        ind = row.indicator
        if ind.is_milestone or not row.points:
            continue
        series = [(str(y), (p.value if (p := year_point(row, y)) else None)) for y in report.years]
        if ind.baseline is not None:
            series.insert(0, (f"{ind.baseline_year}", ind.baseline if ind.measure == ind.Measure.LEVEL else None))
        lines[ind.pk] = line_chart(series, title=ind.name, unit=units.suffix(ind.unit), target=ind.target,
                                   baseline=ind.baseline if ind.measure == ind.Measure.LEVEL else None)
    return {
        "indicators": health_chart(report.indicator_counts, title=_("指标状态")),
        "projects": health_chart(report.project_counts, title=_("项目状态"), projects=True),
        "lines": lines,
    }


def sparkline_for(row: IndicatorRow, years: list[int]) -> SafeString:
    values = []
    for y in years:
        p = year_point(row, y)
        values.append(None if p is None else (Decimal(int(p.achieved)) if p.achieved is not None else p.value))
    return sparkline(values, title=row.indicator.name)


def display(value: Decimal | None) -> str:
    return format_number(value)
