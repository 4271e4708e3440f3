"""What the rules make of a batch of new events: no alarm, a new alarm, or one more event of an alarm of the
same device and type still within its merge window (合并窗口).

Called by ingest inside its transaction, with the batch's new events in time order. The devices that may
raise alarms are locked first (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite's writes are serial anyway),
so two listeners taking events of one device at the same moment do not both open an alarm.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Protocol

from django.db import connection

from jiedao.sensing.models import Alarm, AlarmRule, Device, DeviceStatus, Exceedance
from jiedao.sensing.services import commands, directory
from jiedao.sensing.services.directory import DeviceInfo


class NewEvent(Protocol):
    device: DeviceInfo
    type_id: int
    at: dt.datetime
    value: float | None


@dataclass
class Decision:
    alarm: Alarm | None = None
    new: bool = False


def evaluate(events: list[NewEvent], *, now: dt.datetime) -> list[Decision]:
    """One decision per event, in the order given (time order); writes the alarms, their commands and the
    devices' exceedances of duration thresholds."""
    decisions = [Decision() for _ in events]
    rules = {e.device.subdistrict_id: directory.rules(e.device.subdistrict_id) for e in events}
    raising: list[tuple[int, AlarmRule]] = []
    exceedances = _Exceedances(events, rules)
    for i, e in enumerate(events):
        rule = rules[e.device.subdistrict_id].get(e.type_id)
        if rule is None or not rule.enabled or e.device.status != DeviceStatus.ACTIVE:
            continue
        if rule.threshold is not None:
            if e.value is None or e.value < rule.threshold:
                exceedances.below(e)
                continue
            if rule.duration_seconds and (e.at - exceedances.above(e)).total_seconds() < rule.duration_seconds:
                continue
        if rule.is_quiet(e.at):
            continue
        raising.append((i, rule))
    exceedances.save()
    if raising:
        _raise_or_merge(events, raising, decisions, now=now)
    return decisions


def _raise_or_merge(events, raising: list[tuple[int, AlarmRule]], decisions: list[Decision], *, now) -> None:
    device_ids = sorted({events[i].device.pk for i, _rule in raising})
    if connection.features.has_select_for_update:
        list(Device.objects.select_for_update().filter(pk__in=device_ids).order_by("pk").values_list("pk"))
    widest = max(dt.timedelta(minutes=rule.merge_minutes) for _i, rule in raising)
    since = min(events[i].at for i, _rule in raising) - widest
    current: dict[tuple[int, int], Alarm] = {}
    for alarm in Alarm.objects.filter(device_id__in=device_ids, last_at__gte=since).order_by("last_at", "pk"):
        current[(alarm.device_id, alarm.type_id)] = alarm  # the latest of each device and type
    new: list[Alarm] = []
    merged: dict[int, Alarm] = {}
    for i, rule in raising:
        e = events[i]
        key = (e.device.pk, e.type_id)
        alarm = current.get(key)
        window = dt.timedelta(minutes=rule.merge_minutes)
        if alarm is not None and rule.merge_minutes and alarm.opened_at - window <= e.at <= alarm.last_at + window:
            alarm.count += 1
            alarm.last_at = max(alarm.last_at, e.at)
            if e.value is not None:
                alarm.value = e.value if alarm.value is None else max(alarm.value, e.value)
            if alarm.pk is not None:
                merged[alarm.pk] = alarm
            decisions[i] = Decision(alarm, new=False)
            continue
        d = e.device
        alarm = Alarm(subdistrict_id=d.subdistrict_id, device_id=d.pk, type_id=e.type_id, rule=rule, opened_at=e.at,
                      last_at=e.at, value=e.value, urgent=rule.urgent, created_at=now, opens_case=rule.opens_case,
                      area_id=d.area_id, community_id=d.community_id, grid_id=d.grid_id)
        current[key] = alarm
        new.append(alarm)
        decisions[i] = Decision(alarm, new=True)
    if new:
        Alarm.objects.bulk_create(new)
        queued = [(alarm, alarm.rule.command) for alarm in new if alarm.rule and alarm.rule.command]
        commands.queue_for_alarms(queued, now=now)
    if merged:
        Alarm.objects.bulk_update(list(merged.values()), ["count", "last_at", "value"])


class _Exceedances:
    """The batch's view of how long each device has stayed at or above its duration threshold."""

    def __init__(self, events, rules):
        keys = {(e.device.pk, e.type_id) for e in events
                if (r := rules[e.device.subdistrict_id].get(e.type_id)) is not None and r.duration_seconds}
        self.rows: dict[tuple[int, int], Exceedance] = {}
        if keys:
            found = Exceedance.objects.filter(device_id__in={k[0] for k in keys}, type_id__in={k[1] for k in keys})
            self.rows = {(x.device_id, x.type_id): x for x in found if (x.device_id, x.type_id) in keys}
        self.changed: set[tuple[int, int]] = set()
        self.gone: set[tuple[int, int]] = set()

    def above(self, e) -> dt.datetime:
        """Note a value at or above the threshold; returns since when the values have stayed there."""
        key = (e.device.pk, e.type_id)
        row = self.rows.get(key)
        if row is None:
            row = self.rows[key] = Exceedance(device_id=key[0], type_id=key[1], since=e.at, last_at=e.at)
        else:
            row.since, row.last_at = min(row.since, e.at), max(row.last_at, e.at)
        self.changed.add(key)  # a row deleted earlier in the batch is deleted first, then written anew
        return row.since

    def below(self, e) -> None:
        key = (e.device.pk, e.type_id)
        row = self.rows.get(key)
        if row is not None and e.at >= row.last_at:  # an older value arriving late does not end a newer run
            del self.rows[key]
            self.changed.discard(key)
            if row.pk is not None:
                self.gone.add(key)

    def save(self) -> None:
        for key in self.gone:
            Exceedance.objects.filter(device_id=key[0], type_id=key[1]).delete()
        rows = [self.rows[k] for k in self.changed if k in self.rows]
        if new := [r for r in rows if r.pk is None]:
            Exceedance.objects.bulk_create(new)
        if old := [r for r in rows if r.pk is not None]:
            Exceedance.objects.bulk_update(old, ["since", "last_at"])
