"""信息公开: the plan's goals, indicators and projects with their progress, for everyone, no sign-in.

Only published plans, only rows marked public, and only public fields: plain-language descriptions and
the public note of the latest report — never internal notes, evidence, attachments or who reported.
"""

from django.shortcuts import render
from django.utils.translation import gettext as _

from jiedao.core import charts
from jiedao.planning import selectors
from jiedao.planning.models import ProjectStatus
from jiedao.planning.reports import health_chart


def public_index(request):
    return render(request, "planning/public_index.html", {"plans": selectors.public_plans()})


def public_plan(request, plan_id: int):
    plan = selectors.public_plan(plan_id=plan_id)
    indicators = selectors.public_indicator_rows(plan=plan)
    projects = selectors.public_project_rows(plan=plan)
    done = sum(r.status == ProjectStatus.COMPLETED for r in projects)
    return render(request, "planning/public_plan.html", {
        "plan": plan, "goals": plan.goals.all(), "as_of": selectors.default_as_of(plan=plan),
        "indicators": indicators, "projects": [(r, charts.progress_bar(r.progress)) for r in projects],
        "done": done, "total": len(projects),
        "indicator_chart": health_chart(selectors.health_counts(rows=indicators), title=_("指标状态")),
    })
