"""Pages of 四百走访: the worker's phone pages (today's list, inbox, scan, the visit form with its offline
queue, a visit, the feedback card, own history), the 居委 head's board, plan and tasks, the figures with
their drill-down, and the residents' feedback page.

Views parse, call one selector or service, and render. Role and scope checks live in the selectors and
services; a refusal (PermissionDenied, already audited there) is shown as the one 403 page.
"""

from jiedao.visits.views.figures import figures, visit_list
from jiedao.visits.views.head import board, plan, task, task_action, tasks
from jiedao.visits.views.public import feedback
from jiedao.visits.views.worker import (
    card,
    checkin,
    follow_up,
    inbox,
    mine,
    photo,
    scan,
    start,
    submit,
    today,
    visit,
)

__all__ = [
    "board", "card", "checkin", "feedback", "figures", "follow_up", "inbox", "mine", "photo", "plan", "scan",
    "start", "submit", "task", "task_action", "tasks", "today", "visit", "visit_list",
]
