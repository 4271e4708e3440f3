"""Writes of 四百走访, one module per use case: tasks made from the plan (``generation``), the plan itself
(``planning``), who visits what and the head's changes to tasks (``assignment``), reminders and escalations
(``reminders``), the visit with its check-in and problems filed as cases (``visiting``), the assessment and
its confirmed follow-up (``evaluation``) and the residents' feedback (``feedback``). Callers use the names
below: ``from jiedao.visits import services; services.submit_visit(...)``."""

from jiedao.visits.services.assignment import (
    add_task,
    assign_building,
    balance,
    cancel_task,
    community_heads,
    community_workers,
    postpone_task,
    reassign_task,
)
from jiedao.visits.services.evaluation import assess_pending, assess_visit, decide_follow_up
from jiedao.visits.services.feedback import BadCode, rate, read_code, token_for
from jiedao.visits.services.generation import (
    Period,
    close_moved_out,
    generate_follow_ups,
    generate_moved_in,
    generate_routine,
    run_schedule,
)
from jiedao.visits.services.planning import reset_plan_rule, set_plan_rule
from jiedao.visits.services.problems import file_problem
from jiedao.visits.services.reminders import mark_read, send_reminders
from jiedao.visits.services.visiting import (
    CheckIn,
    Problem,
    Submitted,
    VisitForm,
    check_in_by_code,
    check_in_from_file,
    read_check_in,
    submit_visit,
)

__all__ = [
    "BadCode", "CheckIn", "Period", "Problem", "Submitted", "VisitForm", "add_task", "assess_pending",
    "assess_visit", "assign_building", "balance", "cancel_task", "check_in_by_code", "check_in_from_file",
    "close_moved_out", "community_heads", "community_workers", "decide_follow_up", "file_problem",
    "generate_follow_ups", "generate_moved_in", "generate_routine", "mark_read", "postpone_task", "rate",
    "read_check_in", "read_code", "reassign_task", "reset_plan_rule", "run_schedule", "send_reminders",
    "set_plan_rule", "submit_visit", "token_for",
]
