"""信息收集: one intake for every channel (12345 hotline, grid patrol, residents, sensors, visits 走访发现).

``intake`` goes step by step: clean and validate every field, return the known case for a repeated order
number, classify, mark urgency, place, look for a duplicate, write. It runs once per 12345 order, so each
step keeps its query count (docs/cases.md, "Intake"). The write is one transaction with the case's photos:
a request creates the case with its photos or nothing (photos.atomic), so a failed report can be sent again
without making a duplicate.
"""

import datetime as dt
import re
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.utils import timezone
from django.utils.translation import gettext as _

from jiedao.cases import rows
from jiedao.cases.models import Case, Category, Channel, EventKind, Status, household_model
from jiedao.cases.services.duplicates import DuplicateMatch, flagged, intake_matches
from jiedao.cases.services.photos import CheckedPhoto, store_photo, validate_photo
from jiedao.cases.services.photos import atomic as photos_atomic
from jiedao.cases.services.placement import place_case
from jiedao.cases.services.text import category_by_code, clean_text, is_urgent_text
from jiedao.cases.services.timeline import record_event
from jiedao.core import audit
from jiedao.core.access import ensure_perm
from jiedao.core.cache import ProcessCache
from jiedao.core.models import AuditAction, Subdistrict, User
from jiedao.core.roles import Perm
from jiedao.core.validators import validate_mobile

# category code → (id, urgent) of the active categories, kept by each process for a minute.
_categories: ProcessCache[dict[str, tuple[int, bool]]] = ProcessCache(ttl=60)


@dataclass
class IntakeResult:
    """What intake did: the case, and whether it was created now (False: its order number was known); for
    a case created now, the open cases it likely repeats (疑似重复), likeliest first, the first of them its
    ``possible_duplicate_of``, so that the answer shows them without searching again."""

    case: Case
    created: bool
    duplicates: list[DuplicateMatch] = field(default_factory=list)


def intake(
    *, subdistrict: Subdistrict, channel: str, description: str, by: User | str | None, address: str = "",
    lat: float | None = None, lon: float | None = None, category: str = "", external_id: str = "",
    reporter_name: str = "", reporter_phone: str = "", reported_at: dt.datetime | None = None,
    urgent: bool | None = None, reporter: User | None = None, data: dict | None = None,
    suggestion=None, photos: list[CheckedPhoto] | tuple = (), household_id: int | None = None,
) -> IntakeResult:
    """信息收集: one intake for every channel. Returns the existing case (created=False) when the same
    external order number (12345 工单编号, sensor alarm id) arrives again, so imports and ingest are
    idempotent. Unplaceable addresses are kept and flagged, never dropped. ``suggestion`` is the
    classifier's answer when the caller has it already (the importer classifies a file's rows at once).
    ``photos`` (checked by ``validate_photo``) are stored in the case's transaction: if one cannot be
    stored, ``PhotoNotStored`` is raised and neither the case nor any photo is kept.

    ``household_id`` links the case to a registry household (户) of the same subdistrict, e.g. a problem found
    on a visit (channel 走访发现); a household of another subdistrict, or none, is a ValidationError on
    ``household`` and nothing is written. The household's building places the case when it gives no point.
    Whether the caller may see that household is the caller's check (the API resolves a 户编码 in the
    user's scope)."""
    case = _checked_case(
        subdistrict=subdistrict, channel=channel, description=description, address=address, lat=lat, lon=lon,
        category=category, external_id=external_id, reporter_name=reporter_name, reporter_phone=reporter_phone,
        reported_at=reported_at, reporter=reporter, household_id=household_id,
    )
    if case.external_id and rows.external_id_taken(subdistrict_id=subdistrict.pk, channel=channel,
                                                   external_id=case.external_id):
        return IntakeResult(_by_external_id(subdistrict, channel, case.external_id), False)
    suggested_urgent = _classify(case, suggestion)
    chosen_urgent = case.category.urgent if case.category_id else suggested_urgent
    case.urgent = bool(urgent) or is_urgent_text(case.description) or chosen_urgent
    place_case(case=case)
    matches = intake_matches(case=case)
    case.possible_duplicate_of = flagged(matches)
    result = _write(case, by=by, data=data, photos=photos)
    if result.created:
        result.duplicates = matches
    return result


def _checked_case(*, subdistrict: Subdistrict, channel: str, description: str, address: str, lat, lon,
                  category: str, external_id: str, reporter_name: str, reporter_phone: str,
                  reported_at: dt.datetime | None, reporter: User | None, household_id: int | None = None) -> Case:
    """The unsaved case, every field cleaned; a ValidationError naming every wrong field at once."""
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
    building_id = None
    if household_id is not None:
        building_id = check("household", lambda: _household_building(subdistrict, household_id))
    if errors:
        raise ValidationError(errors)
    return Case(
        subdistrict=subdistrict, channel=channel, external_id=external_id, description=description,
        address=address, lat=lat, lon=lon, category=chosen, reporter_name=reporter_name,
        reporter_phone=reporter_phone, reporter=reporter, reported_at=reported_at or timezone.now(),
        household_id=household_id if building_id else None, building_id=building_id,
    )


def _household_building(subdistrict: Subdistrict, household_id) -> int:
    """The building of the registry household ``household_id`` of ``subdistrict``."""
    if isinstance(household_id, bool) or not isinstance(household_id, int):
        raise ValidationError(_("关联户编号应为整数"))
    building_id = household_model()._default_manager.filter(pk=household_id, subdistrict_id=subdistrict.pk) \
        .values_list("building_id", flat=True).first()
    if building_id is None:
        raise ValidationError(_("关联户不存在或不属于%(sub)s，请核对户编码") % {"sub": subdistrict.name})
    return building_id


def _clean_phone(value: str) -> str:
    value = re.sub(r"[\s\-]", "", str(value))
    if re.fullmatch(r"0\d{9,11}|\d{8}", value):  # landlines: 021-12345678 or 8 digits
        return value
    return validate_mobile(value)


def _by_external_id(subdistrict, channel: str, external_id: str) -> Case | None:
    # Spelled so that the partial unique index (external_id <> '') serves it, with no ordering to satisfy.
    return Case.objects.filter(subdistrict=subdistrict, channel=channel, external_id=external_id) \
        .exclude(external_id="").order_by().first()


def _classify(case: Case, suggestion) -> bool:
    """Record the classifier's suggested category and its alternatives on the case (asking the classifier
    unless the caller did); returns whether the suggested category is an urgent one."""
    from jiedao.cases import classifier

    if suggestion is None:
        suggestion = classifier.classify(case.description)
    if suggestion is None:
        return False
    case.suggested_category_id, urgent = _categories_by_code().get(suggestion.code, (None, False))
    case.suggestion = {
        "category": suggestion.category, "code": suggestion.code, "confidence": round(suggestion.confidence, 4),
        "alternatives": [{"category": n, "confidence": round(c, 4)} for n, c in suggestion.alternatives],
    }
    return urgent


def _categories_by_code() -> dict[str, tuple[int, bool]]:
    """category code → (id, urgent), from the per-process copy (intake asks for it on every case)."""

    def load():
        active = Category.objects.filter(active=True).values_list("code", "pk", "urgent")
        return {code: (pk, urgent) for code, pk, urgent in active}

    return _categories.get("active", load)


def _write(case: Case, *, by: User | str | None, data: dict | None, photos=()) -> IntakeResult:
    """Insert the numbered case, its first timeline event, its photos and its audit record in one
    transaction. A case whose order number another request wrote meanwhile is answered with that
    request's case."""
    duplicate = case.possible_duplicate_of
    try:
        with photos_atomic():
            rows.insert_case(case=case, number=_next_number)
            event = record_event(case=case, kind=EventKind.CREATED, by=by, to_status=Status.NEW,
                                 at=case.reported_at, data={
                                     "channel": case.channel,
                                     **({"possible_duplicate_of": duplicate.number} if duplicate else {}),
                                     **(data or {})})
            for photo in photos:
                store_photo(case=case, photo=photo, by=by if isinstance(by, User) else None, event=event)
            audit.record(actor=by, action=AuditAction.CREATE, obj=case, detail={"channel": case.channel})
    except IntegrityError:
        # The same 工单编号 arrived twice at the same moment: the other request created it.
        existing = _by_external_id(case.subdistrict, case.channel, case.external_id)
        if existing is None or not case.external_id:
            raise
        return IntakeResult(existing, False)
    return IntakeResult(case, True)


def _next_number(case: Case) -> str:
    # 案件编号: the day it was received and the row's serial, e.g. 202611230001234; unique per subdistrict.
    return f"{timezone.localtime(case.reported_at):%Y%m%d}{case.pk:07d}"


def report(*, by: User, description: str, lat=None, lon=None, address: str = "", category: str = "",
           photos=(), urgent: bool = False) -> Case:
    """网格巡查 / 走访上报: a grid or social worker reports from the field, with photos and GPS."""
    ensure_perm(by, Perm.REPORT_CASES)
    if by.subdistrict_id is None:
        raise PermissionDenied(_("您的账号未设置所属街道"))
    photos = [validate_photo(p) for p in photos]
    return intake(subdistrict=by.subdistrict, channel=Channel.PATROL, description=description, by=by,
                  lat=lat, lon=lon, address=address, category=category, urgent=urgent, photos=photos).case


def resident_report(*, by: User, subdistrict: Subdistrict, description: str, address: str = "", lat=None,
                    lon=None, phone: str = "", name: str = "", photos=()) -> Case:
    """居民上报 through the portal: the resident can follow and rate their own case."""
    photos = [validate_photo(p) for p in photos]
    return intake(subdistrict=subdistrict, channel=Channel.RESIDENT, description=description, by=by,
                  address=address, lat=lat, lon=lon, reporter=by if getattr(by, "is_authenticated", False) else None,
                  reporter_name=name or (by.display_name if getattr(by, "is_authenticated", False) else ""),
                  reporter_phone=phone, photos=photos).case


def sensor_alarm(*, subdistrict: Subdistrict, device: str, alarm_type: str, alarm_id: str, by: User | str | None,
                 lat=None, lon=None, address: str = "", evidence: dict | None = None,
                 occurred_at: dt.datetime | None = None, category: str = "", description: str = "",
                 urgent: bool | None = None, photos: list[CheckedPhoto] | tuple = (),
                 data: dict | None = None) -> IntakeResult:
    """物联感知: the sensing module's alarms enter here, idempotent by alarm id: the category its type maps to,
    the device's place, the evidence picture as a photo (stored with the case, or neither), and what the
    sensing module says of the alarm in ``description`` and ``data``."""
    description = description or _("设备 %(device)s 报警：%(type)s") % {"device": device, "type": alarm_type}
    return intake(subdistrict=subdistrict, channel=Channel.SENSOR, description=description, by=by, lat=lat,
                  lon=lon, address=address, external_id=alarm_id, category=category, reported_at=occurred_at,
                  urgent=urgent, photos=photos,
                  data={"device": device, "alarm_type": alarm_type, "evidence": evidence or {}, **(data or {})})
