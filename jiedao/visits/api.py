"""四百走访 (door-to-door visits): plans, tasks, reminders, QR check-in, problems into cases, resident
feedback and the AI follow-up evaluation (AI回访评估). See docs/visits.md.

The JSON API does what the pages do: the worker's today list and inbox, check-in by a scanned 户码, the visit
(idempotent by ``client_id``; photos as base64), a visit with its assessment, the follow-up to confirm, the
head's task actions, plan and board, the figures, and the resident's rating (no account)."""

import base64
import binascii
import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from jiedao.core.access import ensure_perm, get_in_scope
from jiedao.core.roles import Perm
from jiedao.geo.models import Building
from jiedao.visits import selectors, services
from jiedao.visits.figures import DEFINITIONS
from jiedao.visits.models import ChecklistItem, TaskStatus, VisitTask

router = Router(tags=["visits"])


# ------------------------------------------------------------------------------------------------ tasks

class TaskOut(Schema):
    id: int
    household_id: int
    address: str
    room: str
    kind: str
    reason: str
    colour: str
    assignee_id: int | None
    assignee: str | None
    starts_on: dt.date
    due_on: dt.date
    original_due_on: dt.date
    status: str
    done_at: dt.datetime | None
    visit_id: int | None
    source_case: str | None
    closed_reason: str

    @staticmethod
    def resolve_address(obj) -> str:
        return obj.building.address

    @staticmethod
    def resolve_room(obj) -> str:
        return obj.household.room

    @staticmethod
    def resolve_assignee(obj) -> str | None:
        return obj.assignee.display_name if obj.assignee_id else None

    @staticmethod
    def resolve_source_case(obj) -> str | None:
        return obj.source_case.number if obj.source_case_id else None


class TodayOut(Schema):
    overdue: list[TaskOut]
    due_soon: list[TaskOut]
    later: list[TaskOut]
    open_count: int
    done_today: int
    unread: dict[str, int]


@router.get("/today", response=TodayOut, summary="今日走访：逾期、一周内到期和本期其他任务")
def today(request):
    data = selectors.today_list(user=request.user)
    return {"overdue": data.overdue, "due_soon": data.due_soon,
            "later": [t for g in data.buildings for t in g.tasks], "open_count": data.open_count,
            "done_today": data.done_today, "unread": data.unread}


class ReminderOut(Schema):
    id: int
    kind: str
    task: TaskOut
    created_at: dt.datetime
    read_at: dt.datetime | None


@router.get("/inbox", response=list[ReminderOut], summary="站内提醒（本人）")
@paginate(LimitOffsetPagination)
def inbox(request, unread: bool = False):
    return selectors.inbox(user=request.user, unread_only=unread).select_related("task__source_case")


class ReadIn(Schema):
    ids: list[int] | None = None


@router.post("/inbox/read", summary="标为已读（不给 ids 则全部）")
def read(request, body: ReadIn):
    return {"read": services.mark_read(user=request.user, reminder_ids=body.ids)}


@router.get("/tasks", response=list[TaskOut], summary="走访任务（范围内，可筛选）")
@paginate(LimitOffsetPagination)
def tasks(request, community: int | None = None, worker: str = "", status: str = "", kind: str = "",
          colour: str = "", due_since: dt.date | None = None, due_until: dt.date | None = None,
          overdue: bool | None = None, household: int | None = None):
    filters = {"community": community, "worker": worker, "status": status, "kind": kind, "colour": colour,
               "due_since": due_since, "due_until": due_until, "overdue": overdue, "household": household}
    return selectors.task_list(user=request.user, filters={k: v for k, v in filters.items() if v not in (None, "")})


@router.get("/tasks/{task_id}", response=TaskOut, summary="一个走访任务")
def task(request, task_id: int):
    return selectors.get_task(user=request.user, task_id=task_id)


class ReassignIn(Schema):
    worker_id: int
    reason: str = ""


class PostponeIn(Schema):
    due_on: dt.date
    reason: str


class CancelIn(Schema):
    reason: str


def _worker(task_obj: VisitTask, worker_id: int):
    worker = next((w for w in services.community_workers(community_id=task_obj.community_id, heads=True)
                   if w.pk == worker_id), None)
    if worker is None:
        raise ValidationError({"worker_id": _("只能分配给本居委在岗的社工")})
    return worker


@router.post("/tasks/{task_id}/reassign", response=TaskOut, summary="改派（居委负责人）")
def reassign(request, task_id: int, body: ReassignIn):
    record = selectors.get_task(user=request.user, task_id=task_id)
    ensure_perm(request.user, Perm.MANAGE_VISITS)
    return services.reassign_task(task=record, to=_worker(record, body.worker_id), by=request.user,
                                  reason=body.reason)


@router.post("/tasks/{task_id}/postpone", response=TaskOut, summary="延期（居委负责人，须写原因）")
def postpone(request, task_id: int, body: PostponeIn):
    record = selectors.get_task(user=request.user, task_id=task_id)
    return services.postpone_task(task=record, to=body.due_on, by=request.user, reason=body.reason)


@router.post("/tasks/{task_id}/cancel", response=TaskOut, summary="取消（居委负责人，须写原因）")
def cancel(request, task_id: int, body: CancelIn):
    record = selectors.get_task(user=request.user, task_id=task_id)
    return services.cancel_task(task=record, by=request.user, reason=body.reason)


# ------------------------------------------------------------------------------------- check-in, visit

class CheckInIn(Schema):
    code: str  # the scanned 户码: its token, or the whole link


class PersonOut(Schema):
    id: int
    name: str


class ItemOut(Schema):
    code: str
    label: str
    hint: str


class CheckInOut(Schema):
    check_in: str  # signed: send it back with the visit
    checked_in_at: dt.datetime
    via: str
    household_id: int
    address: str
    room: str
    colour: str
    residents: list[PersonOut]
    tasks: list[TaskOut]
    checklist: list[ItemOut]


def _check_in_out(check_in) -> dict:
    from django.utils import timezone

    household = check_in.household
    day = timezone.localtime(check_in.at).date()
    return {
        "check_in": check_in.token, "checked_in_at": check_in.at, "via": check_in.via, "household_id": household.pk,
        "address": household.building.address, "room": household.room, "colour": household.care_colour,
        "residents": [{"id": r.pk, "name": r.name} for r in household.residents.living().order_by("relation", "pk")],
        "tasks": list(VisitTask.objects.filter(household=household, status=TaskStatus.OPEN, starts_on__lte=day)
                      .select_related("building__road", "household", "assignee", "source_case")),
        "checklist": list(ChecklistItem.objects.filter(active=True)),
    }


@router.post("/check-ins", response=CheckInOut, summary="扫码签到（户码在范围外：403 并审计；已作废：410）")
def check_in_by_code(request, body: CheckInIn):
    from ninja.errors import HttpError

    from jiedao.registry.services import InvalidCode

    token = body.code.strip().rstrip("/").rsplit("/h/", 1)[-1]
    try:
        check_in = services.check_in_by_code(token=token, by=request.user)
    except InvalidCode as exc:
        if exc.reason == "revoked":
            raise HttpError(410, _("户码已作废，请使用门上张贴的新户码")) from exc
        raise HttpError(404, _("户码无效：不是本平台签发的有效户码")) from exc
    return _check_in_out(check_in)


@router.post("/households/{household_id}/check-ins", response=CheckInOut, summary="从户档案开始走访（未扫码）")
def check_in_from_file(request, household_id: int):
    from jiedao.registry import selectors as registry_selectors

    household = registry_selectors.get_household(user=request.user, household_id=household_id)
    return _check_in_out(services.check_in_from_file(household=household, by=request.user))


class ProblemIn(Schema):
    description: str
    category: str = ""


class VisitIn(Schema):
    check_in: str
    client_id: str  # a UUID the client makes once per form: the same form sent again is stored once
    note: str
    outcome: str = "met"
    answers: dict[str, str] = {}
    met_residents: list[int] = []
    met_others: list[str] = []
    lat: float | None = None
    lon: float | None = None
    accuracy_m: float | None = None
    problems: list[ProblemIn] = []
    photos: list[str] = []  # base64 JPEG / PNG / WebP, at most 6


class SubmittedOut(Schema):
    id: int
    created: bool


def _photo(data: str, n: int):
    from django.core.files.uploadedfile import SimpleUploadedFile

    try:
        raw = base64.b64decode(data.split(",", 1)[-1], validate=True)
    except (binascii.Error, ValueError):
        raise ValidationError({"photos": _("第 %(n)s 张照片不是有效的 base64") % {"n": n}}) from None
    return SimpleUploadedFile(f"photo{n}", raw)


@router.post("/visits", response={200: SubmittedOut, 201: SubmittedOut}, summary="提交走访（按 client_id 幂等）")
def submit(request, body: VisitIn):
    if len(body.photos) > 6:
        raise ValidationError({"photos": _("照片最多 %(n)s 张") % {"n": 6}})
    form = services.VisitForm(
        check_in=body.check_in, client_id=body.client_id, note=body.note, outcome=body.outcome, answers=body.answers,
        met_residents=body.met_residents, met_others=body.met_others, lat=body.lat, lon=body.lon,
        accuracy_m=body.accuracy_m, photos=[_photo(p, i) for i, p in enumerate(body.photos, start=1)],
        problems=[services.Problem(p.description, p.category) for p in body.problems])
    result = services.submit_visit(form=form, by=request.user)
    return (201 if result.created else 200), {"id": result.visit.pk, "created": result.created}


class VisitOut(Schema):
    id: int
    household_id: int
    address: str
    room: str
    worker: str
    outcome: str
    return_visit: bool
    checked_in_at: dt.datetime
    check_in_via: str
    distance_m: float | None
    submitted_at: dt.datetime
    risk: str
    risk_types: list[str]
    confidence: float | None
    flagged: bool

    @staticmethod
    def resolve_address(obj) -> str:
        return obj.building.address

    @staticmethod
    def resolve_room(obj) -> str:
        return obj.household.room

    @staticmethod
    def resolve_worker(obj) -> str:
        return obj.worker.display_name


class CaseOut(Schema):
    number: str
    status: str


class VisitDetailOut(Schema):
    id: int
    household_id: int
    address: str
    room: str
    worker: str
    outcome: str
    return_visit: bool
    checked_in_at: dt.datetime
    check_in_via: str
    distance_m: float | None
    submitted_at: dt.datetime
    risk: str
    risk_types: list[str]
    confidence: float | None
    flagged: bool
    note: str
    answers: dict[str, str]
    met_residents: list[PersonOut]
    met_others: list[str]
    evidence: list[str]
    evidence_by_type: dict[str, list[str]]
    follow_up: dict | None
    follow_up_status: str
    flags: list[dict]
    cases: list[CaseOut]
    feedback_rating: int | None
    feedback_expires_at: dt.datetime | None


@router.get("/visits", response=list[VisitOut], summary="走访记录（范围内，可筛选；不含记录正文）")
@paginate(LimitOffsetPagination)
def visits(request, community: int | None = None, worker: int | None = None, household: int | None = None,
           since: str = "", until: str = "", risk: str = "", risk_type: str = "", flagged: bool | None = None,
           return_visit: bool | None = None, problems: bool | None = None, rated: bool | None = None,
           follow_up: str = ""):
    filters = {"community": community, "worker": worker, "household": household, "since": since, "until": until,
               "risk": risk, "risk_type": risk_type, "flagged": flagged, "return_visit": return_visit,
               "problems": problems, "rated": rated, "follow_up": follow_up}
    return selectors.visit_list(user=request.user, filters={k: v for k, v in filters.items() if v not in (None, "")})


@router.get("/visits/{visit_id}", response=VisitDetailOut, summary="一次走访：记录、评估依据、质量提示、转办案件")
def visit(request, visit_id: int):
    from jiedao.core import audit
    from jiedao.core.models import AuditAction

    record = selectors.get_visit(user=request.user, visit_id=visit_id)
    if record.worker_id != request.user.pk:
        audit.record(actor=request.user, action=AuditAction.VIEW, obj=record)
    feedback = getattr(record, "feedback", None)
    return {
        **{f: getattr(record, f) for f in ("id", "household_id", "outcome", "return_visit", "checked_in_at",
                                           "check_in_via", "distance_m", "submitted_at", "risk", "risk_types",
                                           "confidence", "flagged")},
        "address": record.building.address, "room": record.household.room, "worker": record.worker.display_name,
        "note": record.note, "answers": record.answer_map,
        "met_residents": [{"id": r.pk, "name": r.name} for r in record.met_residents.all()],
        "met_others": record.met_others, "evidence": record.evidence,
        "evidence_by_type": record.assessment_data.get("evidence_by_type") or {}, "follow_up": record.follow_up,
        "follow_up_status": record.follow_up_status, "flags": record.flags,
        "cases": [{"number": c.number, "status": c.status} for c in selectors.visit_cases(visit=record)],
        "feedback_rating": feedback.rating if feedback else None,
        "feedback_expires_at": feedback.expires_at if feedback and not feedback.used_at else None,
    }


class FollowUpIn(Schema):
    add_task: bool = False
    file_case: bool = False
    case_description: str = ""
    category: str = ""
    reason: str = ""


@router.post("/visits/{visit_id}/follow-up", response=VisitOut, summary="确认或不采纳 AI 建议跟进")
def follow_up(request, visit_id: int, body: FollowUpIn):
    record = selectors.get_visit(user=request.user, visit_id=visit_id)
    return services.decide_follow_up(visit=record, by=request.user, **body.dict())


class FeedbackCardOut(Schema):
    url: str
    expires_at: dt.datetime


@router.get("/visits/{visit_id}/feedback-card", response=FeedbackCardOut, summary="评价码（未使用时）")
def feedback_card(request, visit_id: int):
    from django.http import Http404
    from django.urls import reverse

    ensure_perm(request.user, Perm.DO_VISITS)
    record = selectors.get_visit(user=request.user, visit_id=visit_id)
    feedback = getattr(record, "feedback", None)
    if feedback is None or feedback.used_at is not None:
        raise Http404
    url = request.build_absolute_uri(reverse("visits:feedback", args=[services.token_for(feedback)]))
    return {"url": url, "expires_at": feedback.expires_at}


# ------------------------------------------------------------------------------------- plan and board

class RuleIn(Schema):
    community_id: int
    code: str
    every_months: int | None = None
    due_days: int | None = None
    active: bool = True


class RuleOut(Schema):
    code: str
    name: str
    kind: str
    colour: str
    every_months: int | None
    due_days: int | None
    working_days: bool
    active: bool
    community_id: int | None


def _community(request, community_id: int):
    from jiedao.geo.models import Community

    return get_in_scope(Community.objects.all(), user=request.user, pk=community_id)


@router.get("/plan", response=list[RuleOut], summary="本居委适用的走访规则（居委自己的或街道默认）")
def plan(request, community_id: int):
    from jiedao.visits.services.rules import rules_by_community, rules_for

    ensure_perm(request.user, Perm.VIEW_VISITS)
    community = _community(request, community_id)
    return rules_for(rules_by_community(subdistrict_id=community.subdistrict_id), community.pk)


@router.post("/plan/rules", response=RuleOut, summary="设置本居委的走访频次（居委负责人）")
def set_rule(request, body: RuleIn):
    community = _community(request, body.community_id)
    return services.set_plan_rule(community=community, code=body.code, by=request.user,
                                  every_months=body.every_months, due_days=body.due_days, active=body.active)


class AssignIn(Schema):
    building_id: int
    worker_id: int


@router.post("/plan/buildings", summary="楼栋分工：指定社工（居委负责人）")
def assign(request, body: AssignIn):
    ensure_perm(request.user, Perm.MANAGE_VISITS)
    building = get_in_scope(Building.objects.all(), user=request.user, pk=body.building_id)
    worker = next((w for w in services.community_workers(community_id=building.community_id, heads=True)
                   if w.pk == body.worker_id), None)
    if worker is None:
        raise ValidationError({"worker_id": _("只能分配给本居委在岗的社工")})
    services.assign_building(building=building, worker=worker, by=request.user)
    return {"building_id": building.pk, "worker_id": worker.pk}


class BalanceIn(Schema):
    community_id: int


@router.post("/plan/balance", summary="按工作量重新均衡自动分配的楼栋（居委负责人）")
def balance(request, body: BalanceIn):
    ensure_perm(request.user, Perm.MANAGE_VISITS)
    community = _community(request, body.community_id)
    return {"changed": services.balance(community_id=community.pk, rebalance=True, by=request.user)}


class LoadOut(Schema):
    worker_id: int
    worker: str
    buildings: int
    open: int
    overdue: int
    done_this_month: int


class BoardOut(Schema):
    community_id: int
    loads: list[LoadOut]
    unassigned_open: int
    overdue_count: int
    overdue: list[TaskOut]
    escalations: list[TaskOut]
    flagged: list[VisitOut]
    high_risk: list[VisitOut]
    pending_follow_ups: int


@router.get("/board", response=BoardOut, summary="居委负责人看板")
def board(request, community_id: int):
    data = selectors.board(user=request.user, community=_community(request, community_id))
    return {
        "community_id": community_id, "unassigned_open": data["unassigned_open"],
        "overdue_count": data["overdue_count"], "overdue": data["overdue"],
        "escalations": [r.task for r in data["escalations"]], "flagged": data["flagged"],
        "high_risk": data["high_risk"], "pending_follow_ups": data["pending_follow_ups"],
        "loads": [{"worker_id": load.worker.pk, "worker": load.worker.display_name, "buildings": load.buildings,
                   "open": load.open, "overdue": load.overdue, "done_this_month": load.done_this_month}
                  for load in data["loads"]],
    }


# --------------------------------------------------------------------------------------------- figures

class FiguresOut(Schema):
    key: str | None
    visits_due: int
    visits_done: int
    coverage: float | None
    tasks_matured: int
    tasks_on_time: int
    on_time: float | None
    high_risk: int
    referred: int
    referred_closed: int
    closed_rate: float | None
    rated: int
    satisfied: int
    satisfaction: float | None


class FiguresAnswer(Schema):
    start: dt.date
    end: dt.date
    group: str | None
    definitions: dict[str, list[str]]
    total: FiguresOut
    rows: list[FiguresOut]


@router.get("/figures", response=FiguresAnswer,
            summary="走访覆盖率、按时完成率、高风险发现数、问题转办数与办结率、回访满意率")
def figures(request, start: dt.date, end: dt.date, group: str | None = None):
    if end < start:
        raise ValidationError({"end": _("截止日期不能早于起始日期")})
    if (end - start).days > 3 * 366:
        raise ValidationError({"end": _("统计期最长三年")})
    if group not in (None, "", "community", "worker", "colour"):
        raise ValidationError({"group": _("分组只能是 community、worker 或 colour")})
    data = selectors.figures(user=request.user, start=start, end=end, group=group or None)
    return {
        "start": start, "end": end, "group": group or None,
        "definitions": {k: [str(name), str(text)] for k, (name, text) in DEFINITIONS.items()},
        "total": {"key": None, **data["total"].as_dict()},
        "rows": [{"key": None if k is None else str(k), **f.as_dict()} for k, f in data["rows"].items()],
    }


# ----------------------------------------------------------------------------------- resident feedback

class FeedbackOut(Schema):
    about_case: bool
    worker: str
    visited_on: dt.date
    expires_at: dt.datetime


class RatingIn(Schema):
    rating: int  # 3 满意, 2 基本满意, 1 不满意
    comment: str = ""


def _code(token: str):
    from ninja.errors import HttpError

    try:
        return services.read_code(token=token)
    except services.BadCode as exc:
        raise HttpError(410 if exc.reason in ("used", "expired") else 404, exc.message) from exc


@router.get("/feedback/{token}", response=FeedbackOut, auth=None, summary="居民评价码（无需登录）")
def feedback(request, token: str):
    code = _code(token)
    return {"about_case": code.case_id is not None, "worker": code.visit.worker.display_name,
            "visited_on": code.visit.checked_in_at.date(), "expires_at": code.expires_at}


@router.post("/feedback/{token}", auth=None, summary="居民评价：满意 / 基本满意 / 不满意（每个码一次）")
def rate(request, token: str, body: RatingIn):
    from ninja.errors import HttpError

    _code(token)
    try:
        services.rate(token=token, rating=body.rating, comment=body.comment)
    except services.BadCode as exc:
        raise HttpError(410, exc.message) from exc
    return {"rated": True}
