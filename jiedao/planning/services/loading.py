"""Loading a plan from its data file (the Caoyang fixture, or a later plan entered the same way)."""

from decimal import Decimal
from types import ModuleType

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jiedao.core import audit
from jiedao.core.models import AuditAction, Department, Subdistrict
from jiedao.planning.models import Chapter, Goal, Indicator, Plan, Project, Section, Task


def _decimal(text) -> Decimal | None:
    return None if text is None else Decimal(str(text))


@transaction.atomic
def load_plan(*, subdistrict: Subdistrict, data: ModuleType | None = None, by=None, replace: bool = False) -> Plan:
    """Create a plan with its chapters, sections, tasks, goals, indicators and projects from ``data``
    (a module with PLAN, CHAPTERS, GOALS, INDICATORS, PROJECTS; the Caoyang plan by default).

    Lead units are the subdistrict's departments, named by code; a missing one is an error, not a
    silent blank. With ``replace`` an existing plan of the same code is deleted first.
    """
    if data is None:
        from jiedao.planning import caoyang as data
    spec = data.PLAN
    departments = {d.code: d for d in Department.objects.filter(subdistrict=subdistrict)}
    needed = {row["lead_unit"] for row in [*data.INDICATORS, *data.PROJECTS] if row.get("lead_unit")}
    missing = sorted(needed - departments.keys())
    if missing:
        raise ValidationError(
            _("牵头单位代码 %(codes)s 在%(sub)s不存在：请先建立这些部门") % {
                "codes": "、".join(missing), "sub": subdistrict}
        )
    existing = Plan.objects.filter(subdistrict=subdistrict, code=spec["code"])
    if existing.exists():
        if not replace:
            raise ValidationError(_("规划「%(name)s」已存在") % {"name": spec["name"]})
        existing.delete()

    plan = Plan(
        subdistrict=subdistrict, code=spec["code"], name=spec["name"], start_year=spec["start_year"],
        end_year=spec["end_year"], baseline_year=spec["baseline_year"],
        source_document=spec.get("source_document", ""), summary=spec.get("summary", ""),
    )
    plan.full_clean(validate_unique=False, validate_constraints=False)
    plan.save()

    sections: dict[tuple[int, int], Section] = {}
    chapters: dict[int, Chapter] = {}
    tasks: list[Task] = []
    for c in data.CHAPTERS:
        chapter = Chapter.objects.create(
            subdistrict=subdistrict, plan=plan, number=c["number"], title=c["title"], kind=c["kind"],
            text=c.get("text", ""),
        )
        chapters[c["number"]] = chapter
        for s in c["sections"]:
            section = Section.objects.create(
                subdistrict=subdistrict, chapter=chapter, number=s["number"], title=s["title"], text=s.get("text", "")
            )
            sections[(c["number"], s["number"])] = section
            tasks += [
                Task(subdistrict=subdistrict, section=section, number=n, title=t["title"], text=t["text"])
                for n, t in enumerate(s.get("tasks", []), start=1)
            ]
    Task.objects.bulk_create(tasks)

    goals = {}
    for g in data.GOALS:
        goals[f"{g['kind']}:{g['number']}"] = Goal(
            subdistrict=subdistrict, plan=plan, kind=g["kind"], number=g["number"], title=g["title"],
            text=g.get("text", g["source_text"]).replace("**", ""), source_text=g["source_text"],
        )
    Goal.objects.bulk_create(goals.values())

    indicators = []
    for order, row in enumerate(data.INDICATORS, start=1):
        baseline, target = row.get("baseline") or {}, row.get("target") or {}
        indicator = Indicator(
            subdistrict=subdistrict, plan=plan, code=row["code"], order=order, name=row["name"], unit=row["unit"],
            chapter=chapters.get(row.get("chapter")), section=sections.get((row.get("chapter"), row.get("section"))),
            goal=goals.get(row.get("goal")), description=row.get("description", ""),
            direction=row["direction"], binding=row["binding"], measure=row.get("measure", Indicator.Measure.LEVEL),
            source=row["source"], numerator=row.get("numerator", ""), denominator=row.get("denominator", ""),
            factor=_decimal(row.get("factor", "1")), lead_unit=departments.get(row.get("lead_unit")),
            baseline=_decimal(baseline.get("value")), baseline_year=baseline.get("year"),
            baseline_note=baseline.get("note", ""), baseline_source_text=baseline.get("source_text", ""),
            target=_decimal(target.get("value")), target_year=target.get("year"), target_note=target.get("note", ""),
            target_source_text=target.get("source_text", ""), source_text=row.get("source_text", ""),
        )
        _clean(indicator, row["code"])
        indicators.append(indicator)
    Indicator.objects.bulk_create(indicators)

    projects = []
    for order, row in enumerate(data.PROJECTS, start=1):
        project = Project(
            subdistrict=subdistrict, plan=plan, code=row["code"], order=order, name=row["name"],
            category=row["category"], chapter=chapters.get(row.get("chapter")),
            section=sections.get((row.get("chapter"), row.get("section"))), table_number=row.get("table"),
            table_row=row.get("row"), description=row.get("description", ""),
            public_summary=row.get("summary", "") or row["name"], source_text=row.get("source_text", ""),
            lead_unit=departments.get(row.get("lead_unit")), start_year=row.get("start_year", plan.start_year),
            end_year=row.get("end_year", plan.end_year),
        )
        _clean(project, row["code"])
        projects.append(project)
    Project.objects.bulk_create(projects)

    audit.record(actor=by, action=AuditAction.IMPORT, obj=plan, detail={
        "chapters": len(chapters), "sections": len(sections), "tasks": len(tasks), "goals": len(goals),
        "indicators": len(indicators), "projects": len(projects),
    })
    return plan


def _clean(obj, code: str) -> None:
    try:
        # Relations were just resolved above; skipping their per-row existence queries keeps loading fast.
        relations = [f.name for f in obj._meta.fields if f.is_relation]
        obj.full_clean(exclude=relations, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        raise ValidationError(_("「%(code)s」数据有误：%(errors)s") % {
            "code": code, "errors": "；".join(exc.messages)}) from exc
