"""Writes of 一网统管, one module per use case: intake from every channel (``reception``), where a case is
(``placement``), likely duplicates and the operator's answer to them (``duplicates``), photos, routing and
time limits (``routing``), the closed loop's transitions (``loop``) over the case's timeline (``timeline``),
the caller's phone (``privacy``) and periodic work (``maintenance``). Callers use the names below,
``from jiedao.cases import services; services.perform(...)``."""

from jiedao.cases.services.duplicates import (
    DuplicateMatch,
    decide_duplicate,
    duplicate_acceptance,
    duplicate_matches,
    find_duplicate,
    metres_between,
    shown_to,
    similarity,
)
from jiedao.cases.services.loop import (
    HANDLE,
    OPERATE,
    TRANSITIONS,
    Conflict,
    Transition,
    allowed_actions,
    dispatch_many,
    perform,
    resident_rate,
)
from jiedao.cases.services.maintenance import rebuild_facts, warn_overdue
from jiedao.cases.services.photos import CheckedPhoto, validate_photo
from jiedao.cases.services.privacy import reveal_reporter_phone
from jiedao.cases.services.reception import IntakeResult, intake, report, resident_report, sensor_alarm
from jiedao.cases.services.routing import deadlines, route
from jiedao.cases.services.text import MAX_NOTE, MAX_TEXT, category_by_code, clean_text, is_urgent_text
from jiedao.cases.services.timeline import project

__all__ = [
    "HANDLE", "MAX_NOTE", "MAX_TEXT", "OPERATE", "TRANSITIONS", "CheckedPhoto", "Conflict", "DuplicateMatch",
    "IntakeResult", "Transition", "allowed_actions", "category_by_code", "clean_text", "deadlines",
    "decide_duplicate", "dispatch_many", "duplicate_acceptance", "duplicate_matches", "find_duplicate", "intake",
    "is_urgent_text", "metres_between", "perform", "project", "rebuild_facts", "report", "resident_rate",
    "resident_report", "reveal_reporter_phone", "route", "sensor_alarm", "shown_to", "similarity", "validate_photo",
    "warn_overdue",
]
