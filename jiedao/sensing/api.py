"""物联感知 endpoints under /api/v1/sensing/: the signed webhook for vendors that cannot speak MQTT, devices,
alarms (and which alarm and case an event produced), rules, dead letters, figures, and 电子出入证 for gates.
See docs/sensing.md."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate

from jiedao.core.api_frame import require
from jiedao.core.roles import Perm
from jiedao.sensing import selectors, services
from jiedao.sensing.models import Alarm, Device, Source
from jiedao.sensing.services import deadletters, devices, signing

router = Router(tags=["sensing"])


# ------------------------------------------------------------------------------------------------ webhook

class WebhookIn(Schema):
    """An event as a device posts it: the MQTT payload plus ``device`` (and ``subdistrict`` when two
    subdistricts have a device of that code). Signed: see the operation's description."""

    device: str
    subdistrict: str | None = None
    id: str
    type: str
    at: dt.datetime | None = None
    value: float | None = None
    evidence: dict = {}


class WebhookOut(Schema):
    status: str  # stored
    event: int
    alarm: str | None  # SENS-123 when the event raised or joined an alarm
    case: str | None   # the alarm's case number, once filed


class Refusal(Schema):
    detail: str
    reason: str = ""


_WEBHOOK_DOC = (
    "供不能使用 MQTT 的厂商推送事件。请求体与 MQTT 事件相同，另加 device（设备编码）。"
    "签名：X-Jiedao-Timestamp 为 Unix 秒，"
    "X-Jiedao-Signature 为 `sha256=` 加设备密钥对 `时间戳 + \".\" + 原始请求体` 的 HMAC-SHA256（十六进制）。"
    "时间戳与服务器相差超过 300 秒的请求被拒绝（401）；同一事件（设备 + id）再次推送被拒绝（409）。"
    "无法接收的消息进入死信，管理员可查看并重放。"
)


@router.post("/events", auth=None, response={201: WebhookOut, 401: Refusal, 404: Refusal, 409: Refusal,
                                             422: Refusal},
             summary="设备事件推送（HMAC-SHA256 签名）", description=_WEBHOOK_DOC,
             openapi_extra={"requestBody": {"required": True, "content": {"application/json": {
                 "schema": WebhookIn.json_schema()}}}})
def webhook(request):
    from jiedao.sensing.services import Message, Status, ingest

    message = Message(payload=request.body, source=Source.HTTP, received_at=timezone.now(),
                      timestamp=request.headers.get(signing.TIMESTAMP_HEADER, ""),
                      signature=request.headers.get(signing.SIGNATURE_HEADER, ""))
    [outcome] = ingest([message])
    if outcome.status == Status.STORED:
        alarm = Alarm.objects.filter(pk=outcome.alarm_id).select_related("case").first() if outcome.alarm_id else None
        return 201, {"status": outcome.status, "event": outcome.event_id,
                     "alarm": alarm.external_id if alarm else None,
                     "case": alarm.case.number if alarm and alarm.case_id else None}
    if outcome.status == Status.DUPLICATE:
        return 409, {"detail": _("该事件已接收（重复或重放的请求）"), "reason": "duplicate"}
    status = {"bad_signature": 401, "unknown_device": 404}.get(outcome.reason, 422)
    return status, {"detail": outcome.detail, "reason": outcome.reason}


# ------------------------------------------------------------------------------------------------ devices

class DeviceOut(Schema):
    code: str
    name: str
    types: list[str]
    type_names: list[str]
    model: str
    vendor: str
    place: str
    address: str | None
    community: str | None
    grid: str | None
    lat: float | None
    lon: float | None
    installed_on: dt.date | None
    status: str
    online: bool | None
    last_seen_at: dt.datetime | None
    battery: int | None
    low_battery: bool

    @staticmethod
    def resolve_types(obj) -> list[str]:
        return [t.code for t in obj.types.all()]

    @staticmethod
    def resolve_type_names(obj) -> list[str]:
        return [_(t.name) for t in obj.types.all()]

    @staticmethod
    def resolve_address(obj):
        return obj.building.address if obj.building_id else None

    @staticmethod
    def resolve_community(obj):
        return obj.community.name if obj.community_id else None

    @staticmethod
    def resolve_grid(obj):
        return obj.grid.code if obj.grid_id else None


class DeviceIn(Schema):
    code: str
    types: list[str]
    name: str = ""
    model: str = ""
    vendor: str = ""
    building: str = ""  # 楼栋代码 or door-plate address
    unit: str = ""
    estate: str = ""
    place: str = ""
    lon: float | None = None
    lat: float | None = None
    installed_on: dt.date | None = None
    status: str = ""
    department: str = ""


class DeviceCreatedOut(DeviceOut):
    secret: str  # the webhook signing key, shown to the admin who registers the device


@router.get("/devices", response=list[DeviceOut], summary="设备列表（?type=类型代码&status=&health=&q=）")
@paginate(LimitOffsetPagination)
def device_list(request, type: str = "", status: str = "", health: str = "", community: int | None = None,
                q: str = ""):
    filters = {k: v for k, v in {"type": type, "status": status, "health": health, "community": community,
                                 "q": q}.items() if v not in ("", None)}
    return selectors.device_list(user=request.user, filters=filters)


@router.post("/devices", response={201: DeviceCreatedOut}, summary="登记或修改一台设备（管理员）")
def register(request, body: DeviceIn):
    require(request, Perm.MANAGE_SENSING)
    if request.user.subdistrict_id is None:
        raise PermissionDenied(_("您的账号未设置所属街道"))
    data = body.dict()
    device = devices.register_device(subdistrict=request.user.subdistrict, by=request.user, code=data.pop("code"),
                                     types=data.pop("types"), **data)
    return 201, Device.objects.prefetch_related("types").select_related("community", "grid", "building__road") \
        .get(pk=device.pk)


class ImportOut(Schema):
    rows: int
    valid: int
    created: int
    updated: int
    unchanged: int
    to_create: int
    to_update: int
    dry_run: bool
    errors: list[dict]
    warnings: list[dict]


@router.post("/devices/import", response={200: ImportOut}, summary="从 CSV/XLSX 批量导入设备（管理员）")
def import_devices(request, file: File[UploadedFile], dry_run: Form[bool] = False):
    require(request, Perm.MANAGE_SENSING)
    if request.user.subdistrict_id is None:
        raise PermissionDenied(_("您的账号未设置所属街道"))
    try:
        report = devices.import_devices(data=file.read(), filename=file.name or "", by=request.user,
                                        subdistrict=request.user.subdistrict, dry_run=dry_run)
    except devices.ImportFileError as exc:
        raise ValidationError({"file": str(exc)}) from exc
    return report.as_dict()


# After /devices/import: a path parameter route registered first would take "import" for a device code, and
# the import would answer 405.
@router.get("/devices/{code}", response=DeviceOut, summary="一台设备")
def device_detail(request, code: str):
    return selectors.get_device(user=request.user, code=code)


# ------------------------------------------------------------------------------------------------- alarms

class AlarmOut(Schema):
    number: str
    device: str
    type: str
    type_name: str
    opened_at: dt.datetime
    last_at: dt.datetime
    count: int
    value: float | None
    urgent: bool
    community: str | None
    case: str | None
    case_status: str | None
    case_error: str
    false_alarm: bool | None
    closed_at: dt.datetime | None

    @staticmethod
    def resolve_number(obj) -> str:
        return obj.external_id

    @staticmethod
    def resolve_device(obj) -> str:
        return obj.device.code

    @staticmethod
    def resolve_type(obj) -> str:
        return obj.type.code

    @staticmethod
    def resolve_type_name(obj) -> str:
        return _(obj.type.name)

    @staticmethod
    def resolve_community(obj):
        return obj.community.name if obj.community_id else None

    @staticmethod
    def resolve_case(obj):
        return obj.case.number if obj.case_id else None

    @staticmethod
    def resolve_case_status(obj):
        return obj.case.status if obj.case_id else None


@router.get("/alarms", response=list[AlarmOut],
            summary="告警列表；?device=设备编码&event=事件编号 回答该事件产生的告警（及案件编号）")
@paginate(LimitOffsetPagination)
def alarm_list(request, device: str = "", event: str = "", type: str = "", state: str = "", since: str = "",
               until: str = ""):
    if event:
        if not device:
            raise ValidationError({"device": _("按事件查询时须同时给出设备编码")})
        _stored, alarm = selectors.alarm_for_event(user=request.user, device=device, event=event)
        return [alarm] if alarm is not None else []
    filters = {k: v for k, v in {"device": device, "type": type, "state": state, "since": since,
                                 "until": until}.items() if v}
    return selectors.alarm_list(user=request.user, filters=filters)


class EventOut(Schema):
    id: str
    type: str
    at: dt.datetime
    received_at: dt.datetime
    value: float | None
    evidence: dict
    source: str
    image: str | None

    @staticmethod
    def resolve_id(obj) -> str:
        return obj.event_id

    @staticmethod
    def resolve_type(obj) -> str:
        return obj.type.code

    @staticmethod
    def resolve_image(obj):
        image = getattr(obj, "image", None)
        return f"/sensing/images/{image.token}" if image is not None else None


class CommandOut(Schema):
    id: str
    code: str
    status: str
    sent_at: dt.datetime | None
    acked_at: dt.datetime | None
    result: str

    @staticmethod
    def resolve_id(obj) -> str:
        return obj.command_id


class AlarmDetailOut(AlarmOut):
    events: list[EventOut]
    commands: list[CommandOut]

    @staticmethod
    def resolve_events(obj) -> list:
        from jiedao.sensing.services.alarms import alarm_events

        return list(alarm_events(obj).select_related("type"))

    @staticmethod
    def resolve_commands(obj) -> list:
        return list(selectors.alarm_commands(alarm=obj))


@router.get("/alarms/{number}", response=AlarmDetailOut, summary="一条告警：事件、证据、联动指令")
def alarm_detail(request, number: str):
    return selectors.get_alarm(user=request.user, number=number)


class FalseIn(Schema):
    note: str = ""


@router.post("/alarms/{number}/false", response=AlarmOut, summary="标为误报（作废或结案其案件）")
def mark_false(request, number: str, body: FalseIn):
    alarm = selectors.get_alarm(user=request.user, number=number)
    return services.mark_false(alarm=alarm, by=request.user, note=body.note)


# -------------------------------------------------------------------------------------------------- rules

class RuleOut(Schema):
    type: str
    type_name: str
    enabled: bool
    threshold: float | None
    duration_seconds: int
    quiet_start: dt.time | None
    quiet_end: dt.time | None
    merge_minutes: int
    opens_case: bool
    urgent: bool
    command: str

    @staticmethod
    def resolve_type(obj) -> str:
        return obj.type.code

    @staticmethod
    def resolve_type_name(obj) -> str:
        return _(obj.type.name)


class RuleIn(Schema):
    enabled: bool | None = None
    threshold: float | None = None
    duration_seconds: int | None = None
    quiet_start: dt.time | None = None
    quiet_end: dt.time | None = None
    merge_minutes: int | None = None
    opens_case: bool | None = None
    urgent: bool | None = None
    command: str | None = None


@router.get("/rules", response=list[RuleOut], summary="告警规则")
def rule_list(request):
    return selectors.rule_list(user=request.user)


@router.patch("/rules/{type}", response=RuleOut, summary="修改一条告警规则（管理员）")
def rule_update(request, type: str, body: RuleIn):
    require(request, Perm.MANAGE_SENSING)
    rule = next((r for r in selectors.rule_list(user=request.user) if r.type.code == type), None)
    if rule is None:
        from django.http import Http404

        raise Http404
    return services.update_rule(rule=rule, by=request.user, **body.dict(exclude_unset=True))


# ------------------------------------------------------------------------------------------- dead letters

class DeadLetterOut(Schema):
    id: int
    received_at: dt.datetime
    source: str
    topic: str
    device_code: str
    kind: str
    reason: str
    reason_label: str
    detail: str
    payload: str
    payload_base64: bool
    truncated: bool
    resolved: bool
    replayed_at: dt.datetime | None
    replay_result: str

    @staticmethod
    def resolve_reason_label(obj) -> str:
        return obj.get_reason_display()


@router.get("/dead-letters", response=list[DeadLetterOut], summary="死信（管理员；默认只列未处理的）")
@paginate(LimitOffsetPagination)
def dead_letter_list(request, reason: str = "", resolved: bool | None = None, device: str = ""):
    filters = {k: v for k, v in {"reason": reason, "device": device}.items() if v}
    if resolved is not None:
        filters["resolved"] = "true" if resolved else "false"
    return selectors.dead_letters(user=request.user, filters=filters)


@router.post("/dead-letters/{letter_id}/replay", response=DeadLetterOut, summary="重放一条死信（管理员）")
def dead_letter_replay(request, letter_id: int):
    letter = selectors.get_dead_letter(user=request.user, pk=letter_id)
    return deadletters.replay(letter=letter, by=request.user)


# ------------------------------------------------------------------------------------------------ figures

class FiguresOut(Schema):
    days: int
    devices: int
    online: int
    offline: int
    never: int
    low_battery: int
    online_rate: float | None
    alarms: int
    alarms_by_day: list[dict]
    alarms_by_type: list[dict]
    alarms_by_community: list[dict]
    false_alarms: int
    false_known: int
    false_share: float | None
    close_minutes_median: float | None
    close_minutes_p90: float | None


@router.get("/figures", response=FiguresOut, summary="设备在线、每日告警（按类型、地点）、误报率、告警到结案用时")
def figures(request, days: int = 30):
    if not 1 <= days <= 366:
        raise ValidationError({"days": _("天数应在 1–366 之间")})
    f = selectors.figures(user=request.user, days=days)
    return {
        "days": days, "devices": f.devices, "online": f.online, "offline": f.offline, "never": f.never,
        "low_battery": f.low_battery, "online_rate": f.online_rate, "alarms": f.alarms,
        "alarms_by_day": [{"day": d.isoformat(), "by_type": counts} for d, counts in f.by_day],
        "alarms_by_type": [{"type": t.code, "name": _(t.name), "alarms": n} for t, n in f.by_type],
        "alarms_by_community": [{"community": c, "alarms": n} for c, n in f.by_community],
        "false_alarms": f.false_alarms, "false_known": f.false_known, "false_share": f.false_share,
        "close_minutes_median": f.close_minutes_median, "close_minutes_p90": f.close_minutes_p90,
    }




# ------------------------------------------------------------------------------------------ 电子出入证 (gates)

class PublicKeyOut(Schema):
    algorithm: str
    key: str  # base64url of the 32 raw bytes


class RevokedOut(Schema):
    subdistrict: str
    generated_at: dt.datetime
    revoked: list[dict]  # {"id": pass id, "at": when revoked}


@router.get("/passes/public-key", auth=None, response=PublicKeyOut, summary="电子出入证验签公钥（Ed25519）")
def pass_public_key(request):
    from jiedao.sensing.services import passes

    return {"algorithm": "Ed25519", "key": passes.public_key()}


@router.get("/passes/revoked", auth=None, response={200: RevokedOut, 401: Refusal, 404: Refusal},
            summary="已注销、未过期的出入证（门禁拉取，设备签名）",
            description="门禁设备用自己的密钥签名：X-Jiedao-Timestamp 为 Unix 秒，X-Jiedao-Signature 为 "
                        "`sha256=` 加 HMAC-SHA256(设备密钥, 时间戳 + \".\" + 请求路径与查询串)。")
def pass_revocations(request, device: str, subdistrict: str = "", since: dt.datetime | None = None):
    from jiedao.sensing.services import directory, passes

    found = directory.devices_by_code(device) if not subdistrict else [(subdistrict, device)]
    info = directory.device(*found[0]) if len(found) == 1 else None
    is_gate = info is not None and any(t.gate and t.pk in info.type_ids for t in directory.types().values())
    if not is_gate:
        return 404, {"detail": _("门禁设备 %(d)s 未登记") % {"d": device}, "reason": "unknown_device"}
    secret = Device.objects.filter(pk=info.pk).values_list("secret", flat=True).first() or ""
    timestamp = request.headers.get(signing.TIMESTAMP_HEADER, "")
    if not (signing.valid_signature(request.get_full_path().encode(), secret=secret, timestamp=timestamp,
                                    signature=request.headers.get(signing.SIGNATURE_HEADER, ""))
            and signing.fresh(timestamp)):
        return 401, {"detail": _("签名无效或请求已过期"), "reason": "bad_signature"}
    rows = passes.revocation_list(subdistrict_id=info.subdistrict_id, since=since)
    return {"subdistrict": info.subdistrict_code, "generated_at": timezone.now(),
            "revoked": [{"id": pass_id, "at": at} for pass_id, at in rows]}
