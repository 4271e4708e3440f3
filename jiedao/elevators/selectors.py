"""Reads of the elevators app, each starting from the reader's scope; the planning figures take a
subdistrict id and return counts."""

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from jiedao.core.access import ensure_perm, get_in_scope
from jiedao.core.models import Subdistrict, User
from jiedao.core.roles import Perm
from jiedao.core.scope import scope_of
from jiedao.elevators import scoring
from jiedao.elevators.models import STAGES, Entry, Project, Quote, Stage, StageEvent, Survey
from jiedao.geo.models import Building


def can_view(user: User) -> None:
    from django.utils.translation import gettext as _

    ensure_perm(user, Perm.VIEW_ELEVATORS, message=_("您的角色无权查看加装电梯"))


def working_subdistrict(*, user: User, subdistrict_id: int | None = None) -> Subdistrict:
    """The subdistrict a page shows: the one asked for if the user may see it, else their own."""
    can_view(user)
    if subdistrict_id is not None:
        return get_in_scope(Subdistrict.objects.all(), user=user, pk=subdistrict_id)
    subdistricts = Subdistrict.objects.within(scope_of(user))
    found = subdistricts.filter(pk=user.subdistrict_id).first() or subdistricts.first()
    if found is None:
        raise Http404
    return found


def buildings_for(*, user: User, subdistrict: Subdistrict) -> QuerySet[Building]:
    can_view(user)
    return Building.objects.within(scope_of(user)).filter(subdistrict=subdistrict)


@dataclass
class Candidate:
    building: Building
    score: scoring.Score
    project: Project | None

    @property
    def missing(self) -> list[str]:
        return self.score.missing


def candidate_list(*, user: User, subdistrict: Subdistrict, community_id: int | None = None,
                   min_floors: int | None = None, today: dt.date | None = None) -> list[Candidate]:
    """候选楼栋: the reader's buildings without an elevator, best score first (then the building code)."""
    buildings = buildings_for(user=user, subdistrict=subdistrict).select_related("road", "community", "estate")
    if community_id:
        buildings = buildings.filter(community_id=community_id)
    if min_floors:
        buildings = buildings.filter(floors__gte=min_floors)
    # Without an elevator: none found at the survey, and none installed by a project (in 运维).
    buildings = buildings.exclude(elevator_survey__has_elevator=True).exclude(
        elevator_projects__stage=Stage.OPERATION)
    rows = list(buildings)
    inputs = scoring.inputs_for([b.pk for b in rows], today=today, buildings={b.pk: b.floors for b in rows})
    weights = scoring.weights()
    projects = {(p.building_id): p for p in Project.objects.filter(building__in=[b.pk for b in rows])}
    out = [Candidate(b, scoring.score(inputs[b.pk], weights), projects.get(b.pk)) for b in rows]
    out.sort(key=lambda c: (-c.score.score, c.building.code))
    return out


def building_feasibility(*, user: User, building_id: int, today: dt.date | None = None) -> dict:
    """One building's score with every factor, its survey and projects."""
    can_view(user)
    building = get_in_scope(Building.objects.select_related("road", "community", "estate"), user=user, pk=building_id)
    inputs = scoring.inputs_for([building.pk], today=today, buildings={building.pk: building.floors})[building.pk]
    return {
        "building": building, "inputs": inputs, "score": scoring.score(inputs, scoring.weights()),
        "survey": Survey.objects.filter(building=building).first(),
        "projects": list(Project.objects.filter(building=building)),
        "units": list(building.units.order_by("number")),
    }


def project_list(*, user: User, subdistrict: Subdistrict, stage: str | None = None) -> QuerySet[Project]:
    can_view(user)
    qs = (Project.objects.within(scope_of(user)).filter(subdistrict=subdistrict)
          .select_related("building__road", "building__community", "unit", "responsible"))
    return qs.filter(stage=stage) if stage else qs


def get_project(*, user: User, project_id: int) -> Project:
    can_view(user)
    return get_in_scope(Project.objects.select_related("building__road", "building__community", "unit",
                                                       "responsible"), user=user, pk=project_id)


def latest_quote(project: Project) -> Quote | None:
    return project.quotes.first()


def pipeline(project: Project) -> list[dict]:
    """Every stage with the date the project entered it (None: not yet), and which one it is in."""
    events = {e.stage: e for e in project.events.select_related("by")}
    return [{"stage": s, "label": s.label, "event": events.get(s.value), "current": s == project.stage,
             "done": STAGES.index(s) < project.stage_index} for s in STAGES]


def kpis(*, user: User, subdistrict: Subdistrict) -> dict:
    """Projects by stage and completed per year, for the reader's scope."""
    projects = project_list(user=user, subdistrict=subdistrict)
    by_stage = Counter(projects.values_list("stage", flat=True))
    per_year = Counter(d.year for d in projects.filter(completed_on__isnull=False).values_list("completed_on",
                                                                                               flat=True))
    return {"by_stage": [{"stage": s.value, "label": str(s.label), "count": by_stage.get(s.value, 0)} for s in STAGES],
            "completed_per_year": [{"year": y, "count": n} for y, n in sorted(per_year.items())],
            "total": sum(by_stage.values())}


def schematic(*, floors: int, entry: str, floor_height: int = 30) -> dict:
    """动画展示: the drawing of a building of ``floors`` with its shaft. 平层入户: the car stops at each floor's
    level (every floor from the 2nd up gains level access); 半层入户: it stops at the stair's half-landings,
    so every dwelling is still half a flight (about 9 steps) from its stop."""
    level = entry == Entry.LEVEL
    top = 20
    ground = top + floors * floor_height
    stops = []
    for f in range(1, floors + 1):
        y = ground - (f - 1) * floor_height
        if level or f == 1:
            stops.append({"floor": f, "y": y, "label": f"{f}F", "level": True})
        else:
            stops.append({"floor": f - 0.5, "y": y + floor_height // 2, "label": f"{f - 1}.5F", "level": False})
    rows = [{"floor": f, "y": ground - f * floor_height, "level_access": level or f == 1}
            for f in range(1, floors + 1)]
    return {"floors": floors, "entry": entry, "level": level, "floor_height": floor_height, "top": top,
            "ground": ground, "height": ground + 30, "stops": stops, "rows": list(reversed(rows)),
            "level_floors": [r["floor"] for r in rows if r["level_access"]],
            "car_travel": ground - top - floor_height, "shaft_y": top - 10, "shaft_height": ground - top + 10}


# ---------------------------------------------------------------------------------- subdistrict figures
# Counts for planning (no person named), read through ``contributions``.

def completed_between(*, subdistrict_id: int, start: dt.date | None, end: dt.date) -> int:
    """Projects whose 竣工验收 (entry into 运维) falls in [start, end] (from the start of time if start is None)."""
    qs = Project.objects.filter(subdistrict_id=subdistrict_id, completed_on__lte=end)
    return qs.filter(completed_on__gte=start).count() if start else qs.count()


def in_stage_on(*, subdistrict_id: int, day: dt.date, stages: list[str]) -> int:
    """Projects whose latest stage entered by ``day`` is one of ``stages``."""
    latest: dict[int, str] = {}
    for project_id, stage in (StageEvent.objects.filter(project__subdistrict_id=subdistrict_id, on__lte=day)
                              .order_by("on", "pk").values_list("project_id", "stage")):
        latest[project_id] = stage
    return sum(1 for s in latest.values() if s in stages)


