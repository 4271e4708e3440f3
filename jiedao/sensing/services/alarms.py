"""告警 → 案件: each alarm opens one case through the cases module's intake, and learns what became of it.

``open_cases`` files the case (channel 物联感知, the type's category, the device's place, the evidence image
as a photo, the alarm's number as the case's external id so that filing twice gives the same case) and
links it; a case that cannot be filed leaves the alarm with the reason (``case_error``) for
``open_pending_cases`` to try again. ``sync_outcomes`` copies back when the case was closed or cancelled and
whether the alarm was false (误报): the case was cancelled (作废) without being merged into another, or
closed or cancelled with 误报 in its note. ``mark_false`` is the operator's 误报 from the alarm's page.
"""

import datetime as dt
import logging

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from jiedao.core.models import User
from jiedao.sensing.defaults import DESCRIPTIONS
from jiedao.sensing.models import Alarm, Event, EventImage

log = logging.getLogger("jiedao.sensing")

ACTOR = "物联感知平台"  # the case timeline's actor for alarms (the platform, not a person)
MAX_ATTEMPTS = 5
FALSE_WORD = "误报"


def open_cases(*, alarm_ids: list[int]) -> dict[int, str]:
    """File a case for each alarm that wants one and has none; alarm id → case number of those filed now."""
    alarms = (Alarm.objects.filter(pk__in=alarm_ids, case__isnull=True, opens_case=True)
              .select_related("device__building__road", "device__subdistrict", "type__category").order_by("pk"))
    filed = {}
    for alarm in alarms:
        number = _open_case(alarm)
        if number:
            filed[alarm.pk] = number
    return filed


def open_pending_cases(*, now: dt.datetime | None = None, older_than: dt.timedelta = dt.timedelta(seconds=30)) -> int:
    """Alarms still without their case (the process died before filing it, or filing failed): try again."""
    now = now or timezone.now()
    ids = list(Alarm.objects.filter(case__isnull=True, opens_case=True, case_attempts__lt=MAX_ATTEMPTS,
                                    created_at__lt=now - older_than).values_list("pk", flat=True)[:500])
    return len(open_cases(alarm_ids=ids))


def _open_case(alarm: Alarm) -> str:
    from jiedao.cases import services as cases

    device, sensor_type = alarm.device, alarm.type
    try:
        photos = _photos(alarm)
        lat, lon = device.lat, device.lon
        building = device.building
        if lat is None and building is not None:
            lat, lon = building.lat, building.lon
        address = " ".join(filter(None, [building.address if building else "", device.place]))[:200]
        result = cases.sensor_alarm(
            subdistrict=device.subdistrict, device=device.code, alarm_type=sensor_type.code,
            alarm_id=alarm.external_id, by=ACTOR, description=case_description(alarm), address=address,
            lat=lat, lon=lon, category=sensor_type.category.code if sensor_type.category else "",
            occurred_at=min(alarm.opened_at, timezone.now()), urgent=alarm.urgent, photos=photos,
            data={"alarm": alarm.external_id},
        )
    except DatabaseError:
        raise
    except Exception as exc:  # ValidationError, PhotoNotStored, or a failure nobody foresaw: keep trying later
        if not isinstance(exc, ValidationError):
            log.exception("sensing: alarm %s could not open its case", alarm.external_id)
        message = "; ".join(getattr(exc, "messages", None) or [f"{exc.__class__.__name__}: {exc}"])
        Alarm.objects.filter(pk=alarm.pk).update(case_error=message[:300], case_attempts=F("case_attempts") + 1)
        return ""
    Alarm.objects.filter(pk=alarm.pk).update(case=result.case, case_opened_at=timezone.now(), case_error="",
                                             case_attempts=F("case_attempts") + 1)
    return result.case.number


def case_description(alarm: Alarm) -> str:
    """诉求内容 of an alarm's case: what happened, where, on which device (Chinese, as all case texts)."""
    device, sensor_type = alarm.device, alarm.type
    what = DESCRIPTIONS.get(sensor_type.code, f"{sensor_type.name}告警")
    value = f"（{alarm.value:g}{sensor_type.unit}）" if alarm.value is not None else ""
    where = device.place or device.name
    at = timezone.localtime(alarm.opened_at).strftime("%m-%d %H:%M")
    return f"物联感知告警：{where}{what}{value}。设备 {device.code}，{at}。"


def _photos(alarm: Alarm) -> list:
    """The evidence picture of the alarm's first event that has one, checked as a case photo."""
    from jiedao.cases.services import validate_photo

    image = EventImage.objects.filter(event__alarm=alarm).order_by("event__at", "event_id").first()
    if image is None:
        return []
    with image.file.open("rb") as fh:
        return [validate_photo(fh.read())]


def sync_outcomes(*, now: dt.datetime | None = None) -> int:
    """Copy back the end of each alarm's case: when it closed, and whether the alarm was false. Returns how
    many alarms learned their outcome."""
    from jiedao.cases.models import Case, CaseEvent, EventKind, Status

    pending = dict(Alarm.objects.filter(case__isnull=False, closed_at=None).values_list("case_id", "pk")[:5000])
    if not pending:
        return 0
    ended = {pk: (status, closed, merged) for pk, status, closed, merged in Case.objects.filter(
        pk__in=list(pending), status__in=(Status.CLOSED, Status.CANCELLED),
    ).values_list("pk", "status", "closed_at", "duplicate_of_id")}
    last: dict[int, tuple[dt.datetime, str]] = {}
    for case_id, at, note in CaseEvent.objects.filter(
            case_id__in=list(ended), kind__in=(EventKind.CLOSED, EventKind.CANCELLED, EventKind.MERGED),
    ).order_by("at", "id").values_list("case_id", "at", "note"):
        last[case_id] = (at, note)
    for case_id, (status, closed, merged) in ended.items():
        at, note = last.get(case_id, (closed or now or timezone.now(), ""))
        false = FALSE_WORD in (note or "") or (status == Status.CANCELLED and merged is None)
        Alarm.objects.filter(pk=pending[case_id]).update(closed_at=closed or at, false_alarm=false)
    return len(ended)


def mark_false(*, alarm: Alarm, by: User, note: str = "") -> Alarm:
    """误报: the operator ends the alarm's case as a false alarm (作废 while it is not dispatched yet, 结案
    once handled), with 误报 in the note; the alarm counts as false."""
    from jiedao.cases import services as cases
    from jiedao.cases.models import Status
    from jiedao.core.access import ensure_in_scope, ensure_perm
    from jiedao.core.roles import Perm

    ensure_perm(by, Perm.VIEW_SENSING)
    ensure_in_scope(alarm, user=by)
    case = alarm.case
    if case is None:
        raise ValidationError(_("该告警尚未立案"))
    text = f"{FALSE_WORD}：{note}".rstrip("：") if note else FALSE_WORD
    if case.status in (Status.NEW, Status.REGISTERED):
        cases.perform(case=case, action="cancel", by=by, note=text)
    elif case.status == Status.HANDLED:
        cases.perform(case=case, action="close", by=by, note=text)
    elif case.status not in (Status.CLOSED, Status.CANCELLED):
        raise ValidationError(_("案件 %(n)s 正在处置中，请在案件页面办理") % {"n": case.number})
    else:
        raise ValidationError(_("案件已结束，不能再标为误报"))
    with transaction.atomic():
        sync_outcomes()
    alarm.refresh_from_db()
    return alarm


def alarm_events(alarm: Alarm):
    return Event.objects.filter(alarm=alarm).select_related("image").order_by("at", "pk")
