"""Pages of the planning module, split by concept: plan and indicators, projects and reporting,
evaluations, public disclosure."""

from jiedao.planning.views.evaluations import (
    evaluation_edit,
    evaluation_pdf,
    evaluation_report,
    evaluation_xlsx,
    evaluations,
)
from jiedao.planning.views.pages import (
    attachment,
    home,
    indicator_detail,
    indicator_edit,
    indicators,
    overview,
    plan_next,
    plan_text,
    project_detail,
    projects,
    publish,
    reporting,
)
from jiedao.planning.views.public import public_index, public_plan

__all__ = [
    "attachment", "evaluation_edit", "evaluation_pdf", "evaluation_report", "evaluation_xlsx", "evaluations", "home",
    "indicator_detail", "indicator_edit", "indicators", "overview", "plan_next", "plan_text", "project_detail",
    "projects", "public_index", "public_plan", "publish", "reporting",
]
