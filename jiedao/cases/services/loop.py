"""Writes of 一网统管: intake from every channel, the closed loop's transitions, photos, configuration.

Every transition is a row of ``TRANSITIONS``: which permission it needs, from which states, into which.
``perform`` checks role and scope first (so a refusal's audit record survives), then, in one transaction,
locks the case, checks its version (two operators acting at once: the second gets a conflict, not a
corrupted case), checks the state, writes one append-only timeline event, re-projects the case's timing
columns from its whole timeline and writes the audit log.
"""

import datetime as dt
import math
import re
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiedao.cases import workdays
from jiedao.cases.models import (
    Attachment,
    Case,
    CaseEvent,
    Category,
    Channel,
    Department,
    EventKind,
    Process,
    Rating,
    Scenario,
    Status,
)
from jiedao.core import audit
from jiedao.core.models import AuditAction, Subdistrict, User
from jiedao.core.roles import Perm, Role, has_perm
from jiedao.core.rows import insert
from jiedao.core.scope import ensure_in_scope, ensure_perm, scope_of
from jiedao.core.validators import validate_mobile

MAX_TEXT = 2000
MAX_NOTE = 1000
DUPLICATE_WINDOW = dt.timedelta(days=7)
DUPLICATE_METRES = 150
DUPLICATE_SIMILARITY = 0.25

# 紧急: words in a demand that make it urgent whatever its category (gas, fire, people trapped …).
URGENT_WORDS = (
    "煤气", "燃气", "漏气", "着火", "起火", "火灾", "冒烟", "浓烟", "被困", "困在电梯", "困梯", "关在电梯", "触电",
    "漏电", "坍塌", "倒塌", "塌了", "晕倒", "倒地不起", "昏迷", "爆炸", "跳楼",
)


class Conflict(Exception):
    """The case changed since the user loaded it (another operator acted first)."""


# --------------------------------------------------------------------------------------------- intake


def clean_text(text: str, *, field: str, limit: int = MAX_TEXT, required: bool = True) -> str:
    """Plain text only: tags are stripped (pages escape on output anyway), whitespace normalised."""
    text = re.sub(r"(?is)<(script|style)\b.*?(</\1\s*>|$)", "", str(text or ""))  # their content is not text
    text = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", strip_tags(text))
    text = re.sub(r"[ \t\r\f\v]+", " ", text).strip()
    if required and not text:
        raise ValidationError({field: _("内容不能为空")})
    if len(text) > limit:
        raise ValidationError({field: _("内容太长：最多 %(n)s 个字") % {"n": limit}})
    return text


def category_by_code(code: str, *, field: str = "category") -> Category:
    try:
        return Category.objects.get(code=str(code).strip(), active=True)
    except Category.DoesNotExist:
        try:
            return Category.objects.get(name=str(code).strip(), active=True)
        except Category.DoesNotExist:
            raise ValidationError({field: _("未知的案件分类：%(code)s") % {"code": code}}) from None


def is_urgent_text(text: str) -> bool:
    return any(word in text for word in URGENT_WORDS)


def _place(case: Case, *, user: User | None) -> None:
    """Put the case in a grid, 居委 and 片区: from its coordinates, else from its address; when neither
    works the case is kept and flagged for manual placement (待人工定位)."""
    from jiedao.geo.address import address_index
    from jiedao.geo.placement import grid_index

    grid_id = building_id = None
    if case.lat is not None and case.lon is not None:
        grid_id = grid_index(case.subdistrict_id).place_one(case.lon, case.lat)
    if case.address:
        _parsed, building_id = address_index(case.subdistrict_id).parse_and_resolve(case.address)
    if building_id is not None:
        building_grid, lat, lon = _building_place(case.subdistrict_id, building_id)
        case.building_id = building_id
        grid_id = grid_id or building_grid
        if case.lat is None:
            case.lat, case.lon = lat, lon
    if grid_id is None:
        case.needs_placement = True
        return
    places = _grid_places(case.subdistrict_id)
    if grid_id not in places:  # a grid drawn in the last minute: read again
        _grid_cache.pop(case.subdistrict_id, None)
        places = _grid_places(case.subdistrict_id)
    community_id, area_id = places[grid_id]
    case.grid_id, case.community_id, case.area_id = grid_id, community_id, area_id
    case.needs_placement = False


_TTL_SECONDS = 60
_grid_cache: dict[int, tuple[float, dict[int, tuple[int, int]]]] = {}
_building_cache: dict[int, tuple[float, dict[int, tuple]]] = {}
_category_cache: tuple[float, dict[str, tuple[int, bool]]] | None = None


def _grid_places(subdistrict_id: int) -> dict[int, tuple[int, int]]:
    """grid id → (居委 id, 片区 id), cached per process for a minute like the placement indexes it serves."""
    import time

    from jiedao.geo.models import Grid

    cached = _grid_cache.get(subdistrict_id)
    if cached is None or time.monotonic() - cached[0] > _TTL_SECONDS:
        rows = Grid.objects.filter(subdistrict_id=subdistrict_id).values_list("pk", "community_id",
                                                                              "community__area_id")
        cached = (time.monotonic(), {pk: (c, a) for pk, c, a in rows})
        _grid_cache[subdistrict_id] = cached
    return cached[1]


def _building_place(subdistrict_id: int, building_id: int) -> tuple[int | None, float | None, float | None]:
    """A building's (grid id, lat, lon), from a per-process copy of the subdistrict's buildings refreshed
    once a minute like the address index that found the building; a building missing from it is read."""
    import time

    from jiedao.geo.models import Building

    cached = _building_cache.get(subdistrict_id)
    if cached is None or time.monotonic() - cached[0] > _TTL_SECONDS:
        rows = Building.objects.filter(subdistrict_id=subdistrict_id).values_list("pk", "grid_id", "lat", "lon")
        cached = (time.monotonic(), {pk: (grid, lat, lon) for pk, grid, lat, lon in rows.iterator()})
        _building_cache[subdistrict_id] = cached
    found = cached[1].get(building_id)
    if found is None:
        found = Building.objects.filter(pk=building_id).values_list("grid_id", "lat", "lon").first() \
            or (None, None, None)
    return found


def _categories_by_code() -> dict[str, tuple[int, bool]]:
    """category code → (id, urgent), cached per process for a minute (intake asks for it on every case)."""
    import time

    global _category_cache
    if _category_cache is None or time.monotonic() - _category_cache[0] > _TTL_SECONDS:
        rows = Category.objects.filter(active=True).values_list("code", "pk", "urgent")
        _category_cache = (time.monotonic(), {code: (pk, urgent) for code, pk, urgent in rows})
    return _category_cache[1]


_NON_WORD = re.compile(r"\W+")


def _bigrams(text: str) -> set[str]:
    text = _NON_WORD.sub("", text)
    return {text[i:i + 2] for i in range(len(text) - 1)}


def similarity(a: str, b: str) -> float:
    """Jaccard similarity of character bigrams: enough to tell 'the same complaint again' in Chinese."""
    x, y = _bigrams(a), _bigrams(b)
    return len(x & y) / len(x | y) if x and y else 0.0


def metres_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    dy = (lat2 - lat1) * 111_320
    dx = (lon2 - lon1) * 111_320 * math.cos(math.radians((lat1 + lat2) / 2))
    return math.hypot(dx, dy)


def find_duplicate(case: Case) -> Case | None:
    """A likely earlier report of the same problem: same category, nearby (or the same building), recent,
    still open, with similar text. The operator decides whether to merge (合并)."""
    category_id = case.category_id or case.suggested_category_id
    if category_id is None:
        return None
    if case.lat is None and case.building_id is None:
        return None
    best, best_score = None, 0.0
    mine = _bigrams(case.description)
    for pk, number, description, lat, lon in _duplicate_candidates(case, category_id):
        if case.lat is not None and lat is not None:
            if metres_between(case.lat, case.lon, lat, lon) > DUPLICATE_METRES:
                continue
        theirs = _bigrams(description)
        score = len(mine & theirs) / len(mine | theirs) if mine and theirs else 0.0  # as similarity()
        if score >= DUPLICATE_SIMILARITY and score > best_score:
            best, best_score = (pk, number), score
    if best is None:
        return None
    return Case.from_db(connection.alias, ["id", "number"], best)  # as .only("id", "number") would load it


_DUPLICATE_STATUSES = (Status.NEW, Status.REGISTERED, Status.DISPATCHED, Status.HANDLING, Status.HANDLED)


def _duplicate_candidates(case: Case, category_id: int) -> list[tuple]:
    """(id, number, description, lat, lon) of the open cases of the category reported in the window before
    ``case``, newest first, at most 50: in a box around its point (~165 m; the circle is checked by the
    caller), else in its building. One range scan of the case_effective_category index. Plain SQL because
    intake runs it for every case and the ORM's compilation of this query cost three times its execution
    (2.2 ms against 0.6 ms on PostgreSQL, measured)."""
    adapt = connection.ops.adapt_datetimefield_value
    where = ["subdistrict_id = %s", "effective_category_id = %s", "reported_at >= %s", "reported_at <= %s",
             f"status IN ({', '.join(['%s'] * len(_DUPLICATE_STATUSES))})"]
    params = [case.subdistrict_id, category_id, adapt(case.reported_at - DUPLICATE_WINDOW), adapt(case.reported_at),
              *(s.value for s in _DUPLICATE_STATUSES)]
    if case.pk is not None:
        where.append("id <> %s")
        params.append(case.pk)
    if case.lat is not None:
        dlat, dlon = 0.0015, 0.0018
        where.append("lat BETWEEN %s AND %s AND lon BETWEEN %s AND %s")
        params += [case.lat - dlat, case.lat + dlat, case.lon - dlon, case.lon + dlon]
    else:
        where.append("building_id = %s")
        params.append(case.building_id)
    sql = (f"SELECT id, number, description, lat, lon FROM {Case._meta.db_table} WHERE {' AND '.join(where)} "
           "ORDER BY reported_at DESC LIMIT 50")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


@dataclass
class IntakeResult:
    case: Case
    created: bool


def _next_number(case: Case) -> str:
    # 案件编号: the day it was received and the row's serial, e.g. 202611230001234; unique per subdistrict.
    return f"{timezone.localtime(case.reported_at):%Y%m%d}{case.pk:07d}"


def intake(
    *, subdistrict: Subdistrict, channel: str, description: str, by: User | str | None, address: str = "",
    lat: float | None = None, lon: float | None = None, category: str = "", external_id: str = "",
    reporter_name: str = "", reporter_phone: str = "", reported_at: dt.datetime | None = None,
    urgent: bool | None = None, reporter: User | None = None, data: dict | None = None,
    suggestion=None,
) -> IntakeResult:
    """信息收集: one intake for all four channels. Returns the existing case (created=False) when the same
    external order number (12345 工单编号, sensor alarm id) arrives again, so imports and ingest are
    idempotent. Unplaceable addresses are kept and flagged, never dropped."""
    from jiedao.cases import classifier
    from jiedao.geo.placement import validate_lonlat

    if channel not in Channel.values:
        raise ValidationError({"channel": _("未知的来源渠道：%(c)s") % {"c": channel}})
    errors: dict[str, list[str]] = {}

    def check(field, fn):
        try:
            return fn()
        except ValidationError as exc:
            errors.setdefault(field, []).extend(exc.messages)
            return None

    description = check("description", lambda: clean_text(description, field="description")) or ""
    address = check("address", lambda: clean_text(address, field="address", limit=200, required=False)) or ""
    external_id = (external_id or "").strip()
    if len(external_id) > 40 or (external_id and not re.fullmatch(r"[\w\-./:]+", external_id)):
        errors.setdefault("external_id", []).append(_("工单编号格式不正确"))
    if (lat is None) != (lon is None):
        errors.setdefault("location", []).append(_("经纬度须同时提供"))
    elif lat is not None:
        pair = check("location", lambda: validate_lonlat(lon, lat))
        if pair:
            lon, lat = pair
    chosen = check("category", lambda: category_by_code(category)) if category else None
    reporter_name = check("reporter_name", lambda: clean_text(reporter_name, field="reporter_name", limit=40,
                                                              required=False)) or ""
    if reporter_phone:
        reporter_phone = check("reporter_phone", lambda: _clean_phone(reporter_phone)) or ""
    if reported_at is not None and timezone.is_naive(reported_at):
        reported_at = timezone.make_aware(reported_at)
    if reported_at is not None and reported_at > timezone.now() + dt.timedelta(minutes=5):
        errors.setdefault("reported_at", []).append(_("上报时间不能晚于现在"))
    if errors:
        raise ValidationError(errors)

    if external_id and _external_id_taken(subdistrict, channel, external_id):
        return IntakeResult(_by_external_id(subdistrict, channel, external_id), False)

    if suggestion is None:
        suggestion = classifier.classify(description)
    case = Case(
        subdistrict=subdistrict, channel=channel, external_id=external_id, description=description,
        address=address, lat=lat, lon=lon, category=chosen, reporter_name=reporter_name,
        reporter_phone=reporter_phone, reporter=reporter, reported_at=reported_at or timezone.now(),
    )
    suggested_urgent = False
    if suggestion is not None:
        case.suggested_category_id, suggested_urgent = _categories_by_code().get(suggestion.code, (None, False))
        case.suggestion = {
            "category": suggestion.category, "code": suggestion.code, "confidence": round(suggestion.confidence, 4),
            "alternatives": [{"category": n, "confidence": round(c, 4)} for n, c in suggestion.alternatives],
        }
    effective_urgent = chosen.urgent if chosen else suggested_urgent
    case.urgent = bool(urgent) or is_urgent_text(description) or effective_urgent
    _place(case, user=by)
    duplicate = find_duplicate(case)
    case.possible_duplicate_of = duplicate
    try:
        with transaction.atomic():
            case.pk = _new_case_id()
            if case.pk is not None:  # numbered before it is written: one INSERT
                case.number = _next_number(case)
                insert(case)
            else:  # written, then numbered from its id
                case.number = f"T{secrets.token_hex(8)}"
                insert(case)
                case.number = _next_number(case)
                Case.objects.filter(pk=case.pk).update(number=case.number)
            _event(case, EventKind.CREATED, by=by, to_status=Status.NEW, at=case.reported_at,
                   data={"channel": channel, **({"possible_duplicate_of": duplicate.number} if duplicate else {}),
                         **(data or {})})
            audit.record(actor=by, action=AuditAction.CREATE, obj=case, detail={"channel": channel})
    except IntegrityError:
        # The same 工单编号 arrived twice at the same moment: the other request created it.
        existing = _by_external_id(subdistrict, channel, external_id)
        if existing is None or not external_id:
            raise
        return IntakeResult(existing, False)
    return IntakeResult(case, True)


def _new_case_id() -> int | None:
    """On PostgreSQL the next case id from the table's sequence, so that a case is inserted with its number
    rather than inserted and then updated (an update of an indexed column rewrites every index entry).
    None on SQLite, which has no sequence to draw from."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [Case._meta.db_table])
        return cursor.fetchone()[0]


def _external_id_taken(subdistrict, channel: str, external_id: str) -> bool:
    """Whether the order number is known, through the partial unique index (its condition spelled as in
    the index, so that SQLite uses it too). Plain SQL: intake asks this for every 12345 order, and the ORM's
    compilation cost four times the lookup (measured)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {Case._meta.db_table} WHERE subdistrict_id = %s AND channel = %s "
                       "AND external_id = %s AND NOT (external_id = '') LIMIT 1",
                       [subdistrict.pk, channel, external_id])
        return cursor.fetchone() is not None


def _by_external_id(subdistrict, channel: str, external_id: str) -> Case | None:
    # Spelled so that the partial unique index (external_id <> '') serves it, with no ordering to satisfy.
    return Case.objects.filter(subdistrict=subdistrict, channel=channel, external_id=external_id) \
        .exclude(external_id="").order_by().first()


def _clean_phone(value: str) -> str:
    value = re.sub(r"[\s\-]", "", str(value))
    if re.fullmatch(r"0\d{9,11}|\d{8}", value):  # landlines: 021-12345678 or 8 digits
        return value
    return validate_mobile(value)


def report(*, by: User, description: str, lat=None, lon=None, address: str = "", category: str = "",
           photos=(), urgent: bool = False) -> Case:
    """网格巡查 / 走访上报: a grid or social worker reports from the field, with photos and GPS."""
    ensure_perm(by, Perm.REPORT_CASES)
    if by.subdistrict_id is None:
        raise PermissionDenied(_("您的账号未设置所属街道"))
    photos = [validate_photo(p) for p in photos]
    result = intake(subdistrict=by.subdistrict, channel=Channel.PATROL, description=description, by=by,
                    lat=lat, lon=lon, address=address, category=category, urgent=urgent)
    for photo in photos:
        _store_photo(result.case, photo, by=by, event=result.case.events.first())
    return result.case


def resident_report(*, by: User, subdistrict: Subdistrict, description: str, address: str = "", lat=None,
                    lon=None, phone: str = "", name: str = "", photos=()) -> Case:
    """居民上报 through the portal: the resident can follow and rate their own case."""
    photos = [validate_photo(p) for p in photos]
    case = intake(subdistrict=subdistrict, channel=Channel.RESIDENT, description=description, by=by,
                  address=address, lat=lat, lon=lon, reporter=by if getattr(by, "is_authenticated", False) else None,
                  reporter_name=name or (by.display_name if getattr(by, "is_authenticated", False) else ""),
                  reporter_phone=phone).case
    for photo in photos:
        _store_photo(case, photo, by=by, event=case.events.first())
    return case


def sensor_alarm(*, subdistrict: Subdistrict, device: str, alarm_type: str, alarm_id: str, by: User,
                 lat=None, lon=None, address: str = "", evidence: dict | None = None,
                 occurred_at: dt.datetime | None = None, category: str = "") -> IntakeResult:
    """物联感知: the sensing module's alarms enter here, idempotent by alarm id."""
    description = _("设备 %(device)s 报警：%(type)s") % {"device": device, "type": alarm_type}
    return intake(subdistrict=subdistrict, channel=Channel.SENSOR, description=description, by=by, lat=lat,
                  lon=lon, address=address, external_id=alarm_id, category=category, reported_at=occurred_at,
                  data={"device": device, "alarm_type": alarm_type, "evidence": evidence or {}})


# --------------------------------------------------------------------------------------------- photos

PHOTO_FORMATS = {"JPEG": ("jpg", "image/jpeg"), "PNG": ("png", "image/png"), "WEBP": ("webp", "image/webp")}


@dataclass
class CheckedPhoto:
    content: bytes
    extension: str
    content_type: str
    width: int
    height: int


def validate_photo(upload) -> CheckedPhoto:
    """A real JPEG, PNG or WebP picture within the size limit; anything else is refused whole."""
    from io import BytesIO

    from PIL import Image, UnidentifiedImageError

    limit = settings.CASES_MAX_PHOTO_BYTES
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise ValidationError({"photos": _("照片太大：每张最多 %(mb)s MB") % {"mb": limit // 1_000_000}})
    content = upload.read(limit + 1) if hasattr(upload, "read") else bytes(upload)
    if len(content) > limit:
        raise ValidationError({"photos": _("照片太大：每张最多 %(mb)s MB") % {"mb": limit // 1_000_000}})
    try:
        with Image.open(BytesIO(content)) as image:
            image.verify()
            fmt, (width, height) = image.format, image.size
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError({"photos": _("只能上传 JPEG、PNG 或 WebP 格式的照片")}) from None
    if fmt not in PHOTO_FORMATS:
        raise ValidationError({"photos": _("只能上传 JPEG、PNG 或 WebP 格式的照片")})
    extension, content_type = PHOTO_FORMATS[fmt]
    return CheckedPhoto(content, extension, content_type, width, height)


def _store_photo(case: Case, photo: CheckedPhoto, *, by: User | None, event: CaseEvent | None) -> Attachment:
    from django.core.files.base import ContentFile

    attachment = Attachment(case=case, event=event, token=secrets.token_hex(16), extension=photo.extension,
                            content_type=photo.content_type, size=len(photo.content), width=photo.width,
                            height=photo.height, uploaded_by=by if getattr(by, "is_authenticated", False) else None)
    attachment.file.save("photo", ContentFile(photo.content), save=False)
    attachment.save()
    return attachment


# --------------------------------------------------------------------------------------------- routing


def route(case: Case) -> tuple[Department | None, Process | None]:
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


def deadlines(process: Process, start: dt.datetime) -> dict:
    """办理时限 and 先行联系时限 of a dispatch at ``start`` under ``process``."""
    if process.handle_hours is not None:
        due = start + dt.timedelta(hours=process.handle_hours)
    else:
        due = workdays.add_working_days(start, process.handle_days)
    contact_due = start + dt.timedelta(hours=process.first_contact_hours) if process.first_contact_required else None
    return {"handle_due": due, "first_contact_due": contact_due}


# --------------------------------------------------------------------------------------------- the loop


@dataclass(frozen=True)
class Transition:
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


def allowed_actions(case: Case, user: User) -> list[Transition]:
    """What the user may do to the case now (for the page's buttons; ``perform`` checks again)."""
    out = []
    for t in TRANSITIONS.values():
        if case.status not in t.sources or not has_perm(user, t.perm):
            continue
        if t.perm == HANDLE and not user.is_superuser and case.department_id != user.department_id:
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


def _event(case: Case, kind: str, *, by, from_status: str = "", to_status: str = "", note: str = "",
           data: dict | None = None, at: dt.datetime | None = None, department=None) -> CaseEvent:
    is_user = getattr(by, "is_authenticated", False)
    return insert(CaseEvent(  # append-only: the precompiled INSERT of core.rows
        case=case, subdistrict_id=case.subdistrict_id, kind=kind, at=at or timezone.now(),
        actor=by if is_user else None, actor_name=(by.display_name if is_user else str(by or ""))[:150],
        from_status=from_status, to_status=to_status or case.status, note=note,
        department=department if department is not None else case.department, data=data or {},
    ))


def _as_time(value) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def project(case: Case, events: list[CaseEvent]) -> dict:
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


def _reproject(case: Case) -> None:
    facts = project(case, list(case.events.order_by("at", "id")))
    for name, value in facts.items():
        setattr(case, name, value)


def perform(case: Case, action: str, *, by: User, note: str = "", version: int | None = None, **params) -> Case:
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
    if transition.perm == HANDLE and not by.is_superuser:
        # A handler acts only on cases dispatched to their own department.
        if by.department_id is None or case.department_id != by.department_id:
            audit.record_denied(actor=by, obj=case, detail={"transition": transition.kind})
            raise PermissionDenied(_("该案件未派遣给您的部门"))


def _perform(pk: int, t: Transition, *, by: User, note: str, version: int | None, params: dict) -> Case:
    note = clean_text(note, field="note", limit=MAX_NOTE, required=t.note_required)
    with transaction.atomic():
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
        event = _event(case, _KIND_OF[t.kind], by=by, from_status=before, to_status=target, note=note, data=data,
                       department=department)
        for photo in params.get("photos") or ():
            _store_photo(case, photo, by=by, event=event)
        _reproject(case)
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
        _manual_place(case, params, data)
    elif kind in ("dispatch", "reopen"):
        department, process = _dispatch_target(case, params, reopen=kind == "reopen")
        now = timezone.now()
        due = deadlines(process, now)
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
    suggested_department, suggested_process = route(case)
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


def _manual_place(case: Case, params: dict, data: dict) -> None:
    from jiedao.geo.models import Grid

    grid = None
    if params.get("lat") is not None and params.get("lon") is not None:
        from jiedao.geo.placement import grid_index, validate_lonlat

        lon, lat = validate_lonlat(params["lon"], params["lat"])
        grid_id = grid_index(case.subdistrict_id).place_one(lon, lat)
        if grid_id is None:
            raise ValidationError({"location": _("该位置不在本街道的任何网格内")})
        grid = Grid.objects.select_related("community").get(pk=grid_id)
        case.lat, case.lon = lat, lon
    elif params.get("grid"):
        value = params["grid"]
        qs = Grid.objects.filter(subdistrict_id=case.subdistrict_id).select_related("community")
        grid = (qs.filter(pk=value).first() if str(value).isdigit() else None) or qs.filter(code=value).first()
        if grid is None:
            raise ValidationError({"grid": _("未知的网格：%(g)s") % {"g": value}})
    else:
        raise ValidationError({"grid": _("请在地图上选点或选择网格")})
    case.grid_id, case.community_id, case.area_id = grid.pk, grid.community_id, grid.community.area_id
    case.needs_placement = False
    data.update(grid=grid.code)


def dispatch_many(case_ids: list[int], *, by: User, department: str = "", process: str = "") -> dict:
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
            perform(case, "dispatch", by=by, department=department, process=process)
            done.append(case.number)
        except (ValidationError, PermissionDenied, Conflict) as exc:
            failed[pk] = "; ".join(getattr(exc, "messages", [str(exc)]))
    return {"dispatched": done, "failed": failed}


def resident_rate(case: Case, *, by: User, rating: int, note: str = "") -> Case:
    """回访评价 by the resident who reported the case, on the portal."""
    if not getattr(by, "is_authenticated", False) or case.reporter_id != by.pk:
        audit.record_denied(actor=by, obj=case, detail={"transition": "visit"})
        raise PermissionDenied(_("只能评价本人上报的案件"))
    t = TRANSITIONS["visit"]
    if case.rating is not None:
        raise ValidationError({"rating": _("该案件已评价")})
    return _perform(case.pk, t, by=by, note=note, version=None, params={"rating": rating})


def reveal_reporter_phone(case: Case, *, by: User, reason: str = "") -> str:
    """The caller's full phone number for 先行联系: role, scope and department checked, every reveal audited."""
    ensure_perm(by, Perm.REVEAL_PHONE)
    ensure_perm(by, Perm.VIEW_CASES)
    ensure_in_scope(case, user=by)
    if by.role == Role.HANDLER and case.department_id != by.department_id:
        audit.record_denied(actor=by, obj=case, detail={"field": "reporter_phone"})
        raise PermissionDenied(_("该案件未派遣给您的部门"))
    audit.record(actor=by, action=AuditAction.REVEAL, obj=case, field="reporter_phone",
                 reason=reason or _("先行联系"))
    return case.reporter_phone


def rebuild_facts(*, subdistrict_id: int | None = None, fix: bool = True) -> int:
    """Recompute every case's timing columns from its timeline; returns how many differed."""
    qs = Case.objects.all()
    if subdistrict_id is not None:
        qs = qs.filter(subdistrict_id=subdistrict_id)
    changed = 0
    for case in qs.iterator(chunk_size=500):
        facts = project(case, list(case.events.order_by("at", "id")))
        diff = {k: v for k, v in facts.items() if getattr(case, k) != v}
        if diff:
            changed += 1
            if fix:
                Case.objects.filter(pk=case.pk).update(**diff)
    return changed


def warn_overdue(*, now: dt.datetime | None = None, limit: int = 1000) -> int:
    """超期督办: a timeline event on every case in a department's hands whose time limit has passed and
    that has not been warned for this limit yet. Run by the periodic check (cases.tasks)."""
    from jiedao.cases.models import IN_HAND_STATUSES

    now = now or timezone.now()
    ids = list(Case.objects.filter(status__in=IN_HAND_STATUSES, handle_due__lt=now, overdue_warned=False)
               .values_list("pk", flat=True)[:limit])
    warned = 0
    for pk in ids:
        with transaction.atomic():
            case = Case.objects.select_for_update().get(pk=pk)
            if case.status not in IN_HAND_STATUSES or case.overdue_warned or not case.handle_due \
                    or case.handle_due >= now:
                continue
            _event(case, EventKind.OVERDUE, by=_("系统"), from_status=case.status, to_status=case.status,
                   data={"handle_due": case.handle_due.isoformat()}, at=now)
            _reproject(case)
            case.save()
            warned += 1
    return warned
