"""Reads of 物联感知, each starting from the reader's scope (core.scope), with their declared filters."""

import datetime as dt
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from jiedao.core.access import ensure_perm, get_in_scope
from jiedao.core.models import User
from jiedao.core.roles import Perm, has_perm
from jiedao.core.scope import scope_of
from jiedao.sensing.filters import AlarmFilter, DeadLetterFilter, DeviceFilter
from jiedao.sensing.models import (
    Alarm,
    AlarmRule,
    Command,
    DeadLetter,
    Device,
    DeviceStatus,
    Event,
    HealthChange,
    MaintenanceTask,
    SensorType,
)


def device_list(*, user: User, filters: dict | None = None) -> QuerySet[Device]:
    """设备列表: the reader's devices, filtered; the types and places come with them."""
    ensure_perm(user, Perm.VIEW_SENSING)
    qs = Device.objects.within(scope_of(user)).select_related("community", "grid", "building__road") \
        .prefetch_related("types")
    return DeviceFilter(filters, queryset=qs).qs.distinct().order_by("code")


def get_device(*, user: User, code: str) -> Device:
    ensure_perm(user, Perm.VIEW_SENSING)
    return get_in_scope(Device.objects.select_related("community", "grid", "building__road", "department")
                        .prefetch_related("types"), user=user, code=code, subdistrict_id=user.subdistrict_id)


def device_points(*, user: User, filters: dict | None = None) -> list[dict]:
    """The map's devices: code, point, first type and health, as few columns as a map of 20,000 needs."""
    qs = device_list(user=user, filters=filters).filter(lat__isnull=False)
    first_type: dict[int, str] = {}
    through = Device.types.through.objects.filter(device__in=qs.values("pk")).order_by("sensortype__order")
    for device_id, code in through.values_list("device_id", "sensortype__code"):
        first_type.setdefault(device_id, code)
    return [
        {"code": code, "lat": lat, "lon": lon, "type": first_type.get(pk, ""),
         "health": "retired" if status != DeviceStatus.ACTIVE else {True: "online", False: "offline"}.get(online,
                                                                                                          "never")}
        for pk, code, lat, lon, status, online in qs.prefetch_related(None).order_by().values_list(
            "pk", "code", "lat", "lon", "status", "online")
    ]


def recent_events(*, device: Device, limit: int = 50) -> QuerySet[Event]:
    return Event.objects.filter(device=device).select_related("type", "alarm", "image").order_by("-at", "-pk")[:limit]


def alarm_list(*, user: User, filters: dict | None = None) -> QuerySet[Alarm]:
    """告警队列: newest first."""
    ensure_perm(user, Perm.VIEW_SENSING)
    qs = Alarm.objects.within(scope_of(user)).select_related("device", "type", "community", "case")
    return AlarmFilter(filters, queryset=qs).qs.order_by("-opened_at", "-pk")


def get_alarm(*, user: User, number: str) -> Alarm:
    """One alarm by its number (SENS-123), in the reader's scope."""
    ensure_perm(user, Perm.VIEW_SENSING)
    pk = number.removeprefix("SENS-")
    if not pk.isdigit() or len(pk) > 18:
        from django.http import Http404

        raise Http404
    return get_in_scope(Alarm.objects.select_related("device__building__road", "type", "community", "grid", "case",
                                                     "rule"), user=user, pk=int(pk))


def alarm_for_event(*, user: User, device: str, event: str) -> tuple[Event, Alarm | None]:
    """Which alarm (and so which case) the event ``event`` of device ``device`` produced, if any."""
    ensure_perm(user, Perm.VIEW_SENSING)
    found = get_in_scope(Device.objects.all(), user=user, code=device, subdistrict_id=user.subdistrict_id)
    from django.shortcuts import get_object_or_404

    stored = get_object_or_404(Event.objects.select_related("alarm__case", "alarm__type", "alarm__device"),
                               device=found, event_id=event)
    return stored, stored.alarm


def alarm_commands(*, alarm: Alarm) -> QuerySet[Command]:
    return Command.objects.filter(alarm=alarm).order_by("created_at", "pk")


def dead_letters(*, user: User, filters: dict | None = None) -> QuerySet[DeadLetter]:
    """死信 for an admin; open ones unless asked otherwise."""
    ensure_perm(user, Perm.MANAGE_SENSING)
    filters = {"resolved": "false", **(filters or {})}
    return DeadLetterFilter(filters, queryset=DeadLetter.objects.within(scope_of(user))).qs.order_by("-received_at",
                                                                                                       "-pk")


def get_dead_letter(*, user: User, pk: int) -> DeadLetter:
    ensure_perm(user, Perm.MANAGE_SENSING)
    return get_in_scope(DeadLetter.objects.all(), user=user, pk=pk)


def rule_list(*, user: User) -> list[AlarmRule]:
    """告警规则 of the reader's subdistrict, every type (defaults written on first read)."""
    from jiedao.sensing.services import rules_for

    ensure_perm(user, Perm.VIEW_SENSING)
    if user.subdistrict_id is None:
        return []
    return rules_for(subdistrict_id=user.subdistrict_id)


def maintenance_tasks(*, user: User, open_only: bool = True) -> QuerySet[MaintenanceTask]:
    """设备维护任务: the 城运中心 sees its scope's; a department's handler sees the department's."""
    if has_perm(user, Perm.VIEW_SENSING):
        qs = MaintenanceTask.objects.within(scope_of(user))
    elif has_perm(user, Perm.HANDLE_CASES) and user.department_id:
        qs = MaintenanceTask.objects.filter(department_id=user.department_id, subdistrict_id=user.subdistrict_id)
    else:
        ensure_perm(user, Perm.VIEW_SENSING)
        qs = MaintenanceTask.objects.none()
    if open_only:
        qs = qs.filter(closed_at=None)
    return qs.select_related("device", "department").order_by("-opened_at", "-pk")


def health_changes(*, device: Device, limit: int = 20) -> QuerySet[HealthChange]:
    return HealthChange.objects.filter(device=device).order_by("-at", "-pk")[:limit]


# ----------------------------------------------------------------------------------------------- figures

@dataclass
class Figures:
    """The health and alarm figures the issue names, for one reader over ``days`` days up to today."""

    devices: int            # 在用设备
    online: int             # 在线
    offline: int            # 离线
    never: int              # 未上线
    low_battery: int        # 低电量
    alarms: int             # 告警数
    by_day: list[tuple[dt.date, dict[str, int]]]    # per day: type code → alarms
    by_type: list[tuple[SensorType, int]]
    by_community: list[tuple[str, int]]
    false_known: int        # alarms whose case ended (the denominator of the false share)
    false_alarms: int       # 误报
    close_minutes_median: float | None   # 告警到结案 (true alarms): median minutes
    close_minutes_p90: float | None
    closed: int             # true alarms whose case closed in the period

    @property
    def online_rate(self) -> float | None:
        """在线率: online / active devices that have ever reported."""
        heard = self.online + self.offline
        return round(100 * self.online / heard, 1) if heard else None

    @property
    def false_share(self) -> float | None:
        """误报率: 误报 / alarms whose case has ended."""
        return round(100 * self.false_alarms / self.false_known, 1) if self.false_known else None


def figures(*, user: User, days: int = 30, today: dt.date | None = None) -> Figures:
    ensure_perm(user, Perm.VIEW_SENSING)
    scope = scope_of(user)
    today = today or timezone.localdate()
    start = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=days - 1), dt.time.min))
    devices = Device.objects.within(scope).filter(status=DeviceStatus.ACTIVE).aggregate(
        n_total=Count("pk"), n_online=Count("pk", filter=Q(online=True)), n_offline=Count("pk", filter=Q(online=False)),
        n_never=Count("pk", filter=Q(online__isnull=True)), n_low=Count("pk", filter=Q(low_battery=True)))
    alarms = Alarm.objects.within(scope).filter(opened_at__gte=start)
    types = {t.pk: t for t in SensorType.objects.all()}
    per_day: dict[dt.date, Counter] = defaultdict(Counter)
    for day, type_id, n in alarms.annotate(day=TruncDate("opened_at", tzinfo=timezone.get_current_timezone())) \
            .values_list("day", "type_id").annotate(n=Count("pk")).order_by():
        per_day[day][types[type_id].code] += n
    by_day = [(today - dt.timedelta(days=i), dict(per_day.get(today - dt.timedelta(days=i), {})))
              for i in range(days - 1, -1, -1)]
    by_type = Counter()
    for counter in per_day.values():
        by_type.update(counter)
    code_type = {t.code: t for t in types.values()}
    by_community = [(name or "—", n) for name, n in alarms.values_list("community__name").annotate(n=Count("pk"))
                    .order_by("-n")[:20]]
    ended = alarms.filter(closed_at__isnull=False)
    false_known = ended.count()
    false_alarms = ended.filter(false_alarm=True).count()
    minutes = sorted((closed - opened).total_seconds() / 60 for opened, closed in
                     ended.filter(false_alarm=False).values_list("opened_at", "closed_at"))
    return Figures(
        devices=devices["n_total"], online=devices["n_online"], offline=devices["n_offline"],
        never=devices["n_never"], low_battery=devices["n_low"], alarms=sum(by_type.values()), by_day=by_day,
        by_type=sorted(((code_type[c], n) for c, n in by_type.items()), key=lambda x: -x[1]),
        by_community=by_community, false_known=false_known, false_alarms=false_alarms,
        close_minutes_median=round(statistics.median(minutes), 1) if minutes else None,
        close_minutes_p90=round(minutes[min(len(minutes) - 1, int(len(minutes) * 0.9))], 1) if minutes else None,
        closed=len(minutes),
    )
