"""Routing (派遣场景): which department and process a case goes to, and the time limits that follow."""

import datetime as dt

from jiedao.cases import workdays
from jiedao.cases.models import Case, Department, Process, Scenario


def route(*, case: Case) -> tuple[Department | None, Process | None]:
    """The scenario for the case's category and place: the most specific active row wins."""
    category_id = case.category_id or case.suggested_category_id
    if category_id is None:
        return None, None
    rows = list(Scenario.objects.filter(subdistrict_id=case.subdistrict_id, category_id=category_id, active=True)
                .select_related("department", "process"))

    def rank(s: Scenario) -> int:
        if s.community_id is not None:
            return 2 if s.community_id == case.community_id else -1
        if s.area_id is not None:
            return 1 if s.area_id == case.area_id else -1
        return 0

    rows = [s for s in rows if rank(s) >= 0]
    if not rows:
        return None, None
    best = max(rows, key=rank)
    process = best.process
    if case.urgent:
        process = Process.objects.filter(subdistrict_id=case.subdistrict_id, code="URGENT", active=True).first() \
            or process
    return best.department, process


def deadlines(*, process: Process, start: dt.datetime) -> dict:
    """办理时限 and 先行联系时限 of a dispatch at ``start`` under ``process``."""
    if process.handle_hours is not None:
        due = start + dt.timedelta(hours=process.handle_hours)
    else:
        due = workdays.add_working_days(start, process.handle_days)
    contact_due = start + dt.timedelta(hours=process.first_contact_hours) if process.first_contact_required else None
    return {"handle_due": due, "first_contact_due": contact_due}
