"""四百走访 data: the plan as data (rules, checklist, settings, who visits which building), the tasks it
generates with their history and reminders, the visits with their check-in, note, photos, problems and
assessment, and the residents' one-time feedback codes.

Notes, checklist answers, the assessment's evidence and residents' comments are personal data: encrypted
at rest (core.crypto), scoped as the household is, and never part of ``str()`` (audit records and logs
quote it) nor of a URL.
"""

from jiedao.visits.models.feedback import FeedbackCode, Rating
from jiedao.visits.models.plan import BuildingAssignment, ChecklistItem, RuleKind, VisitRule, VisitSettings
from jiedao.visits.models.records import (
    OTHERS_MET,
    RISK_BY_LABEL,
    RISK_TYPES,
    CheckInVia,
    Outcome,
    Risk,
    Visit,
    VisitPhoto,
    VisitProblem,
)
from jiedao.visits.models.work import (
    Reminder,
    ReminderKind,
    TaskEvent,
    TaskEventKind,
    TaskKind,
    TaskStatus,
    VisitTask,
)

__all__ = [
    "OTHERS_MET", "RISK_BY_LABEL", "RISK_TYPES", "BuildingAssignment", "CheckInVia", "ChecklistItem",
    "FeedbackCode", "Outcome", "Rating", "Reminder", "ReminderKind", "Risk", "RuleKind", "TaskEvent",
    "TaskEventKind", "TaskKind", "TaskStatus", "Visit", "VisitPhoto", "VisitProblem", "VisitRule", "VisitSettings",
    "VisitTask",
]
