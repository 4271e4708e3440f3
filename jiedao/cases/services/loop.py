"""The closed loop (闭环): 立案, 派遣, 处置, 结案, 回访 and the steps between, on one case or many.

Every transition is a row of ``TRANSITIONS``: which permission it needs, from which states, into which.
``perform`` checks role and scope first (so a refusal's audit record survives), then, in one transaction,
locks the case, checks its version (two operators acting at once: the second gets a conflict, not a
corrupted case), checks the state, writes one append-only timeline event, re-projects the case's timing
columns from its whole timeline and writes the audit log.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiedao.cases import workdays
from jiedao.cases.models import Case, Department, EventKind, Process, Rating, Status
from jiedao.cases.services.photos import CheckedPhoto, store_photo, validate_photo
from jiedao.cases.services.photos import atomic as photos_atomic
from jiedao.cases.services.placement import place_by_hand
from jiedao.cases.services.routing import deadlines, route
from jiedao.cases.services.text import MAX_NOTE, category_by_code, clean_text
from jiedao.cases.services.timeline import record_event, reproject
from jiedao.core import audit
from jiedao.core.access import ensure_in_scope, ensure_perm
from jiedao.core.models import AuditAction, User
from jiedao.core.roles import Perm, has_perm
from jiedao.core.scope import scope_of


class Conflict(Exception):
    """The case changed since the user loaded it (another operator acted first)."""


@dataclass(frozen=True)
class Transition:
    """One step of the loop: who may take it (``perm``), from which states, into which."""

    kind: str
    label: object
    sources: tuple[str, ...]
    target: str | None  # None: the status does not change
    perm: str
    note_required: bool = False


OPERATE, HANDLE = Perm.OPERATE_CASES, Perm.HANDLE_CASES
_ACTIVE = (Status.NEW, Status.REGISTERED, Status.DISPATCHED, Status.HANDLING, Status.HANDLED, Status.SUSPENDED)

TRANSITIONS: dict[str, Transition] = {t.kind: t for t in [
    Transition("register", gettext_lazy("立案"), (Status.NEW,), Status.REGISTERED, OPERATE),
    Transition("reclassify", gettext_lazy("改分类"), (Status.NEW, Status.REGISTERED), None, OPERATE),
    Transition("place", gettext_lazy("人工定位"), _ACTIVE, None, OPERATE),
    Transition("dispatch", gettext_lazy("派遣"), (Status.REGISTERED,), Status.DISPATCHED, OPERATE),
    Transition("return", gettext_lazy("退回"), (Status.DISPATCHED, Status.HANDLING), Status.REGISTERED, HANDLE,
               note_required=True),
    Transition("accept", gettext_lazy("签收"), (Status.DISPATCHED,), Status.HANDLING, HANDLE),
    Transition("contact", gettext_lazy("先行联系"), (Status.DISPATCHED, Status.HANDLING), None, HANDLE,
               note_required=True),
    Transition("request_extension", gettext_lazy("申请延期"), (Status.HANDLING,), None, HANDLE, note_required=True),
    Transition("approve_extension", gettext_lazy("同意延期"), (Status.HANDLING,), None, OPERATE),
    Transition("refuse_extension", gettext_lazy("不同意延期"), (Status.HANDLING,), None, OPERATE,
               note_required=True),
    Transition("handle", gettext_lazy("处置反馈"), (Status.HANDLING,), Status.HANDLED, HANDLE, note_required=True),
    Transition("rework", gettext_lazy("返工"), (Status.HANDLED,), Status.HANDLING, OPERATE, note_required=True),
    Transition("close", gettext_lazy("结案"), (Status.HANDLED,), Status.CLOSED, OPERATE),
    Transition("suspend", gettext_lazy("挂账"), (Status.REGISTERED, Status.DISPATCHED, Status.HANDLING),
               Status.SUSPENDED, OPERATE, note_required=True),
    Transition("resume", gettext_lazy("恢复办理"), (Status.SUSPENDED,), None, OPERATE),
    Transition("cancel", gettext_lazy("作废"), (Status.NEW, Status.REGISTERED), Status.CANCELLED, OPERATE,
               note_required=True),
    Transition("merge", gettext_lazy("合并为重复件"), (Status.NEW, Status.REGISTERED), Status.CANCELLED, OPERATE),
    Transition("visit", gettext_lazy("回访评价"), (Status.CLOSED,), None, OPERATE),
    Transition("reopen", gettext_lazy("重新办理"), (Status.CLOSED,), Status.DISPATCHED, OPERATE, note_required=True),
    Transition("note", gettext_lazy("备注"), _ACTIVE, None, Perm.VIEW_CASES, note_required=True),
]}

_KIND_OF = {
    "register": EventKind.REGISTERED, "reclassify": EventKind.RECLASSIFIED, "place": EventKind.PLACED,
    "dispatch": EventKind.DISPATCHED, "return": EventKind.RETURNED, "accept": EventKind.ACCEPTED,
    "contact": EventKind.CONTACTED, "request_extension": EventKind.EXTENSION_REQUESTED,
    "approve_extension": EventKind.EXTENSION_APPROVED, "refuse_extension": EventKind.EXTENSION_REFUSED,
    "handle": EventKind.HANDLED, "rework": EventKind.REWORK, "close": EventKind.CLOSED,
    "suspend": EventKind.SUSPENDED, "resume": EventKind.RESUMED, "cancel": EventKind.CANCELLED,
    "merge": EventKind.MERGED, "visit": EventKind.VISITED, "reopen": EventKind.REOPENED, "note": EventKind.NOTE,
}


def allowed_actions(*, case: Case, user: User) -> list[Transition]:
    """What the user may do to the case now (for the page's buttons; ``perform`` checks again)."""
    out = []
    for t in TRANSITIONS.values():
        if case.status not in t.sources or not has_perm(user, t.perm):
            continue
        if t.perm == HANDLE and case.department_id != user.department_id:
            continue
        if t.kind in ("approve_extension", "refuse_extension") and not case.extension_pending:
            continue
        if t.kind == "request_extension" and case.extension_pending:
            continue
        if t.kind == "merge" and case.possible_duplicate_of_id is None:
            continue
        if t.kind == "visit" and case.rating is not None:
            continue
        out.append(t)
    return out


def perform(*, case: Case, action: str, by: User, note: str = "", version: int | None = None, **params) -> Case:
    """Carry out one step of the closed loop on ``case``; raises PermissionDenied (403), ValidationError
    (a wrong state or bad input), or Conflict (the case changed meanwhile)."""
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise ValidationError({"action": _("未知的操作：%(a)s") % {"a": action}})
    _check_access(case, transition, by)
    try:
        return _perform(case.pk, transition, by=by, note=note, version=version, params=params)
    except ValidationError as exc:
        audit.record(actor=by, action=AuditAction.ERROR, obj=case,
                     detail={"transition": action, "fields": sorted(getattr(exc, "error_dict", {}) or [])})
        raise


def _check_access(case: Case, transition: Transition, by: User) -> None:
    ensure_perm(by, transition.perm)
    ensure_in_scope(case, user=by)
    if transition.perm == HANDLE:
        # A handler acts only on cases dispatched to their own department.
        if by.department_id is None or case.department_id != by.department_id:
            audit.record_denied(actor=by, obj=case, detail={"transition": transition.kind})
            raise PermissionDenied(_("该案件未派遣给您的部门"))


def _perform(pk: int, t: Transition, *, by: User, note: str, version: int | None, params: dict) -> Case:
    note = clean_text(note, field="note", limit=MAX_NOTE, required=t.note_required)
    with photos_atomic():  # a photo stored before a later one fails goes with the rolled-back transaction
        case = Case.objects.select_for_update().get(pk=pk)
        if version is not None and int(version) != case.version:
            raise Conflict(_("案件 %(n)s 已被他人更新，请刷新后再操作") % {"n": case.number})
        if case.status not in t.sources:
            raise ValidationError({"status": _("案件当前状态为“%(s)s”，不能%(a)s") % {
                "s": case.get_status_display(), "a": t.label}})
        before = case.status
        data, department = _apply(case, t, by=by, note=note, params=params)
        target = t.target or case.status
        case.status = target
        event = record_event(case=case, kind=_KIND_OF[t.kind], by=by, from_status=before, to_status=target, note=note,
                             data=data, department=department)
        for photo in params.get("photos") or ():
            store_photo(case=case, photo=photo, by=by, event=event)
        reproject(case=case)
        case.version += 1
        case.save()
        audit.record(actor=by, action=AuditAction.UPDATE, obj=case,
                     detail={"transition": t.kind, "from": before, "to": target})
    return case


def _apply(case: Case, t: Transition, *, by: User, note: str, params: dict) -> tuple[dict, Department | None]:
    """The transition's own effect on the case; returns the event's data and department."""
    kind, data = t.kind, {}
    if params.get("photos"):
        params["photos"] = [p if isinstance(p, CheckedPhoto) else validate_photo(p) for p in params["photos"]]
    if kind in ("register", "reclassify"):
        code = params.get("category") or (case.category.code if case.category else "") or \
            (case.suggested_category.code if case.suggested_category else "")
        if not code:
            raise ValidationError({"category": _("请选择案件分类")})
        category = category_by_code(code)
        data = {"category": category.code, "previous": case.category.code if case.category else None}
        case.category = category
        if "urgent" in params and params["urgent"] is not None:
            case.urgent = bool(params["urgent"])
            data["urgent"] = case.urgent
    elif kind == "place":
        data = place_by_hand(case=case, params=params)
    elif kind in ("dispatch", "reopen"):
        department, process = _dispatch_target(case, params, reopen=kind == "reopen")
        now = timezone.now()
        due = deadlines(process=process, start=now)
        case.department, case.process = department, process
        data = {"department": department.code, "process": process.code,
                "handle_due": due["handle_due"].isoformat(),
                "first_contact_due": due["first_contact_due"].isoformat() if due["first_contact_due"] else None}
        return data, department
    elif kind == "return":
        data = {"department": case.department.code if case.department else None}
        department = case.department
        case.department = None
        return data, department
    elif kind == "request_extension":
        days = _positive_int(params.get("days"), field="days", limit=30)
        data = {"days": days}
    elif kind == "approve_extension" and case.extension_pending:
        requested = case.events.filter(kind=EventKind.EXTENSION_REQUESTED).order_by("-at", "-id").first()
        days = _positive_int(params.get("days") or (requested.data.get("days") if requested else None),
                             field="days", limit=30)
        base = case.handle_due or timezone.now()
        data = {"days": days, "handle_due": workdays.add_working_days(base, days).isoformat()}
    elif kind == "handle":
        if case.process and case.process.first_contact_required and case.first_contacted_at is None:
            raise ValidationError({"status": _("反馈前请先完成先行联系")})
    elif kind == "resume":
        last = case.events.filter(kind=EventKind.SUSPENDED).order_by("-at", "-id").first()
        case.status = last.from_status if last else Status.REGISTERED
    elif kind == "merge":
        target = _merge_target(case, params)
        case.duplicate_of = target
        data = {"into": target.number}
    elif kind == "visit":
        try:
            rating = int(params.get("rating"))
        except (TypeError, ValueError):
            rating = None
        if rating not in Rating.values:
            raise ValidationError({"rating": _("请选择评价：满意、基本满意或不满意")})
        data = {"rating": rating}
    if kind in ("approve_extension", "refuse_extension") and not case.extension_pending:
        raise ValidationError({"status": _("没有待审批的延期申请")})
    if kind == "request_extension" and case.extension_pending:
        raise ValidationError({"status": _("已有待审批的延期申请")})
    return data, None


def _positive_int(value, *, field: str, limit: int) -> int:
    try:
        n = int(value)
    except (TypeError, ValueError):
        n = 0
    if not 1 <= n <= limit:
        raise ValidationError({field: _("请填写 1–%(n)s 之间的天数") % {"n": limit}})
    return n


def _dispatch_target(case: Case, params: dict, *, reopen: bool) -> tuple[Department, Process]:
    suggested_department, suggested_process = route(case=case)
    department = suggested_department
    if reopen and case.department is not None:
        department = case.department
    if params.get("department"):
        value = params["department"]
        qs = Department.objects.filter(subdistrict_id=case.subdistrict_id, active=True)
        department = (qs.filter(pk=value).first() if str(value).isdigit() else None) or qs.filter(code=value).first()
        if department is None:
            raise ValidationError({"department": _("未知的处置部门：%(d)s") % {"d": value}})
    if department is None:
        raise ValidationError({"department": _("没有适用的派遣场景，请选择处置部门")})
    process = suggested_process or case.process
    if params.get("process"):
        process = Process.objects.filter(subdistrict_id=case.subdistrict_id, code=params["process"],
                                         active=True).first()
        if process is None:
            raise ValidationError({"process": _("未知的处置流程：%(p)s") % {"p": params["process"]}})
    if process is None:
        process = Process.objects.filter(subdistrict_id=case.subdistrict_id, code="HOTLINE5", active=True).first()
    if process is None:
        raise ValidationError({"process": _("本街道尚未配置处置流程")})
    return department, process


def _merge_target(case: Case, params: dict) -> Case:
    number = params.get("into") or (case.possible_duplicate_of.number if case.possible_duplicate_of else "")
    target = Case.objects.filter(subdistrict_id=case.subdistrict_id, number=str(number).strip()).first()
    if target is None or target.pk == case.pk or target.status == Status.CANCELLED:
        raise ValidationError({"into": _("请填写要合并到的有效案件编号")})
    return target


def dispatch_many(*, case_ids: list[int], by: User, department: str = "", process: str = "") -> dict:
    """批量派遣: each case in its own transaction; returns what went and why the others did not."""
    ensure_perm(by, OPERATE)
    done, failed = [], {}
    qs = Case.objects.within(scope_of(by)).filter(pk__in=case_ids)
    found = {c.pk: c for c in qs}
    for pk in case_ids:
        case = found.get(pk)
        if case is None:
            failed[pk] = _("案件不存在或不在您的数据范围内")
            continue
        try:
            perform(case=case, action="dispatch", by=by, department=department, process=process)
            done.append(case.number)
        except (ValidationError, PermissionDenied, Conflict) as exc:
            failed[pk] = "; ".join(getattr(exc, "messages", [str(exc)]))
    return {"dispatched": done, "failed": failed}


def resident_rate(*, case: Case, by: User, rating: int, note: str = "") -> Case:
    """回访评价 by the resident who reported the case, on the portal."""
    if not getattr(by, "is_authenticated", False) or case.reporter_id != by.pk:
        audit.record_denied(actor=by, obj=case, detail={"transition": "visit"})
        raise PermissionDenied(_("只能评价本人上报的案件"))
    t = TRANSITIONS["visit"]
    if case.rating is not None:
        raise ValidationError({"rating": _("该案件已评价")})
    return _perform(case.pk, t, by=by, note=note, version=None, params={"rating": rating})
