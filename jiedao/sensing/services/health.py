"""设备健康: online and offline, battery, and the maintenance task of a device silent for a day.

Every message of a known device counts as a sign of life (``seen``, called by ingest in its transaction).
``last_seen_at`` is written at most once a minute per device and process, so a camera sending ten events a
second costs one UPDATE a minute, not ten a second; what is written is exact to that minute, and a device
is offline only after minutes of silence, so nothing is lost by it. A state that changes (back online, low
battery, battery replaced) is written at once, with a ``HealthChange`` row.

``check`` (periodic, every minute) marks offline the devices silent longer than their ``offline_minutes``
(set from their types' when registered), and opens a ``MaintenanceTask`` for the device's responsible
department once a device has been offline for ``MAINTENANCE_AFTER``; the task closes itself when the device
is heard from again.
"""

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from jiedao.core import audit
from jiedao.core.access import ensure_in_scope
from jiedao.core.models import AuditAction, User
from jiedao.core.roles import Perm, has_perm
from jiedao.sensing.models import Device, DeviceStatus, HealthChange, MaintenanceTask

WRITE_EVERY = dt.timedelta(seconds=60)
LOW_BATTERY = 20  # per cent: below it, low
BATTERY_OK = 30   # per cent: at or above it, low no longer (a reading that wobbles does not flap)
BATTERY_STEP = 5  # per cent: a smaller change of a device's level is not written
MAINTENANCE_AFTER = dt.timedelta(days=1)

_written: dict[int, dt.datetime] = {}  # device id → when this process last wrote its last_seen_at


def seen(*, devices: dict[int, tuple[dt.datetime, int | None]], now: dt.datetime) -> None:
    """Devices heard from: device id → (when, battery per cent or None)."""
    ids = list(devices)
    stale = [pk for pk in ids if (w := _written.get(pk)) is None or now - w >= WRITE_EVERY]
    coming_back = list(Device.objects.filter(pk__in=ids, status=DeviceStatus.ACTIVE)
                       .filter(Q(online=False) | Q(online__isnull=True)).values_list("pk", "subdistrict_id", "online"))
    if stale:
        Device.objects.filter(pk__in=stale).update(last_seen_at=now)
        _written.update(dict.fromkeys(stale, now))
    if coming_back:
        back_ids = [pk for pk, _sub, _online in coming_back]
        Device.objects.filter(pk__in=back_ids).update(online=True, offline_since=None, last_seen_at=now)
        _written.update(dict.fromkeys(back_ids, now))
        HealthChange.objects.bulk_create([
            HealthChange(subdistrict_id=sub, device_id=pk, kind=HealthChange.Kind.ONLINE, at=now,
                         detail="" if was is False else _("首次上线"))
            for pk, sub, was in coming_back
        ])
        MaintenanceTask.objects.filter(device_id__in=back_ids, reason=MaintenanceTask.Reason.OFFLINE,
                                       closed_at=None).update(closed_at=now, note=_("设备已恢复在线"))
    readings = {pk: battery for pk, (_at, battery) in devices.items() if battery is not None}
    if readings:
        _battery(readings, now=now)


def _battery(readings: dict[int, int], *, now: dt.datetime) -> None:
    known = {pk: (low, battery, sub) for pk, low, battery, sub in Device.objects.filter(pk__in=list(readings))
             .values_list("pk", "low_battery", "battery", "subdistrict_id")}
    current = {pk: low for pk, (low, _b, _s) in known.items()}
    subs = {pk: sub for pk, (_l, _b, sub) in known.items()}
    # A level is written when it moved by BATTERY_STEP or more, or crosses a threshold: batteries drain over
    # months, and a heartbeat a minute of 20,000 devices must not be 20,000 UPDATEs a minute.
    by_level: dict[int, list[int]] = {}
    for pk, level in readings.items():
        if pk not in known:
            continue
        old = known[pk][1]
        crossing = (level < LOW_BATTERY) != bool(known[pk][0])
        if old is None or abs(old - level) >= BATTERY_STEP or crossing:
            by_level.setdefault(level, []).append(pk)
    for level, pks in by_level.items():
        Device.objects.filter(pk__in=pks).update(battery=level)
    low = [pk for pk, level in readings.items() if level < LOW_BATTERY and not current.get(pk)]
    ok = [pk for pk, level in readings.items() if level >= BATTERY_OK and current.get(pk)]
    if low:
        Device.objects.filter(pk__in=low).update(low_battery=True)
        HealthChange.objects.bulk_create([
            HealthChange(subdistrict_id=subs[pk], device_id=pk, kind=HealthChange.Kind.LOW_BATTERY, at=now,
                         detail=f"{readings[pk]}%") for pk in low])
        _open_tasks(low, reason=MaintenanceTask.Reason.LOW_BATTERY, now=now)
    if ok:
        Device.objects.filter(pk__in=ok).update(low_battery=False)
        HealthChange.objects.bulk_create([
            HealthChange(subdistrict_id=subs[pk], device_id=pk, kind=HealthChange.Kind.BATTERY_OK, at=now,
                         detail=f"{readings[pk]}%") for pk in ok])
        MaintenanceTask.objects.filter(device_id__in=ok, reason=MaintenanceTask.Reason.LOW_BATTERY,
                                       closed_at=None).update(closed_at=now, note=_("电量已恢复"))


def check(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Mark offline the devices silent for longer than their ``offline_minutes``; open maintenance tasks for
    those offline for a day. Returns how many went offline and how many tasks were opened."""
    now = now or timezone.now()
    _written.clear()  # what other processes wrote is read again from the rows below
    went = 0
    windows = Device.objects.filter(status=DeviceStatus.ACTIVE, online=True).values_list(
        "offline_minutes", flat=True).distinct()
    for minutes in sorted(set(windows)):
        cutoff = now - dt.timedelta(minutes=minutes)
        silent = Device.objects.filter(status=DeviceStatus.ACTIVE, online=True, offline_minutes=minutes,
                                       last_seen_at__lt=cutoff)
        with transaction.atomic():
            rows = list(silent.values_list("pk", "subdistrict_id", "last_seen_at"))
            if not rows:
                continue
            # The same condition again: a device heard from since the read above stays online.
            Device.objects.filter(pk__in=[r[0] for r in rows], online=True, last_seen_at__lt=cutoff).update(
                online=False, offline_since=now)
            still = set(Device.objects.filter(pk__in=[r[0] for r in rows], online=False).values_list("pk", flat=True))
            HealthChange.objects.bulk_create([
                HealthChange(subdistrict_id=sub, device_id=pk, kind=HealthChange.Kind.OFFLINE, at=now,
                             detail=_("%(m)s 分钟无心跳或事件（最近上报 %(t)s）") % {
                                 "m": minutes, "t": timezone.localtime(last).strftime("%m-%d %H:%M")})
                for pk, sub, last in rows if pk in still])
            went += len(still)
    long_offline = list(Device.objects.filter(status=DeviceStatus.ACTIVE, online=False,
                                              offline_since__lte=now - MAINTENANCE_AFTER).values_list("pk", flat=True))
    opened = _open_tasks(long_offline, reason=MaintenanceTask.Reason.OFFLINE, now=now)
    return {"offline": went, "tasks": opened}


def _open_tasks(device_ids: list[int], *, reason: str, now: dt.datetime) -> int:
    if not device_ids:
        return 0
    open_already = set(MaintenanceTask.objects.filter(device_id__in=device_ids, reason=reason, closed_at=None)
                       .values_list("device_id", flat=True))
    devices = Device.objects.filter(pk__in=[pk for pk in device_ids if pk not in open_already]).values_list(
        "pk", "subdistrict_id", "department_id", "area_id", "community_id", "grid_id")
    tasks = [MaintenanceTask(subdistrict_id=sub, device_id=pk, department_id=dept, reason=reason, opened_at=now,
                             area_id=area, community_id=community, grid_id=grid)
             for pk, sub, dept, area, community, grid in devices]
    MaintenanceTask.objects.bulk_create(tasks, ignore_conflicts=True)
    return len(tasks)


def close_task(*, task: MaintenanceTask, by: User, note: str = "") -> MaintenanceTask:
    """The department (or the 城运中心) records the task done: 已检修."""
    from django.core.exceptions import PermissionDenied

    department_member = has_perm(by, Perm.HANDLE_CASES) and by.department_id and by.department_id == task.department_id
    if not (has_perm(by, Perm.MANAGE_SENSING) or has_perm(by, Perm.VIEW_SENSING) or department_member):
        audit.record_denied(actor=by, obj=task)
        raise PermissionDenied(_("只有责任部门或城运中心可以完成维护任务"))
    if not department_member:
        ensure_in_scope(task, user=by)
    with transaction.atomic():
        updated = MaintenanceTask.objects.filter(pk=task.pk, closed_at=None).update(
            closed_at=timezone.now(), closed_by=by, note=(note or _("已检修"))[:200])
        if updated:
            audit.record(actor=by, action=AuditAction.UPDATE, obj=task, detail={"closed": True})
    task.refresh_from_db()
    return task
