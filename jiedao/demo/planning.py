"""Demo rows for the planning module: the Caoyang plan, and five years of synthetic reporting on it.

The plan itself is the seed's, as a data file (``data/caoyang-plan.json``). Everything about its
*execution* here is invented and flagged ``synthetic``: project schedules, annual targets, milestones,
quarterly reports, entered indicator values and the evaluations' narrative. Computed indicators are
computed from the demo's registry. A few units leave the last quarter unreported so that "未填报" has
something to show.
"""

import datetime as dt
import json
import random
from decimal import Decimal
from pathlib import Path

from jiedao.core.models import Department, Subdistrict, User
from jiedao.core.roles import Role, ScopeLevel
from jiedao.demo.people import demo_password_hash
from jiedao.planning import services
from jiedao.planning.models import (
    Evaluation,
    Indicator,
    IndicatorValue,
    Milestone,
    Plan,
    ProgressReport,
    Project,
    ProjectStatus,
    ProjectTarget,
)
from jiedao.planning.periods import Period

SEED = 20210101
LATE_UNITS = ("JJB", "SWS")  # leave 2025Q4 unreported, for the 未填报 list
PLAN_FILE = Path(__file__).resolve().parent / "data" / "caoyang-plan.json"


def plan_document() -> dict:
    """The Caoyang 14th Five-Year plan as its data file holds it (the format: docs/planning.md)."""
    return json.loads(PLAN_FILE.read_text(encoding="utf-8"))


def ensure_departments(subdistrict: Subdistrict, document: dict) -> dict[str, Department]:
    """The lead units the plan names, created when the subdistrict does not have them yet."""
    out = {}
    for row in document["departments"]:
        out[row["code"]], _ = Department.objects.get_or_create(
            subdistrict=subdistrict, code=row["code"], defaults={"name": row["name"], "kind": row["kind"]})
    return out


def build(*, builder, subdistrict: Subdistrict) -> Plan:
    """Load the plan into the demo subdistrict and simulate its execution, deterministically."""
    document = plan_document()
    departments = ensure_departments(subdistrict, document)
    plan = services.load_plan(subdistrict=subdistrict, document=document, replace=True)
    plan.published = True
    plan.save(update_fields=["published"])
    rng = random.Random(SEED)
    reporters = _reporters(subdistrict, departments, document)
    reports = _projects(plan, rng, reporters)
    values = _entered_values(plan, rng, reporters)
    for year in plan.years:
        services.record_computed_values(plan=plan, period=Period(year, 0))
    _evaluations(plan)
    builder.counts["plan_reports"] = reports
    builder.counts["plan_values"] = values
    builder.log(f"  规划填报账号（密码同上）：{', '.join(u.username for u in reporters.values())}")
    return plan


def _reporters(subdistrict, departments, document: dict) -> dict[int, User]:
    used = {row["lead_unit"] for row in [*document["indicators"], *document["projects"]]}
    out = {}
    for code in sorted(used):
        dept = departments[code]
        user, _ = User.objects.get_or_create(username=f"plan_{code.lower()}", defaults={
            "first_name": f"{dept.name} 填报员", "role": Role.HANDLER, "subdistrict": subdistrict,
            "scope_level": ScopeLevel.DEPARTMENT, "department": dept, "password": demo_password_hash()})
        out[dept.pk] = user
    return out


def _projects(plan: Plan, rng: random.Random, reporters: dict[int, User]) -> int:
    targets, milestones, reports = [], [], []
    last = Period(plan.end_year, 4)
    projects = list(plan.projects.select_related("lead_unit"))
    for project in projects:
        start = rng.choice((2021, 2021, 2022, 2022, 2023))
        end = min(plan.end_year, start + rng.choice((1, 2, 2, 3)))
        project.start_year, project.end_year = start, end
        span = end - start + 1
        for k, year in enumerate(range(start, end + 1), start=1):
            share = round(100 * k / span)
            targets.append(ProjectTarget(
                subdistrict_id=plan.subdistrict_id, project=project, year=year, progress=share,
                target=("完成竣工验收" if share == 100 else f"完成总工程量的 {share}%")))
        # pace < 1: the project runs late; a few are suspended in their last planned year.
        pace = rng.choices((1.15, 1.0, 0.85, 0.6), (3, 4, 2, 1))[0]
        suspended = rng.random() < 0.04
        reporter = reporters[project.lead_unit_id]
        mine: list[ProgressReport] = []
        progress, quarters = 0, 0
        for period in [Period(y, q) for y in range(start, plan.end_year + 1) for q in (1, 2, 3, 4)]:
            if project.lead_unit.code in LATE_UNITS and period == last:
                break
            quarters += 1
            planned = 100 * quarters / (span * 4)
            progress = max(progress, min(100, round(planned * pace + rng.uniform(-3, 3))))
            status = ProjectStatus.COMPLETED if progress == 100 else (
                ProjectStatus.SUSPENDED if suspended and period.year == end else ProjectStatus.IN_PROGRESS)
            mine.append(ProgressReport(
                subdistrict_id=plan.subdistrict_id, project=project, year=period.year, quarter=period.quarter,
                progress=progress, status=status, synthetic=True, note=_NOTES[status].format(p=progress),
                public_note=_PUBLIC[status].format(p=progress), reported_by=reporter,
                reporter_name=reporter.first_name, unit_id=project.lead_unit_id,
            ))
            if status == ProjectStatus.COMPLETED:
                project.completed_on = period.end
                break
        if mine:
            project.progress, project.status = mine[-1].progress, mine[-1].status
            project.last_reported_at = dt.datetime.combine(mine[-1].period.end, dt.time(9), tzinfo=dt.UTC)
        reports += mine
        steps = [("立项", dt.date(start, 3, 31), dt.date(start, 3, 20)),
                 ("开工", dt.date(start, 9, 30), dt.date(start, 9, 10)),
                 ("竣工", dt.date(end, 12, 31), project.completed_on)]
        milestones += [
            Milestone(subdistrict_id=plan.subdistrict_id, project=project, order=order, name=name, due=due,
                      done_on=done)
            for order, (name, due, done) in enumerate(steps, start=1)
        ]
    Project.objects.bulk_update(
        projects, ["start_year", "end_year", "progress", "status", "completed_on", "last_reported_at"])
    ProjectTarget.objects.bulk_create(targets)
    Milestone.objects.bulk_create(milestones)
    ProgressReport.objects.bulk_create(reports, batch_size=500)
    return len(reports)


_NOTES = {
    ProjectStatus.IN_PROGRESS: "按计划推进，累计完成 {p}%。（演示数据）",
    ProjectStatus.COMPLETED: "已竣工验收。（演示数据）",
    ProjectStatus.SUSPENDED: "因居民意见征询未达比例暂缓，累计完成 {p}%。（演示数据）",
}
_PUBLIC = {
    ProjectStatus.IN_PROGRESS: "工程正在进行，已完成约 {p}%。",
    ProjectStatus.COMPLETED: "已经完工。",
    ProjectStatus.SUSPENDED: "正在听取居民意见，暂时停工。",
}

# Synthetic yearly paths for indicators the plan gives a target but no baseline.
_PATHS = {
    "public-green-per-capita": ["0.88", "0.92", "0.96", "0.99", "1.03"],
    "park-green-per-capita": ["0.78", "0.80", "0.83", "0.85", "0.87"],
    "labour-mediation-rate": ["51", "54", "57", "56", "61"],
    "new-enterprises": ["120", "260", "410", "560", "700"],
}
# The year each milestone is reached in the demo (None: not by the plan's end).
_MILESTONES = {
    "one-network-pilot": 2023, "service-circle-5min": 2024, "embedded-facilities": 2025,
    "embedded-sports-coverage": 2025, "non-self-contained-housing": None,
}


def _entered_values(plan: Plan, rng: random.Random, reporters: dict[int, User]) -> int:
    rows = []
    last = Period(plan.end_year, 4)
    for indicator in plan.indicators.filter(source=Indicator.Source.ENTERED).select_related("lead_unit"):
        user = reporters[indicator.lead_unit_id]
        growth = rng.uniform(0.8, 1.3)
        for year in plan.years:
            for quarter in (1, 2, 3, 4):
                period = Period(year, quarter)
                if period == last and (indicator.lead_unit.code in LATE_UNITS or indicator.code == "relief-amount"):
                    continue
                t = (year - plan.start_year) + quarter / 4  # years into the plan
                value, achieved = _value_at(indicator, t, growth)
                rows.append(IndicatorValue(
                    subdistrict_id=plan.subdistrict_id, indicator=indicator, year=year, quarter=quarter,
                    value=value, achieved=achieved, origin=IndicatorValue.Origin.ENTERED, synthetic=True,
                    evidence="季度统计台账（演示数据）", reported_by=user, reporter_name=user.first_name,
                    unit_id=indicator.lead_unit_id,
                ))
    IndicatorValue.objects.bulk_create(rows, batch_size=500)
    return len(rows)


def _value_at(indicator: Indicator, t: float, growth: float) -> tuple[Decimal | None, bool | None]:
    if indicator.is_milestone:
        year = _MILESTONES.get(indicator.code)
        return None, year is not None and indicator.plan.start_year + t - 0.25 >= year
    places = Decimal("0.01") if indicator.unit in ("万元", "平方米", "%") else Decimal(1)
    path = _PATHS.get(indicator.code)
    if path:
        k = min(len(path) - 1, int(t - 0.01))
        before = Decimal(path[k - 1]) if k > 0 else Decimal(path[0]) * Decimal("0.97")
        share = Decimal(str(t - k))
        return (before + (Decimal(path[k]) - before) * share).quantize(places), None
    base = indicator.baseline or Decimal(0)
    if indicator.measure == Indicator.Measure.CUMULATIVE:
        value = base * Decimal(str(t / 5 * growth))
    else:
        value = base * Decimal(str((1 + 0.03 * growth) ** t))
        if indicator.unit == "%":
            value = min(Decimal(100), base + (Decimal(100) - base) * Decimal(str(min(1.0, t / 4 * growth))))
    return value.quantize(places), None


_NARRATIVE = {
    "summary": "{year} 年，街道围绕“美好曹杨”总目标推进规划实施，主要指标总体符合预期，"
               "重点项目按计划推进。（演示数据）",
    "achievements": "旧住房成套改造和综合修缮持续推进；养老服务设施和长者助餐点进一步增加；"
                    "“一网统管”应用场景不断丰富。（演示数据）",
    "problems": "部分项目受居民意见征询、施工条件等影响进度滞后；个别填报类指标的统计口径仍需统一。（演示数据）",
    "next_steps": "加强对滞后项目的协调推进，按季度督促牵头单位填报，做好下一阶段评估准备。（演示数据）",
}


def _evaluations(plan: Plan) -> None:
    rows = [(Evaluation.Kind.ANNUAL, y) for y in range(plan.start_year, plan.end_year)]
    rows += [(Evaluation.Kind.MIDTERM, plan.midterm_year), (Evaluation.Kind.FINAL, plan.end_year)]
    Evaluation.objects.bulk_create([
        Evaluation(subdistrict_id=plan.subdistrict_id, plan=plan, kind=kind, year=year,
                   **({k: v.format(year=year) for k, v in _NARRATIVE.items()} if kind != Evaluation.Kind.FINAL
                      else {"summary": _NARRATIVE["summary"].format(year=year)}))
        for kind, year in rows
    ])
