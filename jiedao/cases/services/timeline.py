"""The case's timeline: events are appended, never changed, and the case's timing columns are projected
from the whole timeline (``project``), so KPIs can be checked and rebuilt from the events."""

import datetime as dt

from django.utils import timezone

from jiedao.cases.models import Case, CaseEvent, EventKind
from jiedao.core.rows import insert


def record_event(*, case: Case, kind: str, by, from_status: str = "", to_status: str = "", note: str = "",
                 data: dict | None = None, at: dt.datetime | None = None, department=None) -> CaseEvent:
    """Append one event to the case's timeline; ``by`` is a user, or a name such as 系统 for the system."""
    is_user = getattr(by, "is_authenticated", False)
    return insert(CaseEvent(  # append-only: the precompiled INSERT of core.rows
        case=case, subdistrict_id=case.subdistrict_id, kind=kind, at=at or timezone.now(),
        actor=by if is_user else None, actor_name=(by.display_name if is_user else str(by or ""))[:150],
        from_status=from_status, to_status=to_status or case.status, note=note,
        department=department if department is not None else case.department, data=data or {},
    ))


def _as_time(value) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def project(*, case: Case, events: list[CaseEvent]) -> dict:
    """The case's timing columns, computed from its timeline alone (see the module docstring of models).
    KPIs count these columns; ``jiedao rebuild-case-facts`` checks and repairs them from the events."""
    facts = {
        "registered_at": None, "dispatched_at": None, "first_contact_due": None, "first_contacted_at": None,
        "handle_due": None, "handled_at": None, "closed_at": None, "closed_on_time": None, "rework_count": 0,
        "extended": False, "extension_pending": False, "returned_count": 0, "rating": None, "rated_at": None,
        "overdue_warned": False,
    }
    for e in events:
        k = e.kind
        if k == EventKind.REGISTERED and facts["registered_at"] is None:
            facts["registered_at"] = e.at
        elif k in (EventKind.DISPATCHED, EventKind.REOPENED):
            if facts["dispatched_at"] is None:
                facts["dispatched_at"] = e.at
                facts["first_contact_due"] = _as_time(e.data.get("first_contact_due"))
            facts["handle_due"] = _as_time(e.data.get("handle_due"))
            facts["handled_at"] = facts["closed_at"] = facts["closed_on_time"] = None
        elif k == EventKind.CONTACTED and facts["first_contacted_at"] is None:
            facts["first_contacted_at"] = e.at
        elif k == EventKind.EXTENSION_REQUESTED:
            facts["extension_pending"] = True
        elif k == EventKind.EXTENSION_APPROVED:
            facts["extension_pending"], facts["extended"] = False, True
            facts["handle_due"] = _as_time(e.data.get("handle_due"))
        elif k == EventKind.EXTENSION_REFUSED:
            facts["extension_pending"] = False
        elif k == EventKind.HANDLED:
            facts["handled_at"] = e.at
        elif k == EventKind.REWORK:
            facts["rework_count"] += 1
            facts["handled_at"] = None
        elif k == EventKind.RETURNED:
            facts["returned_count"] += 1
            facts["handle_due"] = None
            facts["extension_pending"] = False
        elif k == EventKind.CLOSED:
            facts["closed_at"] = e.at
            due, handled = facts["handle_due"], facts["handled_at"]
            facts["closed_on_time"] = bool(due is None or (handled or e.at) <= due)
        elif k == EventKind.VISITED:
            facts["rating"], facts["rated_at"] = e.data.get("rating"), e.at
        elif k == EventKind.OVERDUE:
            facts["overdue_warned"] = True
        if k in (EventKind.DISPATCHED, EventKind.REOPENED, EventKind.EXTENSION_APPROVED, EventKind.RETURNED):
            facts["overdue_warned"] = False  # a new time limit: warn again when it passes
    return facts


def reproject(*, case: Case) -> None:
    """Set the case's timing columns from its whole timeline as stored (``project``); the caller saves."""
    facts = project(case=case, events=list(case.events.order_by("at", "id")))
    for name, value in facts.items():
        setattr(case, name, value)
