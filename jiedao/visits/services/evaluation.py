"""AI回访评估 of stored visits: every visit and 回访 note is assessed (``visits.assessment``: risk, risk types
with the note's phrases, a suggested follow-up) and checked for 走过场 (``assessment.quality``), and a person
confirms or turns down the suggested follow-up: nothing is filed automatically."""

import datetime as dt
import json
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from jiedao.core import audit
from jiedao.core.access import ensure_in_scope, ensure_perm
from jiedao.core.models import AuditAction, User
from jiedao.core.roles import Perm
from jiedao.visits.models import RISK_BY_LABEL, CheckInVia, TaskKind, Visit

logger = logging.getLogger("jiedao.visits")

SAME_WORKER_NOTES = 50     # the worker's earlier notes a new note is compared with
OTHER_HOUSEHOLD_NOTES = 200  # other households' recent notes in the 居委 it is compared with
OTHER_NOTES_DAYS = 90
NO_SCAN = "no_scan"  # this app's own flag: the check-in was not a scan of the household's code
NO_SCAN_REASON = gettext_noop("未扫户码签到：从户档案进入，无法证明到过门口")


def assess_visit(*, visit: Visit) -> bool:
    """Assess one visit's note and check its quality, storing both on the visit; False (and the visit left
    for ``assess_pending``) when the assessment cannot run. Nothing of the note goes into the log."""
    try:
        from jiedao.visits.assessment import assess_note
        from jiedao.visits.assessment.quality import quality_flags

        result = assess_note(visit.note)
        with translation.override(settings.LANGUAGE_CODE):  # reasons are kept in the default language
            flags = [{"code": str(f.code), "reason": str(f.reason), "value": f.value}
                     for f in quality_flags(**_quality_inputs(visit))]
            if visit.check_in_via == CheckInVia.FILE:
                flags.append({"code": NO_SCAN, "reason": _(NO_SCAN_REASON), "value": None})
    except Exception as exc:  # a failing model never loses a visit: it is assessed again later
        logger.warning("visit %s not assessed (%s); the periodic job will try again", visit.pk, type(exc).__name__)
        return False
    visit.risk = RISK_BY_LABEL.get(result.risk, "")
    visit.risk_types = list(result.types)
    visit.confidence = round(float(result.confidence), 4)
    visit.assessment = assessment_json(result)
    visit.assessed_at = timezone.now()
    visit.follow_up_status = "pending" if result.follow_up else ""
    visit.flags, visit.flagged = flags, bool(flags)
    visit.save(update_fields=["risk", "risk_types", "confidence", "assessment", "assessed_at", "follow_up_status",
                              "flags", "flagged"])
    return True


def assessment_json(result) -> str:
    """What of an assessment quotes the note (its evidence, the follow-up's case draft), as stored encrypted
    with the visit; empty for a note in which nothing was found."""
    by_type = dict(getattr(result, "evidence_by_type", {}) or {})
    if not result.evidence and not by_type and result.follow_up is None:
        return ""
    return json.dumps({"evidence": list(result.evidence), "evidence_by_type": by_type,
                       "follow_up": follow_up_dict(result.follow_up)}, ensure_ascii=False)


def follow_up_dict(follow_up) -> dict | None:
    """The assessment's suggested follow-up as stored with the visit (JSON)."""
    if follow_up is None:
        return None
    draft = follow_up.case_draft
    return {
        "task_within_days": follow_up.task_within_days,
        "reason": follow_up.reason,
        "case_draft": None if draft is None else {
            "description": draft.description, "category": draft.category, "code": draft.code},
    }


def _quality_inputs(visit: Visit) -> dict:
    """What the quality check compares a visit with: the worker's earlier notes, other households' recent
    notes in the 居委, the check-in's distance and the worker's check-ins within the hour."""
    at = visit.checked_in_at
    own = Visit.objects.filter(worker_id=visit.worker_id, checked_in_at__lte=at).exclude(pk=visit.pk) \
        .order_by("-checked_in_at").values_list("note", flat=True)[:SAME_WORKER_NOTES]
    others = Visit.objects.filter(community_id=visit.community_id, checked_in_at__lte=at,
                                  checked_in_at__gte=at - dt.timedelta(days=OTHER_NOTES_DAYS)) \
        .exclude(household_id=visit.household_id).order_by("-checked_in_at") \
        .values_list("note", flat=True)[:OTHER_HOUSEHOLD_NOTES]
    in_hour = Visit.objects.filter(worker_id=visit.worker_id, checked_in_at__gt=at - dt.timedelta(hours=1),
                                   checked_in_at__lte=at).count()
    return {"note": visit.note, "same_worker_notes": list(own), "other_household_notes": list(others),
            "distance_m": visit.distance_m, "visits_in_hour": in_hour}


def assess_pending(*, limit: int = 500) -> int:
    """Assess visits stored while the assessment could not run; returns how many were assessed."""
    done = 0
    for visit in Visit.objects.filter(assessed_at__isnull=True).order_by("pk")[:limit]:
        done += assess_visit(visit=visit)
    return done


@audit.records_refusals
def decide_follow_up(*, visit: Visit, by: User, add_task: bool = False, file_case: bool = False,
                     case_description: str = "", category: str = "", reason: str = "") -> Visit:
    """确认建议跟进: the worker or the 居委 head takes the assessment's suggestion, in part or whole (a new
    visit task within the suggested days; the case draft filed, as written or corrected), or turns it down
    with a reason. Once per visit."""
    from jiedao.visits.services.assignment import add_task as add_visit_task
    from jiedao.visits.services.problems import file_problem

    ensure_perm(by, Perm.DO_VISITS)
    ensure_in_scope(visit, user=by)
    if file_case:
        ensure_perm(by, Perm.REPORT_CASES)
    suggestion = visit.follow_up
    if visit.follow_up_status != "pending" or suggestion is None:
        raise ValidationError({"follow_up": _("这条建议已经处理过，或没有待确认的建议")})
    reason = " ".join((reason or "").split())[:200]
    if not (add_task or file_case) and len(reason) < 2:
        raise ValidationError({"reason": _("不采纳建议时请填写原因（至少 2 个字）")})
    if file_case and not (case_description or (suggestion.get("case_draft") or {}).get("description")):
        raise ValidationError({"case_description": _("请填写要转办的问题")})
    with transaction.atomic():
        locked = Visit.objects.select_for_update().get(pk=visit.pk)
        if locked.follow_up_status != "pending":
            raise ValidationError({"follow_up": _("这条建议已经处理过")})
        detail: dict = {"add_task": add_task, "file_case": file_case}
        if add_task:
            days = int(suggestion.get("task_within_days") or 3)
            task = add_visit_task(household=visit.household, by=by, kind=TaskKind.HIGH_RISK, source_visit=visit,
                                  due_on=timezone.localdate() + dt.timedelta(days=days),
                                  reason=suggestion.get("reason") or _("高风险复访"))
            detail["task"] = task.pk
        if file_case:
            draft = suggestion.get("case_draft") or {}
            problem = file_problem(visit=visit, description=case_description or draft.get("description", ""),
                                   category=category if category else (draft.get("code") or ""), by=by,
                                   n=90 + visit.problems.count(), from_assessment=True)
            detail["case"] = problem.case.number
        locked.follow_up_status = "accepted" if (add_task or file_case) else "dismissed"
        locked.follow_up_decided_by, locked.follow_up_decided_at = by, timezone.now()
        locked.save(update_fields=["follow_up_status", "follow_up_decided_by", "follow_up_decided_at"])
        audit.record(actor=by, action=AuditAction.UPDATE, obj=locked, reason=reason, detail=detail)
    return locked
