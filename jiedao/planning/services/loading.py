"""Loading a plan from its data file (规划数据文件, ``planning.plan_file``) into a subdistrict.

Loading is idempotent: a plan already loaded under the same code is updated in place, row by row on the
rows' natural keys (chapter and section numbers, goal kind and number, indicator and project codes), so
that loading the same file twice changes nothing and a corrected file keeps what has been reported
against the plan. The file defines the plan: every field it holds is applied again; what happens to the
plan (published or not, project progress and reports, indicator values, evaluations) is kept. A row the
file no longer names is deleted, unless something has been reported on it: then nothing is loaded and
the error names it.
"""

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from jiedao.core import audit
from jiedao.core.models import AuditAction, Department, Subdistrict, User
from jiedao.planning.models import (
    Chapter,
    Goal,
    Indicator,
    IndicatorValue,
    Plan,
    ProgressReport,
    Project,
    Section,
    Task,
)
from jiedao.planning.plan_file import ChapterRow, Figure, GoalRow, IndicatorRow, PlanFile, ProjectRow, read_plan_file

_INDICATOR_FIELDS = [
    "order", "name", "unit", "chapter", "section", "goal", "description", "direction", "binding", "measure",
    "source", "numerator", "denominator", "factor", "lead_unit", "baseline", "baseline_year", "baseline_note",
    "baseline_source_text", "target", "target_year", "target_note", "target_source_text", "source_text",
]
_PROJECT_FIELDS = [
    "order", "name", "category", "chapter", "section", "table_number", "table_row", "description",
    "public_summary", "source_text", "lead_unit", "start_year", "end_year",
]


@transaction.atomic
def load_plan(*, subdistrict: Subdistrict, document: Mapping[str, Any] | Path | PlanFile, by: User | None = None,
              replace: bool = False) -> Plan:
    """Create the plan ``document`` describes in ``subdistrict``, or bring the one loaded before under the
    same code up to date with it: its chapters, sections, tasks, goals, indicators and projects.

    ``document`` is the parsed JSON, or the path of the file. It is checked whole first
    (``plan_file.read_plan_file``), then the lead units it names must be departments of the subdistrict,
    then every row must pass its model's rules. Any problem raises ``ValidationError`` with Chinese
    messages naming the row and the field, and nothing is written. With ``replace`` a plan of the same
    code is deleted first, with everything reported on it (the demo's rebuild).
    """
    spec = document if isinstance(document, PlanFile) else read_plan_file(document)
    departments = _lead_units(subdistrict, spec)
    plan, created = _plan(subdistrict, spec, replace=replace)
    chapters, sections, tasks = _text(plan, spec.chapters)
    goals = _goals(plan, spec.goals)
    indicators, projects = _indicators_and_projects(
        plan, spec, chapters=chapters, sections=sections, goals=goals, departments=departments)
    audit.record(actor=by, action=AuditAction.IMPORT, obj=plan, detail={
        "created": created, "chapters": len(chapters), "sections": len(sections), "tasks": tasks,
        "goals": len(goals), "indicators": indicators, "projects": projects,
    })
    return plan


def _lead_units(subdistrict: Subdistrict, spec: PlanFile) -> dict[str, Department]:
    """The subdistrict's departments by code; every lead unit the plan names must be one of them."""
    departments = {d.code: d for d in Department.objects.filter(subdistrict=subdistrict)}
    needed = {row.lead_unit for row in [*spec.indicators, *spec.projects] if row.lead_unit}
    missing = sorted(needed - departments.keys())
    if missing:
        names = {d.code: d.name for d in spec.departments}
        codes = "、".join(f"{code}（{names[code]}）" if code in names else code for code in missing)
        raise ValidationError(
            _("牵头单位代码 %(codes)s 在%(sub)s不存在：请先建立这些部门") % {"codes": codes, "sub": subdistrict}
        )
    return departments


def _plan(subdistrict: Subdistrict, spec: PlanFile, *, replace: bool) -> tuple[Plan, bool]:
    header = spec.plan
    plan = Plan.objects.filter(subdistrict=subdistrict, code=header.code).first()
    if plan is not None and replace:
        plan.delete()
        plan = None
    created = plan is None
    if plan is None:
        plan = Plan(subdistrict=subdistrict, code=header.code)
    for field in ("name", "start_year", "end_year", "baseline_year", "source_document", "summary"):
        setattr(plan, field, getattr(header, field))
    _check([(_("规划"), plan)])
    plan.save()
    return plan, created


def _text(plan: Plan, rows: list[ChapterRow]) -> tuple[dict[int, Chapter], dict[tuple[int, int], Section], int]:
    """Chapters → sections → tasks, keyed by their numbers (a task's number is its place in its section)."""
    sub = plan.subdistrict
    chapters = {
        c.number: Chapter(subdistrict=sub, plan=plan, number=c.number, title=c.title, kind=c.kind, text=c.text)
        for c in rows
    }
    sections = {
        (c.number, s.number): Section(subdistrict=sub, chapter=chapters[c.number], number=s.number, title=s.title,
                                      text=s.text)
        for c in rows for s in c.sections
    }
    tasks = {
        (c.number, s.number, n): Task(subdistrict=sub, section=sections[(c.number, s.number)], number=n,
                                      title=t.title, text=t.text)
        for c in rows for s in c.sections for n, t in enumerate(s.tasks, start=1)
    }
    _check([(_("第 %(n)s 章") % {"n": c}, chapter) for c, chapter in chapters.items()]
           + [(_("第 %(c)s 章第 %(n)s 节") % {"c": c, "n": n}, section) for (c, n), section in sections.items()]
           + [(_("第 %(c)s 章第 %(s)s 节第 %(n)s 个任务") % {"c": c, "s": s, "n": n}, task)
              for (c, s, n), task in tasks.items()])
    _sync(Chapter, rows=chapters, fields=["title", "kind", "text"],
          existing={c.number: c for c in plan.chapters.all()})
    _sync(Section, rows=sections, fields=["title", "text"],
          existing={(s.chapter.number, s.number): s
                    for s in Section.objects.filter(chapter__plan=plan).select_related("chapter")})
    _sync(Task, rows=tasks, fields=["title", "text"],
          existing={(t.section.chapter.number, t.section.number, t.number): t
                    for t in Task.objects.filter(section__chapter__plan=plan).select_related("section__chapter")})
    return chapters, sections, len(tasks)


def _goals(plan: Plan, rows: list[GoalRow]) -> dict[str, Goal]:
    """Goals keyed as indicators name them (``objective:3``)."""
    goals = {
        g.key: Goal(subdistrict=plan.subdistrict, plan=plan, kind=g.kind, number=g.number, title=g.title,
                    text=(g.text or g.source_text).replace("**", ""), source_text=g.source_text)
        for g in rows
    }
    _check([(_("目标 %(key)s") % {"key": key}, goal) for key, goal in goals.items()])
    _sync(Goal, rows=goals, fields=["title", "text", "source_text"],
          existing={f"{g.kind}:{g.number}": g for g in plan.goals.all()})
    return goals


def _indicators_and_projects(plan: Plan, spec: PlanFile, *, chapters, sections, goals, departments
                             ) -> tuple[int, int]:
    """Both checked before either is written, so that one load reports every row in error."""
    places = {"chapters": chapters, "sections": sections, "departments": departments}
    indicators = {row.code: _indicator(plan, order, row, goals=goals, **places)
                  for order, row in enumerate(spec.indicators, start=1)}
    old_projects = {p.code: p for p in plan.projects.all()}
    projects = {row.code: _project(plan, order, row, old_projects.get(row.code), **places)
                for order, row in enumerate(spec.projects, start=1)}
    _check([(_("指标「%(code)s」") % {"code": code}, i) for code, i in indicators.items()]
           + [(_("项目「%(code)s」") % {"code": code}, p) for code, p in projects.items()])
    old_indicators = {i.code: i for i in plan.indicators.all()}
    _keep_reported(_("指标"), old_indicators, indicators, IndicatorValue.objects.filter(indicator__plan=plan),
                   "indicator")
    _keep_reported(_("项目"), old_projects, projects, ProgressReport.objects.filter(project__plan=plan), "project")
    _sync(Indicator, rows=indicators, fields=_INDICATOR_FIELDS, existing=old_indicators)
    _sync(Project, rows=projects, fields=_PROJECT_FIELDS, existing=old_projects)
    return len(indicators), len(projects)


def _indicator(plan: Plan, order: int, row: IndicatorRow, *, chapters, sections, goals, departments) -> Indicator:
    baseline, target = row.baseline or Figure(), row.target or Figure()
    return Indicator(
        subdistrict=plan.subdistrict, plan=plan, code=row.code, order=order, name=row.name, unit=row.unit,
        chapter=chapters.get(row.chapter), section=sections.get((row.chapter, row.section)),
        goal=goals.get(row.goal), description=row.description, direction=row.direction, binding=row.binding,
        measure=row.measure, source=row.source, numerator=row.numerator, denominator=row.denominator,
        factor=row.factor, lead_unit=departments.get(row.lead_unit),
        baseline=baseline.value, baseline_year=baseline.year, baseline_note=baseline.note,
        baseline_source_text=baseline.source_text,
        target=target.value, target_year=target.year, target_note=target.note,
        target_source_text=target.source_text, source_text=row.source_text,
    )


def _project(plan: Plan, order: int, row: ProjectRow, old: Project | None, *, chapters, sections,
             departments) -> Project:
    # Planned years the file does not give are the plan's span for a new project, and stay as the site has
    # scheduled them for one loaded before.
    start = row.start_year if row.start_year is not None else old.start_year if old else plan.start_year
    end = row.end_year if row.end_year is not None else old.end_year if old else plan.end_year
    return Project(
        subdistrict=plan.subdistrict, plan=plan, code=row.code, order=order, name=row.name, category=row.category,
        chapter=chapters.get(row.chapter), section=sections.get((row.chapter, row.section)),
        table_number=row.table, table_row=row.row, description=row.description,
        public_summary=row.summary or row.name, source_text=row.source_text,
        lead_unit=departments.get(row.lead_unit), start_year=start, end_year=end,
    )


def _check(rows: Iterable[tuple[str, models.Model]]) -> None:
    """Every row against its model's rules; one message per row in error, naming it."""
    problems = []
    for label, obj in rows:
        try:
            # Relations were resolved from the file just before; skipping their per-row existence queries
            # keeps loading fast.
            relations = [f.name for f in obj._meta.fields if f.is_relation]
            obj.full_clean(exclude=relations, validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            problems.append(_("%(row)s 数据有误：%(errors)s") % {"row": label, "errors": "；".join(
                f"{obj._meta.get_field(field).verbose_name}：{message}" if field != "__all__" else message
                for field, messages in exc.message_dict.items() for message in messages)})
    if problems:
        raise ValidationError(problems)


def _keep_reported(noun: str, old: Mapping[str, models.Model], new: Mapping[str, models.Model],
                   reported: models.QuerySet, link: str) -> None:
    """Refuse to drop a row that something has been reported on."""
    dropped = {row.pk: code for code, row in old.items() if code not in new}
    kept = reported.filter(**{f"{link}__in": list(dropped)}).values_list(link, flat=True).distinct()
    codes = sorted(dropped[pk] for pk in kept)
    if codes:
        raise ValidationError(_("%(noun)s %(codes)s 已有填报记录，新的规划文件中却没有：请把它们留在文件中") % {
            "noun": noun, "codes": "、".join(codes)})


def _sync(model: type[models.Model], *, rows: Mapping[Any, models.Model], existing: Mapping[Any, models.Model],
          fields: list[str]) -> None:
    """Write ``rows`` over ``existing`` on their keys: update those both have (``fields`` only), create the
    new ones, delete those ``rows`` no longer has."""
    for key, row in rows.items():
        if key in existing:
            row.pk = existing[key].pk
    model.objects.filter(pk__in=[row.pk for key, row in existing.items() if key not in rows]).delete()
    model.objects.bulk_update([row for key, row in rows.items() if key in existing], fields)
    model.objects.bulk_create([row for key, row in rows.items() if key not in existing])
