"""信息公开: the plan's goals, indicators and projects with their progress, for everyone, no sign-in.

Only published plans, only rows marked public, and only public fields: plain-language descriptions and
the public note of the latest report — never internal notes, evidence, attachments or who reported. The
text staff typed into those fields goes out with its phone and ID numbers masked (core.public_text).
"""

from django.shortcuts import render
from django.utils.translation import gettext as _

from jiedao.core import charts
from jiedao.core.public_text import mask_public_text
from jiedao.planning import selectors
from jiedao.planning.models import ProjectStatus
from jiedao.planning.reports import health_chart


def _masked(rows, *fields: str) -> None:
    """Mask the free text of rows read for this page only (they are rendered, never saved)."""
    for row in rows:
        for name in fields:
            setattr(row, name, mask_public_text(getattr(row, name)))


def public_index(request):
    plans = list(selectors.public_plans())
    _masked(plans, "name")
    return render(request, "planning/public_index.html", {"plans": plans})


def public_plan(request, plan_id: int):
    plan = selectors.public_plan(plan_id=plan_id)
    goals = list(plan.goals.all())
    indicators = selectors.public_indicator_rows(plan=plan)
    projects = selectors.public_project_rows(plan=plan)
    _masked([plan], "name")
    _masked(goals, "title", "text")
    _masked([r.indicator for r in indicators], "name", "description", "target_note")
    _masked([r.project for r in projects], "name", "public_summary")
    _masked([r.report for r in projects if r.report is not None], "public_note")
    done = sum(r.status == ProjectStatus.COMPLETED for r in projects)
    return render(request, "planning/public_plan.html", {
        "plan": plan, "goals": goals, "as_of": selectors.default_as_of(plan=plan),
        "indicators": indicators, "projects": [(r, charts.progress_bar(r.progress)) for r in projects],
        "done": done, "total": len(projects),
        "indicator_chart": health_chart(selectors.health_counts(rows=indicators), title=_("指标状态")),
    })
