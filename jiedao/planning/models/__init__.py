"""Planning models, split by concept: the plan's text, indicators, projects, evaluations."""

from jiedao.planning.models.evaluations import Evaluation
from jiedao.planning.models.indicators import Indicator, IndicatorValue, validate_formula
from jiedao.planning.models.plan import Chapter, Goal, Plan, Section, Task
from jiedao.planning.models.projects import (
    ATTACHMENT_EXTENSIONS,
    Attachment,
    Milestone,
    ProgressReport,
    Project,
    ProjectStatus,
    ProjectTarget,
)

__all__ = [
    "ATTACHMENT_EXTENSIONS", "Attachment", "Chapter", "Evaluation", "Goal", "Indicator", "IndicatorValue",
    "Milestone", "Plan", "ProgressReport", "Project", "ProjectStatus", "ProjectTarget", "Section", "Task",
    "validate_formula",
]
