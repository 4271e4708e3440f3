"""一网统管 endpoints under /api/v1/cases/: intake (12345 orders, patrol, sensors), queues, the closed loop,
likely duplicates (疑似重复) and the operator's answer to them, photos, KPIs with drill-down, configuration
reads and the classifier. Everything the pages do.

A case number outside the requester's scope is never named in an answer: not as a likely duplicate, not as
the flagged case or the case merged into, not in the timeline's data."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate

from jiedao.cases import households, selectors, services
from jiedao.cases.models import Case, Channel, Department, Process, Scenario
from jiedao.core.access import in_scope
from jiedao.core.api_frame import require
from jiedao.core.crypto import mask_phone
from jiedao.core.roles import Perm
from jiedao.core.scope import scope_of

router = Router(tags=["cases"])


class CaseOut(Schema):
    id: int
    number: str
    version: int
    channel: str
    external_id: str
    status: str
    status_label: str
    description: str
    address: str
    lat: float | None
    lon: float | None
    area: str | None
    community: str | None
    grid: str | None
    needs_placement: bool
    category: str | None
    category_code: str | None
    suggestion: dict
    urgent: bool
    possible_duplicate_of: str | None
    duplicate_of: str | None
    reporter_name: str
    reporter_phone: str
    department: str | None
    department_code: str | None
    process: str | None
    reported_at: dt.datetime
    registered_at: dt.datetime | None
    dispatched_at: dt.datetime | None
    first_contact_due: dt.datetime | None
    first_contacted_at: dt.datetime | None
    handle_due: dt.datetime | None
    handled_at: dt.datetime | None
    closed_at: dt.datetime | None
    closed_on_time: bool | None
    rework_count: int
    extended: bool
    extension_pending: bool
    rating: int | None
    overdue: bool

    @staticmethod
    def resolve_status_label(obj) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_area(obj):
        return obj.area.name if obj.area_id else None

    @staticmethod
    def resolve_community(obj):
        return obj.community.name if obj.community_id else None

    @staticmethod
    def resolve_grid(obj):
        return obj.grid.code if obj.grid_id else None

    @staticmethod
    def resolve_category(obj):
        return obj.category.name if obj.category_id else None

    @staticmethod
    def resolve_category_code(obj):
        return obj.category.code if obj.category_id else None

    @staticmethod
    def resolve_possible_duplicate_of(obj):
        return _shown(obj, obj.possible_duplicate_of.number if obj.possible_duplicate_of_id else None)

    @staticmethod
    def resolve_duplicate_of(obj):
        return _shown(obj, obj.duplicate_of.number if obj.duplicate_of_id else None)

    @staticmethod
    def resolve_reporter_phone(obj) -> str:
        return mask_phone(obj.reporter_phone)

    @staticmethod
    def resolve_department(obj):
        return obj.department.name if obj.department_id else None

    @staticmethod
    def resolve_department_code(obj):
        return obj.department.code if obj.department_id else None

    @staticmethod
    def resolve_process(obj):
        return obj.process.code if obj.process_id else None

    @staticmethod
    def resolve_overdue(obj) -> bool:
        return obj.is_overdue()


class EventOut(Schema):
    id: int
    kind: str
    kind_label: str
    at: dt.datetime
    actor: str
    from_status: str
    to_status: str
    department: str | None
    note: str
    data: dict
    photos: list[str]

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_actor(obj) -> str:
        return obj.actor_name

    @staticmethod
    def resolve_department(obj):
        return obj.department.name if obj.department_id else None

    @staticmethod
    def resolve_photos(obj) -> list[str]:
        # The detail hands each event its own (the case's photos read once); otherwise they are read here.
        shown = getattr(obj, "photo_urls", None)
        return shown if shown is not None else [f"/cases/photos/{a.token}" for a in obj.attachments.all()]


class DuplicateOut(Schema):
    """A likely earlier report of the same incident (疑似重复), from the duplicate scorer: its number, status
    and report time, how likely it is the same incident (0–1) and why, in words (同一楼栋, 2 小时内,
    同为路灯损坏, 描述相近 0.71) in the request's language."""

    number: str
    status: str
    reported_at: dt.datetime
    probability: float
    reasons: list[str]


class HouseholdLinkOut(Schema):
    """The registry household (户) the case is linked to: its id (GET /api/v1/registry/households/{id}) and
    户编码."""

    id: int
    code: str


class CaseDetailOut(CaseOut):
    timeline: list[EventOut]
    actions: list[str]
    photos: list[str]
    duplicates: list[DuplicateOut]  # likeliest first, at most three, within the requester's scope
    household: HouseholdLinkOut | None  # only for a requester who may see that household; else null

    @staticmethod
    def resolve_duplicates(obj) -> list[dict]:
        return obj.likely_duplicates  # Case.duplicates is the reverse of duplicate_of

    @staticmethod
    def resolve_household(obj) -> dict | None:
        return getattr(obj, "household_link", None)


class CaseIn(Schema):
    channel: str = Channel.HOTLINE
    description: str
    address: str = ""
    lat: float | None = None
    lon: float | None = None
    category: str = ""
    external_id: str = ""  # 12345 工单编号: a second POST with the same number answers 409
    reporter_name: str = ""
    reporter_phone: str = ""
    reported_at: dt.datetime | None = None
    urgent: bool | None = None
    # 户编码 of the registry household the case concerns (channel visit: the household visited); it must be
    # one the requester may see. The code, not the id, because that is what callers hold (the household's QR
    # sheet, the registry's export).
    household: str = ""


class SensorAlarmIn(Schema):
    device: str
    alarm_type: str
    alarm_id: str
    lat: float | None = None
    lon: float | None = None
    address: str = ""
    category: str = ""
    occurred_at: dt.datetime | None = None
    evidence: dict = {}


class ActionIn(Schema):
    note: str = ""
    version: int | None = None  # the version the user saw: a stale one answers 409
    category: str = ""
    urgent: bool | None = None
    department: str = ""
    process: str = ""
    days: int | None = None
    rating: int | None = None
    into: str = ""
    grid: str = ""
    lat: float | None = None
    lon: float | None = None


class BulkDispatchIn(Schema):
    ids: list[int]
    department: str = ""
    process: str = ""


class DuplicateDecisionIn(Schema):
    accepted: bool  # true: 合并 (merge into ``into``, default the flagged case); false: 不是重复
    into: str = ""
    note: str = ""
    version: int | None = None  # the version the user saw: a stale one answers 409


class Message(Schema):
    detail: str
    number: str | None = None


def _shown(case: Case, number: str | None) -> str | None:
    """``number`` (a case ``case`` names) if the requester may see it: an answer that checked
    (``_name_only_visible``, ``CasePagination``) lists the numbers it may show; an answer about a case the
    requester has just made or acted on names them as they are."""
    visible = getattr(case, "visible_numbers", None)
    return number if visible is None or number in visible else None


class CasePagination(LimitOffsetPagination):
    """Limit/offset pages of cases that name another case (疑似重复 ``possible_duplicate_of``, merged into
    ``duplicate_of``) only when the requester may see it: a case in their scope can point at one outside it
    (intake compares the whole subdistrict), and a list must not tell them that one exists. One query per
    page, none for a requester who sees the whole of its cases' subdistrict."""

    def paginate_queryset(self, queryset, pagination, request, **params):
        page = super().paginate_queryset(queryset, pagination, request, **params)
        cases = list(page[self.items_attribute])
        named = {c.possible_duplicate_of_id for c in cases} | {c.duplicate_of_id for c in cases}
        named.discard(None)
        # A case names only cases of its own subdistrict (intake compares within it).
        visible = selectors.visible_ids(user=request.user, ids=named, subdistrict_ids={c.subdistrict_id for c in cases})
        for c in cases:
            c.visible_numbers = {other.number for other in (c.possible_duplicate_of, c.duplicate_of)
                                 if other is not None and other.pk in visible}
        page[self.items_attribute] = cases
        return page


def _name_only_visible(request, case: Case, events=()) -> None:
    """Keep on ``case`` the numbers of the other cases it and its ``events`` name that the requester may
    see, and drop the others from the events' data, so that the answer does not tell them a case exists
    outside their scope."""
    case.visible_numbers = selectors.visible_numbers(
        user=request.user, case=case, numbers=selectors.numbers_named(case=case, events=events))
    for e in events:
        e.data = {k: v for k, v in (e.data or {}).items()
                  if k not in selectors.NUMBER_KEYS or v in case.visible_numbers}


def _detail(request, case: Case) -> Case:
    # The case's photos, read once: the case lists them all, each event of the timeline its own.
    by_event: dict[int | None, list[str]] = {}
    case.photos = []
    for a in case.attachments.all():
        url = f"/cases/photos/{a.token}"
        case.photos.append(url)
        by_event.setdefault(a.event_id, []).append(url)
    case.timeline = list(selectors.timeline(case=case, photos=False))
    for e in case.timeline:
        e.photo_urls = by_event.get(e.pk, [])
    _name_only_visible(request, case, case.timeline)
    case.actions = [t.kind for t in services.allowed_actions(case=case, user=request.user)]
    case.likely_duplicates = [m.as_dict() for m in services.duplicate_matches(case=case, user=request.user)]
    case.household_link = households.household_shown(user=request.user, case=case)
    return case


def _subdistrict(request):
    if request.user.subdistrict_id is None:
        raise PermissionDenied(_("您的账号未设置所属街道"))
    return request.user.subdistrict


class CaseCreatedOut(Schema):
    """What intake decided, from the case in memory: no read-back, so that bulk intake stays cheap.
    The whole case is at GET /api/v1/cases/{number}. When intake flagged the case as a likely duplicate
    (``possible_duplicate_of``), ``duplicates`` gives the candidates with how likely and why; a case not
    flagged has none to explain, and costs no second duplicate search."""

    id: int
    number: str
    status: str
    urgent: bool
    needs_placement: bool
    grid_id: int | None
    community_id: int | None
    area_id: int | None
    building_id: int | None
    category_id: int | None
    suggestion: dict
    possible_duplicate_of: str | None
    duplicates: list[DuplicateOut]

    @staticmethod
    def resolve_possible_duplicate_of(obj):
        return _shown(obj, obj.possible_duplicate_of.number if obj.possible_duplicate_of else None)

    @staticmethod
    def resolve_duplicates(obj) -> list[dict]:
        return obj.likely_duplicates


@router.post("/", response={201: CaseCreatedOut, 409: Message}, summary="受理一件案件（12345 工单、巡查、居民上报）")
def create_case(request, body: CaseIn):
    require(request, Perm.OPERATE_CASES if body.channel == Channel.HOTLINE else Perm.REPORT_CASES)
    if body.channel == Channel.SENSOR:
        raise ValidationError({"channel": _("传感器报警请用 /api/v1/cases/sensor-alarms")})
    data = body.dict()
    code = data.pop("household")
    household_id = households.household_for_code(user=request.user, code=code) if code else None
    result = services.intake(subdistrict=_subdistrict(request), by=request.user, household_id=household_id, **data)
    if not result.created:
        return 409, {"detail": _("工单编号 %(id)s 已受理为案件 %(n)s") % {"id": body.external_id,
                                                                   "n": result.case.number},
                     "number": result.case.number}
    case = result.case
    case.likely_duplicates, case.visible_numbers = [], set()
    # A report the requester may not see themselves (a grid worker's beyond their grid) is answered, not refused.
    if case.possible_duplicate_of is not None and in_scope(case, user=request.user):
        _name_only_visible(request, case)
        case.likely_duplicates = [m.as_dict() for m in services.shown_to(result.duplicates, user=request.user,
                                                                         subdistrict_id=case.subdistrict_id)]
    return 201, case


@router.post("/sensor-alarms", response={201: CaseOut, 200: CaseOut}, summary="传感器报警立案（供物联感知模块调用）")
def sensor_alarm(request, body: SensorAlarmIn):
    require(request, Perm.REPORT_CASES)
    result = services.sensor_alarm(subdistrict=_subdistrict(request), by=request.user, **body.dict())
    return (201 if result.created else 200), selectors.case_detail(user=request.user, pk=result.case.pk)


@router.post("/patrol", response={201: CaseDetailOut}, summary="网格巡查上报（表单，可附照片与定位）")
def patrol_report(request, description: Form[str], lat: Form[float | None] = None, lon: Form[float | None] = None,
                  address: Form[str] = "", category: Form[str] = "", urgent: Form[bool] = False,
                  photos: File[list[UploadedFile]] = None):
    case = services.report(by=request.user, description=description, lat=lat, lon=lon, address=address,
                           category=category, photos=photos or [], urgent=urgent)
    return 201, _detail(request, selectors.case_detail(user=request.user, pk=case.pk))


@router.get("/", response=list[CaseOut], summary="案件队列（筛选、搜索、排序；默认超期优先）")
@paginate(CasePagination)
def list_cases(request, status: str = "", q: str = "", category: str = "", department: int | None = None,
               area: int | None = None, community: int | None = None, grid: int | None = None, channel: str = "",
               urgent: bool | None = None, needs_placement: bool | None = None, duplicates: bool | None = None,
               sort: str = "overdue"):
    filters = selectors.QueueFilters(status=status, q=q, category=category, department=department, area=area,
                                     community=community, grid=grid, channel=channel, urgent=urgent,
                                     needs_placement=needs_placement, duplicates=duplicates, sort=sort)
    return selectors.queue(user=request.user, filters=filters).select_related(
        "area", "process", "possible_duplicate_of", "duplicate_of")


@router.get("/counts", summary="各环节待办数与超期数")
def counts(request):
    return selectors.queue_counts(user=request.user)


@router.get("/kpis", summary="考核指标（按部门、片区、居委、网格、分类、来源渠道与周期）")
def kpis(request, start: dt.date, end: dt.date, by: str = "", bucket: str = ""):
    tz = timezone.get_current_timezone()
    result = selectors.kpis(user=request.user, start=timezone.make_aware(dt.datetime.combine(start, dt.time()), tz),
                            end=timezone.make_aware(dt.datetime.combine(end, dt.time()), tz), by=by, bucket=bucket)
    return result


@router.get("/kpis/cases", response=list[CaseOut], summary="指标下钻：某个数字背后的案件")
@paginate(CasePagination)
def kpi_cases(request, metric: str, start: dt.date, end: dt.date, part: str = "numerator", by: str = "",
              key: str | None = None):
    tz = timezone.get_current_timezone()
    return selectors.kpi_cases(
        user=request.user, metric=metric, part=part, by=by, key=key,
        start=timezone.make_aware(dt.datetime.combine(start, dt.time()), tz),
        end=timezone.make_aware(dt.datetime.combine(end, dt.time()), tz),
    ).select_related("area", "grid", "process", "possible_duplicate_of", "duplicate_of")


@router.post("/bulk-dispatch", summary="批量派遣")
def bulk_dispatch(request, body: BulkDispatchIn):
    if len(body.ids) > 200:
        raise ValidationError({"ids": _("一次最多派遣 200 件")})
    return services.dispatch_many(case_ids=body.ids, by=request.user, department=body.department, process=body.process)


class ConfigOut(Schema):
    categories: list[dict]
    departments: list[dict]
    processes: list[dict]
    scenarios: list[dict]


@router.get("/config", response=ConfigOut, summary="分类、部门、处置流程与应用场景")
def config(request):
    require(request, Perm.VIEW_CASES)
    scope = scope_of(request.user)
    return {
        "categories": list(selectors.categories().values("code", "family", "major_code", "major_name", "name",
                                                         "urgent")),
        "departments": list(Department.objects.within(scope).filter(active=True).values("id", "code", "name")),
        "processes": list(Process.objects.within(scope).filter(active=True).values(
            "code", "name", "handle_days", "handle_hours", "first_contact_required", "first_contact_hours")),
        "scenarios": list(Scenario.objects.within(scope).filter(active=True).values(
            "code", "name", "category__code", "area__name", "community__name", "department__code", "process__code")),
    }


@router.post("/classify", summary="案件分类建议")
def classify(request, text: str):
    require(request, Perm.VIEW_CASES)
    from jiedao.cases import classifier

    result = classifier.classify(text)
    if result is None:
        raise ValidationError({"text": _("内容不能为空")})
    return {"category": result.category, "code": result.code, "confidence": round(result.confidence, 4),
            "alternatives": [{"category": n, "confidence": round(c, 4)} for n, c in result.alternatives]}


@router.get("/{number}", response=CaseDetailOut, summary="案件详情与时间线")
def get_case(request, number: str):
    return _detail(request, selectors.case_by_number(user=request.user, number=number))


@router.post("/{number}/actions/{action}", response={200: CaseDetailOut, 409: Message},
             summary="办理一步：register, dispatch, accept, contact, handle, close, rework, return …")
def act(request, number: str, action: str, body: ActionIn):
    case = selectors.case_by_number(user=request.user, number=number)
    params = {k: v for k, v in body.dict().items() if k not in ("note", "version") and v not in (None, "")}
    try:
        if action == "merge" and case.possible_duplicate_of_id is not None:
            # 合并 of a flagged case answers the flag, as POST /{number}/duplicate does (疑似重复采纳率).
            case = services.decide_duplicate(by=request.user, case=case, accepted=True, into=body.into,
                                             note=body.note, version=body.version)
        else:
            case = services.perform(case=case, action=action, by=request.user, note=body.note,
                                    version=body.version, **params)
    except services.Conflict as exc:
        return 409, {"detail": str(exc), "number": number}
    return 200, _detail(request, selectors.case_detail(user=request.user, pk=case.pk))


@router.post("/{number}/duplicate", response={200: CaseDetailOut, 409: Message},
             summary="判定疑似重复：合并（accepted=true）或不是重复（accepted=false）")
def decide_duplicate(request, number: str, body: DuplicateDecisionIn):
    """The operator's answer to the case's 疑似重复 flag (services.decide_duplicate): 合并 merges it into
    ``into`` (default the flagged case, which must be in the operator's scope) as the loop's merge step does;
    不是重复 clears the flag. Recorded on the case, its timeline and the audit log, and counted by the KPI
    疑似重复采纳率. 422 for a case with no open flag or a bad ``into``, 409 for a stale ``version``."""
    case = selectors.case_by_number(user=request.user, number=number)
    try:
        case = services.decide_duplicate(by=request.user, case=case, accepted=body.accepted, into=body.into,
                                         note=body.note, version=body.version)
    except services.Conflict as exc:
        return 409, {"detail": str(exc), "number": number}
    return 200, _detail(request, selectors.case_detail(user=request.user, pk=case.pk))


@router.post("/{number}/photos", response={201: CaseDetailOut}, summary="给案件添加照片")
def add_photos(request, number: str, photos: File[list[UploadedFile]], note: Form[str] = "",
               version: Form[int | None] = None):
    case = selectors.case_by_number(user=request.user, number=number)
    if len(photos) > 9:
        raise ValidationError({"photos": _("一次最多上传 9 张照片")})
    try:
        services.perform(case=case, action="note", by=request.user, note=note or _("补充照片"), version=version,
                         photos=photos)
    except services.Conflict as exc:
        raise ValidationError({"version": str(exc)}) from exc
    return 201, _detail(request, selectors.case_detail(user=request.user, pk=case.pk))


@router.post("/{number}/reveal-phone", summary="查看来电人完整电话（先行联系用，留痕）")
def reveal_phone(request, number: str, reason: str = ""):
    case = selectors.case_by_number(user=request.user, number=number)
    return {"phone": services.reveal_reporter_phone(case=case, by=request.user, reason=reason)}


def photo_response(attachment) -> FileResponse:
    response = FileResponse(attachment.file.open("rb"), content_type=attachment.content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response
