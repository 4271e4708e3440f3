"""接入: the one way a device's message enters, whether it came over MQTT or the signed webhook.

``ingest(messages)`` takes a batch (the listener's, or the webhook's one) and, in one transaction, stores
each event once (``(device, id)`` is unique: a redelivered or re-posted event is a ``duplicate``), lets
the rules raise or merge alarms, queues commands back to devices, notes the device's health, records
acknowledgements, and keeps whatever cannot be taken in the dead-letter table with its reason. Nothing is
acknowledged to the broker before that transaction commits (the listener acks after ``ingest`` returns),
so a process killed at any moment loses nothing: the broker delivers again and the unique key makes the
second delivery a duplicate.

Bad input never raises: a message that cannot be parsed, names an unknown device, a type its device does
not have or a wrong signature becomes a dead letter; one that makes the code fail for a reason nobody
foresaw is retried alone and, failing again, becomes a dead letter with the error's name. Only a database
that cannot be written raises (``DatabaseError`` other than an integrity error): then nothing is
acknowledged and the caller tries again later.

Cases are opened after the commit (``alarms.open_cases``), each in its own transaction: a case that cannot
be opened leaves the alarm with its reason, and the periodic ``sensing.open_pending_cases`` tries again.
"""

import base64
import binascii
import datetime as dt
import json
import logging
import math
import re
import secrets
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import dateparse, timezone
from django.utils.translation import gettext as _

from jiedao.sensing import rows
from jiedao.sensing.models import (
    Command,
    CommandStatus,
    DeadLetter,
    DeadReason,
    Device,
    DeviceStatus,
    Event,
    EventImage,
    Source,
)
from jiedao.sensing.services import directory, evaluation, health, passes, signing
from jiedao.sensing.services.directory import DeviceInfo

log = logging.getLogger("jiedao.sensing")

MAX_PAYLOAD = 2_000_000  # bytes: a camera's evidence JPEG is 50–300 KB
MAX_EVIDENCE_JSON = 8_000  # characters of evidence besides the image
MAX_FUTURE = dt.timedelta(minutes=10)  # a device clock this far ahead is wrong, not early
TOPIC = re.compile(r"^jiedao/(?P<sub>\d{6,12})/(?P<device>[A-Za-z0-9][A-Za-z0-9_.\-]{0,39})/"
                   r"(?P<kind>event|heartbeat|ack)$")
EVENT_ID = re.compile(r"^[\w\-.:]{1,64}$")
SMALL_BATCH = 100  # up to this many new events, each outcome carries its row id


class Status:
    STORED = "stored"
    DUPLICATE = "duplicate"
    HEARTBEAT = "heartbeat"
    ACK = "ack"
    DEAD = "dead"


@dataclass
class Message:
    """One message as it arrived: an MQTT topic and payload, or a webhook's body with its two headers."""

    payload: bytes
    topic: str = ""
    source: str = Source.MQTT
    received_at: dt.datetime = field(default_factory=lambda: timezone.now())
    timestamp: str = ""  # webhook: X-Jiedao-Timestamp
    signature: str = ""  # webhook: X-Jiedao-Signature
    check_freshness: bool = True  # False when an admin replays a dead letter: its age is known


@dataclass
class Outcome:
    status: str
    reason: str = ""  # DeadReason, for a dead letter
    detail: str = ""
    event_id: int | None = None
    alarm_id: int | None = None
    new_alarm: bool = False
    dead_letter_id: int | None = None
    device_code: str = ""


class _Dead(Exception):
    def __init__(self, reason: str, detail: str, *, device: DeviceInfo | None = None, device_code: str = "",
                 sub_code: str = "", kind: str = ""):
        super().__init__(detail)
        self.reason, self.detail, self.device, self.device_code = reason, detail, device, device_code
        self.sub_code, self.kind = sub_code, kind


@dataclass
class _Parsed:
    message: Message
    kind: str
    device: DeviceInfo
    data: dict
    # events
    event_id: str = ""
    type_id: int = 0
    at: dt.datetime | None = None
    value: float | None = None
    evidence: dict = field(default_factory=dict)
    image: bytes | None = None
    # heartbeats
    battery: int | None = None


# ------------------------------------------------------------------------------------------------- entry

def ingest(messages: list[Message], *, record_dead: bool = True, open_cases: bool = True) -> list[Outcome]:
    """Take a batch of messages; one ``Outcome`` per message, in order. See the module's docstring."""
    if not messages:
        return []
    try:
        outcomes = _ingest_once(messages, record_dead=record_dead)
    except DatabaseError as exc:
        if not isinstance(exc, IntegrityError) or len(messages) == 1:
            raise
        # Another listener stored one of these events at the same moment: take them one by one.
        outcomes = _one_by_one(messages, record_dead=record_dead)
    except Exception:
        if len(messages) == 1:
            outcomes = _one_by_one(messages, record_dead=record_dead)
        else:
            log.exception("sensing: a batch of %s failed; taking its messages one by one", len(messages))
            outcomes = _one_by_one(messages, record_dead=record_dead)
    if open_cases:
        from jiedao.sensing.services.alarms import open_cases as open_alarm_cases

        new = [o.alarm_id for o in outcomes if o.new_alarm and o.alarm_id]
        if new:
            open_alarm_cases(alarm_ids=new)
    return outcomes


def _one_by_one(messages: list[Message], *, record_dead: bool) -> list[Outcome]:
    outcomes = []
    for message in messages:
        try:
            outcomes += _ingest_once([message], record_dead=record_dead)
        except IntegrityError:
            # The event was stored by someone else between our look and our write: it is a duplicate now.
            outcomes += _ingest_once([message], record_dead=record_dead)
        except DatabaseError:
            raise
        except Exception as exc:  # a failure nobody foresaw: keep the message, go on with the others
            log.exception("sensing: message on %r could not be taken", message.topic)
            dead = _Dead(DeadReason.ERROR, f"{exc.__class__.__name__}: {exc}"[:500])
            outcomes.append(_dead_outcome(message, dead, record=record_dead))
    return outcomes


def _ingest_once(messages: list[Message], *, record_dead: bool) -> list[Outcome]:
    now = timezone.now()
    parsed: list[_Parsed | _Dead] = []
    for message in messages:
        try:
            parsed.append(_parse(message, now=now))
        except _Dead as dead:
            parsed.append(dead)
    written: list[str] = []
    try:
        with transaction.atomic():
            outcomes = _write(messages, parsed, now=now, record_dead=record_dead, written=written)
    except BaseException:
        _remove_files(written)
        raise
    return outcomes


# ----------------------------------------------------------------------------------------------- parsing

def _parse(message: Message, *, now: dt.datetime) -> _Parsed:
    if len(message.payload) > MAX_PAYLOAD:
        raise _Dead(DeadReason.MALFORMED, _("消息过大：%(n)s 字节，上限 %(max)s") % {
            "n": len(message.payload), "max": MAX_PAYLOAD})
    if message.source == Source.HTTP:
        data = _json(message.payload)
        sub_code, device_code, kind = _webhook_target(data)
    else:
        match = TOPIC.match(message.topic)
        if match is None:
            raise _Dead(DeadReason.MALFORMED,
                        _("主题格式不正确，应为 jiedao/{街道代码}/{设备编码}/event|heartbeat|ack"))
        sub_code, device_code, kind = match["sub"], match["device"], match["kind"]
        try:
            data = _json(message.payload, empty_ok=kind == "heartbeat")
        except _Dead as dead:
            dead.sub_code, dead.device_code, dead.kind = sub_code, device_code, kind
            raise
    device = directory.device(sub_code, device_code)
    if device is None:
        raise _Dead(DeadReason.UNKNOWN_DEVICE, _("设备 %(d)s 未在街道 %(s)s 登记") % {"d": device_code, "s": sub_code},
                    device_code=device_code, sub_code=sub_code, kind=kind)
    try:
        if message.source == Source.HTTP:
            _check_signature(message, device)
        if device.status == DeviceStatus.RETIRED:
            raise _Dead(DeadReason.RETIRED, _("设备已停用"))
        parsed = _Parsed(message=message, kind=kind, device=device, data=data)
        if kind == "event":
            _parse_event(parsed, now=now)
        elif kind == "heartbeat":
            parsed.battery = _battery(data.get("battery"))
        else:
            if not isinstance(data.get("command"), str) or not data["command"]:
                raise _Dead(DeadReason.MALFORMED, _("确认消息缺少 command（指令编号）"))
        return parsed
    except _Dead as dead:
        dead.device, dead.device_code, dead.sub_code, dead.kind = device, device_code, sub_code, kind
        raise


def _json(payload: bytes, *, empty_ok: bool = False) -> dict:
    if not payload.strip() and empty_ok:
        return {}
    try:
        data = json.loads(payload.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise _Dead(DeadReason.MALFORMED, _("消息不是有效的 UTF-8 JSON")) from None
    if not isinstance(data, dict):
        raise _Dead(DeadReason.MALFORMED, _("消息应为 JSON 对象"))
    return data


def _webhook_target(data: dict) -> tuple[str, str, str]:
    device_code = data.get("device")
    if not isinstance(device_code, str) or not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,39}", device_code):
        raise _Dead(DeadReason.MALFORMED, _("缺少或无法识别 device（设备编码）"))
    sub_code = data.get("subdistrict")
    if sub_code is not None and not isinstance(sub_code, str):
        raise _Dead(DeadReason.MALFORMED, _("subdistrict 应为街道代码字符串"), device_code=device_code)
    if not sub_code:
        found = directory.devices_by_code(device_code)
        if len(found) != 1:
            detail = (_("多个街道有编码为 %(d)s 的设备，请在消息中给出 subdistrict") if found
                      else _("设备 %(d)s 未登记")) % {"d": device_code}
            raise _Dead(DeadReason.UNKNOWN_DEVICE, detail, device_code=device_code, kind="event")
        sub_code = found[0][0]
    return sub_code, device_code, "event"


def _check_signature(message: Message, device: DeviceInfo) -> None:
    secret = Device.objects.filter(pk=device.pk).values_list("secret", flat=True).first() or ""
    if not signing.valid_signature(message.payload, secret=secret, timestamp=message.timestamp,
                                   signature=message.signature):
        raise _Dead(DeadReason.BAD_SIGNATURE, _("签名无效（应为设备密钥对“时间戳.请求体”的 HMAC-SHA256）"))
    if message.check_freshness and not signing.fresh(message.timestamp, now=message.received_at.timestamp()):
        raise _Dead(DeadReason.BAD_SIGNATURE, _("请求时间戳与服务器时间相差超过 %(s)s 秒（过期或重放的请求）") % {
            "s": signing.MAX_SKEW})


def _parse_event(p: _Parsed, *, now: dt.datetime) -> None:
    data = p.data
    event_id = data.get("id")
    if isinstance(event_id, int) and not isinstance(event_id, bool):
        event_id = str(event_id)
    if not isinstance(event_id, str) or not EVENT_ID.match(event_id):
        raise _Dead(DeadReason.MALFORMED, _("id（事件编号）缺失或格式不正确：1–64 位字母、数字或 _-.:"))
    p.event_id = event_id
    code = data.get("type")
    sensor_type = directory.types().get(code) if isinstance(code, str) else None
    if sensor_type is None:
        raise _Dead(DeadReason.WRONG_TYPE, _("未知的事件类型：%(t)s") % {"t": str(code)[:40]})
    if sensor_type.pk not in p.device.type_ids:
        raise _Dead(DeadReason.WRONG_TYPE,
                    _("设备 %(d)s 没有“%(t)s”类型") % {"d": p.device.code, "t": _(sensor_type.name)})
    p.type_id = sensor_type.pk
    p.at = _time(data.get("at"), now=now)
    value = data.get("value")
    if value is not None:
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise _Dead(DeadReason.MALFORMED, _("value 应为数值"))
        p.value = float(value)
    evidence = data.get("evidence") or {}
    if not isinstance(evidence, dict):
        raise _Dead(DeadReason.MALFORMED, _("evidence 应为 JSON 对象"))
    evidence = dict(evidence)
    image = evidence.pop("image", None)
    if len(json.dumps(evidence, ensure_ascii=False)) > MAX_EVIDENCE_JSON:
        raise _Dead(DeadReason.MALFORMED, _("evidence 过大（图片以外最多 %(n)s 字符）") % {"n": MAX_EVIDENCE_JSON})
    if image is not None:
        if not isinstance(image, str):
            raise _Dead(DeadReason.MALFORMED, _("evidence.image 应为 base64 编码的 JPEG"))
        try:
            p.image = base64.b64decode(image.split(",", 1)[-1] if image.startswith("data:") else image, validate=True)
        except (binascii.Error, ValueError):
            raise _Dead(DeadReason.MALFORMED, _("evidence.image 不是有效的 base64")) from None
    p.evidence = evidence


def _time(value, *, now: dt.datetime) -> dt.datetime:
    if value is None:
        return now
    parsed = None
    if isinstance(value, str):
        try:
            parsed = dateparse.parse_datetime(value.strip())
        except ValueError:
            parsed = None
    if parsed is None:
        raise _Dead(DeadReason.MALFORMED, _("at 应为 ISO 8601 时间，例如 2026-11-02T08:30:00+08:00"))
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    if parsed > now + MAX_FUTURE:
        raise _Dead(DeadReason.MALFORMED, _("at 晚于服务器当前时间（设备时钟有误）"))
    if parsed.year < 2000:
        raise _Dead(DeadReason.MALFORMED, _("at 早于 2000 年（设备时钟未校准）"))
    return parsed


def _battery(value) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 100:
        raise _Dead(DeadReason.MALFORMED, _("battery 应为 0–100 的电量百分比"))
    return round(value)


# ----------------------------------------------------------------------------------------------- writing

def _write(messages: list[Message], parsed: list, *, now: dt.datetime, record_dead: bool,
           written: list[str]) -> list[Outcome]:
    outcomes: list[Outcome | None] = [None] * len(messages)
    events: list[tuple[int, _Parsed]] = []
    acks: list[tuple[int, _Parsed]] = []
    seen: dict[int, tuple[dt.datetime, int | None]] = {}
    for i, p in enumerate(parsed):
        if isinstance(p, _Dead):
            outcomes[i] = _dead_outcome(messages[i], p, record=record_dead)
            continue
        battery = p.battery if p.kind == "heartbeat" else None
        previous = seen.get(p.device.pk)
        seen[p.device.pk] = (p.message.received_at, battery if battery is not None else (previous or (0, None))[1])
        if p.kind == "event":
            events.append((i, p))
        elif p.kind == "ack":
            acks.append((i, p))
        else:
            outcomes[i] = Outcome(Status.HEARTBEAT, device_code=p.device.code)
    if events:
        for i, outcome in _write_events(events, now=now, written=written):
            outcomes[i] = outcome
    for i, p in acks:
        outcomes[i] = _record_ack(p, record_dead=record_dead)
    if seen:
        health.seen(devices=seen, now=now)
    return outcomes  # type: ignore[return-value]


def _dead_outcome(message: Message, dead: _Dead, *, record: bool) -> Outcome:
    letter_id = None
    if record:
        letter_id = _dead_letter(message, dead).pk
    return Outcome(Status.DEAD, reason=dead.reason, detail=dead.detail, dead_letter_id=letter_id,
                   device_code=dead.device_code)


def _dead_letter(message: Message, dead: _Dead) -> DeadLetter:
    payload = message.payload[:MAX_PAYLOAD]
    try:
        text, is_base64 = payload.decode("utf-8"), False
    except UnicodeDecodeError:
        text, is_base64 = base64.b64encode(payload).decode(), True
    sub_id = dead.device.subdistrict_id if dead.device else directory.subdistrict_ids().get(dead.sub_code)
    headers = ({signing.TIMESTAMP_HEADER: message.timestamp[:40], signing.SIGNATURE_HEADER: message.signature[:200]}
               if message.source == Source.HTTP else {})
    return DeadLetter.objects.create(
        subdistrict_id=sub_id, received_at=message.received_at, source=message.source, topic=message.topic[:200],
        device_code=dead.device_code[:60], kind=dead.kind, reason=dead.reason, detail=dead.detail[:500],
        payload=text, payload_base64=is_base64, truncated=len(message.payload) > MAX_PAYLOAD, headers=headers,
    )


def _write_events(events: list[tuple[int, _Parsed]], *, now: dt.datetime, written: list[str]):
    """Store the events not stored yet, let the rules raise or merge alarms, and queue commands."""
    keys = {(p.device.pk, p.event_id) for _i, p in events}
    existing = set(rows.existing_events(keys))
    fresh: list[tuple[int, _Parsed]] = []
    results = []
    for i, p in events:
        key = (p.device.pk, p.event_id)
        if key in existing:
            results.append((i, Outcome(Status.DUPLICATE, device_code=p.device.code)))
            continue
        existing.add(key)  # the same event twice in one batch
        fresh.append((i, p))
    if not fresh:
        return results
    fresh.sort(key=lambda item: item[1].at)
    decisions = evaluation.evaluate([p for _i, p in fresh], now=now)
    new = [(p.device.subdistrict_id, p.device.pk, p.event_id, p.type_id, p.at, p.message.received_at, p.value,
            p.evidence, p.message.source, decision.alarm.pk if decision.alarm else None)
           for (_i, p), decision in zip(fresh, decisions, strict=True)]
    rows.insert_events(new)
    # The new rows' ids, where they are wanted: the webhook's answer, a small batch's outcomes, the images.
    wanted = [(p.device.pk, p.event_id) for _i, p in fresh if p.image is not None or len(fresh) <= SMALL_BATCH]
    ids = rows.existing_events(wanted) if wanted else {}
    granted = getattr(directory.types().get("pass_granted"), "pk", None)
    uses = []
    for (i, p), values, decision in zip(fresh, new, decisions, strict=True):
        pk = ids.get((p.device.pk, p.event_id))
        if p.image is not None:
            _store_image(Event(pk=pk, **dict(zip(rows.COLUMNS, values, strict=True))), p, written=written)
        if p.type_id == granted and isinstance(p.evidence.get("pass"), str):
            uses.append((p.evidence["pass"][:24], p.at))
        results.append((i, Outcome(Status.STORED, event_id=pk, device_code=p.device.code,
                                   alarm_id=decision.alarm.pk if decision.alarm else None, new_alarm=decision.new)))
    if uses:
        passes.note_uses(uses)
    return results


def _store_image(event: Event, p: _Parsed, *, written: list[str]) -> None:
    from jiedao.cases.services import validate_photo

    try:
        photo = validate_photo(p.image)
    except ValidationError as exc:
        event.evidence = {**event.evidence, "image_error": exc.messages[0]}
        Event.objects.filter(pk=event.pk).update(evidence=event.evidence)
        return
    image = EventImage(subdistrict_id=event.subdistrict_id, event=event, token=secrets.token_hex(16),
                       size=len(photo.content), width=photo.width, height=photo.height)
    image.file.save("evidence.jpg", ContentFile(photo.content), save=False)
    written.append(image.file.name)
    image.save()


def _remove_files(names: list[str]) -> None:
    from django.core.files.storage import default_storage

    for name in names:
        try:
            default_storage.delete(name)
        except OSError:
            pass


def _record_ack(p: _Parsed, *, record_dead: bool) -> Outcome:
    command_id = p.data["command"][:32]
    ok = p.data.get("ok", True) is not False
    detail = str(p.data.get("detail") or "")[:200]
    updated = Command.objects.filter(command_id=command_id, device_id=p.device.pk).exclude(
        status__in=(CommandStatus.ACKED, CommandStatus.FAILED)).update(
        status=CommandStatus.ACKED if ok else CommandStatus.FAILED, acked_at=p.message.received_at,
        result=detail or (_("已执行") if ok else _("执行失败")))
    if updated or Command.objects.filter(command_id=command_id, device_id=p.device.pk).exists():
        return Outcome(Status.ACK, device_code=p.device.code)
    dead = _Dead(DeadReason.MALFORMED, _("未知的指令编号：%(c)s") % {"c": command_id}, device=p.device,
                 device_code=p.device.code, sub_code=p.device.subdistrict_code, kind="ack")
    return _dead_outcome(p.message, dead, record=record_dead)
