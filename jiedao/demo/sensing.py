"""Demo rows for 物联感知: Caoyang's sensors, their health now, the alarms behind the year's sensor cases,
recent routine traffic, a few dead letters and 电子出入证.

Every device, event and pass here is invented. What is installed follows the interviews and the plan: a
smoke detector in every stairwell, 曹杨眼 cameras against 高空抛物 on about four buildings in ten, elevator
controllers against 电瓶车入梯 in the taller buildings and those with a retrofitted lift, a sensor in
roughly every eighth building's 垃圾厢房, gates with 电子出入证 at every estate, a fire-lane camera per
estate, water gauges at the low points, sensors on manhole covers and gas sensors in the community
canteens: about 3,500 devices at full scale (scaled with the builder). Most are online; a few are offline,
some for more than a day (with their maintenance task), a few have low batteries.

The year of cases (``demo.cases``) already holds the sensor channel's cases; each whose category has a
sensor type here gets the alarm that opened it (on a device of that type at or near its building), with
its events and, for the elevators, the command and its acknowledgement. A cancelled sensor case is a false
alarm (误报), as ``sensing.services.sync_outcomes`` would find.

Written with bulk inserts; deterministic for a given subdistrict and "now" apart from the pass keys.
"""

import datetime as dt
import random
import secrets
from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from jiedao.cases.models import Case, Channel, Status
from jiedao.core.models import Department, Subdistrict
from jiedao.geo.models import Building, Estate
from jiedao.registry.models import Household, Resident
from jiedao.sensing.models import (
    AccessPass,
    Alarm,
    AlarmRule,
    Command,
    CommandStatus,
    DeadLetter,
    DeadReason,
    Device,
    Event,
    EventImage,
    Exceedance,
    HealthChange,
    MaintenanceTask,
    SensorType,
    Source,
)
from jiedao.sensing.services import directory, rules_for

BATCH = 5000
ROUTINE_DAYS = 1  # recent routine traffic kept as events (gates, gauges)

# category of the demo's sensor cases → sensor type
CASE_TYPES = {"电瓶车入梯": "ebike_in_elevator", "高空抛物": "falling_object", "积水排水": "water_level",
              "井盖问题": "manhole", "消防通道占用": "fire_lane_blocked", "电梯故障": "elevator_trapped"}
# device kind: prefix, types, responsible department, vendor, model, where on the building
KINDS = {
    "smoke": ("SM", ("smoke",), "PAB", "海湾安全", "JTY-GD-NB01", "{n}号楼楼道"),
    "camera": ("CY", ("falling_object",), "PCS", "海康威视", "曹杨眼 GK-200", "{n}号楼外墙"),
    "lift": ("EV", ("ebike_in_elevator", "elevator_trapped"), "WYGS", "上海三菱", "EBC-300", "{n}号楼电梯轿厢"),
    "garbage": ("GB", ("garbage_overflow",), "LHSR", "城市环境科技", "GF-10", "{n}号楼旁垃圾厢房"),
    "gate": ("MJ", ("door_held_open", "access_denied", "pass_granted", "pass_refused"), "WYGS", "立方", "AC-50",
             "{estate}{gate}"),
    "fire_lane": ("XF", ("fire_lane_blocked",), "PAB", "海康威视", "FL-100", "{estate}消防通道"),
    "gauge": ("WL", ("water_level",), "SWS", "水务科技", "WL-3", "{road}积水点"),
    "manhole": ("JG", ("manhole",), "SWS", "城投传感", "MH-2", "{road}井盖"),
    "gas": ("RQ", ("gas",), "PAB", "燃气集团", "GS-8", "社区食堂厨房"),
}


def build(*, builder, subdistrict: Subdistrict, now: dt.datetime | None = None) -> dict:
    """Install the subdistrict's rules, register its devices, and write their health, the alarms behind
    its sensor cases, recent traffic, dead letters and passes. Returns the counts written."""
    now = now or timezone.now()
    rng = random.Random(f"sensing-{subdistrict.code}")
    rules_for(subdistrict_id=subdistrict.pk)
    with transaction.atomic():
        devices = _devices(rng, subdistrict, now, builder.scale)
        health = _health(rng, subdistrict, devices, now)
        alarms, alarm_events = _alarms(rng, subdistrict, devices, now)
        routine = _routine(rng, subdistrict, devices, now)
        dead = _dead_letters(rng, subdistrict, now)
        passes = _passes(rng, subdistrict, now)
    directory.clear()
    counts = {"sensing_devices": len(devices), "sensing_alarms": alarms, "sensing_events": alarm_events + routine,
              "sensing_offline": health, "sensing_dead_letters": dead, "sensing_passes": passes}
    builder.counts.update(counts)
    return counts


def _devices(rng, sub, now, scale) -> list[Device]:
    types = {t.code: t.pk for t in SensorType.objects.all()}
    departments = dict(Department.objects.filter(subdistrict=sub).values_list("code", "pk"))
    grid_area = {}
    buildings = list(Building.objects.filter(subdistrict=sub).select_related("community", "road")
                     .order_by("code"))
    for b in buildings:
        grid_area[b.pk] = b.community.area_id
    seq: dict[str, int] = defaultdict(int)
    rows: list[tuple[Device, tuple[str, ...]]] = []

    def add(kind: str, *, building=None, estate=None, place_args=None, lat=None, lon=None, status="active"):
        prefix, kind_types, dept, vendor, model, place = KINDS[kind]
        seq[prefix] += 1
        d = Device(subdistrict=sub, code=f"{prefix}-{seq[prefix]:05d}", model=model, vendor=vendor,
                   place=place.format(**(place_args or {})), status=status, department_id=departments.get(dept),
                   installed_on=dt.date(2021, 1, 1) + dt.timedelta(days=rng.randrange(0, 1500)),
                   offline_minutes=OFFLINE[kind], created_at=now - dt.timedelta(days=rng.randrange(30, 900)))
        if building is not None:
            d.building_id, d.estate_id, d.community_id = building.pk, building.estate_id, building.community_id
            d.grid_id, d.area_id = building.grid_id, grid_area[building.pk]
            d.lat, d.lon = building.lat + rng.uniform(-4e-5, 4e-5), building.lon + rng.uniform(-4e-5, 4e-5)
        elif estate is not None:
            d.estate_id, d.community_id, d.area_id = estate.pk, estate.community_id, estate.community.area_id
        if lat is not None:
            d.lat, d.lon = lat, lon
        rows.append((d, kind_types))

    for b in buildings:
        n = {"n": b.number}
        add("smoke", building=b, place_args=n)
        if rng.random() < 0.4:
            add("camera", building=b, place_args=n)
        if b.floors >= 7 or rng.random() < 0.15:
            add("lift", building=b, place_args=n)
        if rng.random() < 0.125:
            add("garbage", building=b, place_args=n)
    by_estate: dict[int, list[Building]] = defaultdict(list)
    for b in buildings:
        by_estate[b.estate_id].append(b)
    for estate in Estate.objects.filter(subdistrict=sub).select_related("community").order_by("code"):
        members = by_estate.get(estate.pk)
        if not members:
            continue
        for gate in ("南门", "北门"):
            b = rng.choice(members)
            add("gate", building=b, place_args={"estate": estate.name, "gate": gate})
        add("fire_lane", building=rng.choice(members), place_args={"estate": estate.name})
    for kind, count in (("gauge", 20), ("manhole", 60), ("gas", 20)):
        for _ in range(max(2, round(count * max(scale, 0.1)))):
            b = rng.choice(buildings)
            add(kind, building=b, place_args={"road": b.road.name})
    Device.objects.bulk_create([d for d, _t in rows], batch_size=BATCH)
    through = Device.types.through
    through.objects.bulk_create([through(device_id=d.pk, sensortype_id=types[t]) for d, kind_types in rows
                                 for t in kind_types], batch_size=BATCH)
    devices = [d for d, _t in rows]
    for d, kind_types in rows:
        d.type_codes = kind_types
    return devices


# minutes without a sign of life before a device counts as offline, by kind (the types' own)
OFFLINE = {"smoke": 720, "camera": 10, "lift": 10, "garbage": 30, "gate": 30, "fire_lane": 10, "gauge": 60,
           "manhole": 720, "gas": 720}
BATTERY_KINDS = ("SM", "JG", "WL", "RQ")


def _health(rng, sub, devices: list[Device], now) -> int:
    """Online with a recent sign of life, ~3 % offline (some for days, with their maintenance task), a few
    never heard from, low batteries on battery-powered sensors. Returns how many are offline."""
    changes, tasks, offline = [], [], 0
    for d in devices:
        roll = rng.random()
        if d.code[:2] in BATTERY_KINDS:
            d.battery = rng.randint(8, 19) if rng.random() < 0.02 else rng.randint(35, 100)
            d.low_battery = d.battery < 20
        if roll < 0.03:
            d.online = False
            d.offline_since = now - dt.timedelta(hours=rng.uniform(1, 96))
            d.last_seen_at = d.offline_since - dt.timedelta(minutes=d.offline_minutes)
            offline += 1
            changes.append(HealthChange(subdistrict=sub, device=d, kind=HealthChange.Kind.OFFLINE,
                                        at=d.offline_since, detail=f"{d.offline_minutes} 分钟无心跳或事件"))
            if now - d.offline_since >= dt.timedelta(days=1):
                tasks.append(_task(d, MaintenanceTask.Reason.OFFLINE, d.offline_since + dt.timedelta(days=1)))
        elif roll < 0.035:
            d.online = None  # installed, never heard from
        else:
            d.online = True
            d.last_seen_at = now - dt.timedelta(seconds=rng.randrange(5, min(d.offline_minutes, 10) * 60))
        if d.low_battery:
            at = now - dt.timedelta(hours=rng.uniform(2, 60))
            changes.append(HealthChange(subdistrict=sub, device=d, kind=HealthChange.Kind.LOW_BATTERY, at=at,
                                        detail=f"{d.battery}%"))
            tasks.append(_task(d, MaintenanceTask.Reason.LOW_BATTERY, at))
    Device.objects.bulk_update(devices, ["online", "offline_since", "last_seen_at", "battery", "low_battery"],
                               batch_size=BATCH)
    HealthChange.objects.bulk_create(changes, batch_size=BATCH)
    MaintenanceTask.objects.bulk_create(tasks, batch_size=BATCH)
    return offline


def _task(d: Device, reason: str, at) -> MaintenanceTask:
    return MaintenanceTask(subdistrict_id=d.subdistrict_id, device=d, department_id=d.department_id, reason=reason,
                           opened_at=at, area_id=d.area_id, community_id=d.community_id, grid_id=d.grid_id)


def _alarms(rng, sub, devices: list[Device], now) -> tuple[int, int]:
    """The alarm behind each sensor case whose category a sensor type covers, with its events."""
    types = {t.code: t for t in SensorType.objects.all()}
    rules = {r.type_id: r for r in AlarmRule.objects.filter(subdistrict=sub)}
    by_type_building: dict[tuple[str, int], Device] = {}
    by_type_community: dict[tuple[str, int], list[Device]] = defaultdict(list)
    by_type: dict[str, list[Device]] = defaultdict(list)
    for d in devices:
        for t in d.type_codes:
            by_type_building.setdefault((t, d.building_id), d)
            by_type_community[(t, d.community_id)].append(d)
            by_type[t].append(d)
    cases = list(Case.objects.filter(subdistrict=sub, channel=Channel.SENSOR, category__name__in=list(CASE_TYPES))
                 .values_list("pk", "category__name", "building_id", "community_id", "reported_at", "status",
                              "closed_at", "duplicate_of_id", "updated_at").order_by("reported_at", "pk"))
    alarms, planned = [], []
    for pk, category, building, community, reported, status, closed, merged, updated in cases:
        code = CASE_TYPES[category]
        device = (by_type_building.get((code, building)) or rng.choice(by_type_community.get((code, community))
                                                                         or by_type.get(code) or [None]))
        if device is None:
            continue
        sensor_type, rule = types[code], rules.get(types[code].pk)
        count = rng.choice((1, 1, 1, 2, 2, 3, 5))
        ended = closed if status == Status.CLOSED else (updated if status == Status.CANCELLED else None)
        value = round(rng.uniform(18, 42), 1) if sensor_type.measured else None
        alarm = Alarm(subdistrict=sub, device=device, type=sensor_type, rule=rule, opened_at=reported,
                      last_at=reported + dt.timedelta(minutes=2 * (count - 1)), count=count, value=value,
                      urgent=bool(rule and rule.urgent), created_at=reported, case_id=pk,
                      case_opened_at=reported + dt.timedelta(seconds=1), closed_at=ended,
                      false_alarm=(status == Status.CANCELLED and merged is None) if ended else None,
                      area_id=device.area_id, community_id=device.community_id, grid_id=device.grid_id)
        alarms.append(alarm)
        planned.append(count)
    Alarm.objects.bulk_create(alarms, batch_size=BATCH)
    events, commands = [], []
    for alarm, count in zip(alarms, planned, strict=True):
        for i in range(count):
            events.append(Event(subdistrict=sub, device=alarm.device, event_id=f"A{alarm.pk}-{i + 1}",
                                type=alarm.type, at=alarm.opened_at + dt.timedelta(minutes=2 * i),
                                received_at=alarm.opened_at + dt.timedelta(minutes=2 * i, seconds=1),
                                value=alarm.value, evidence={"snapshot": "demo"} if i == 0 else {},
                                source=Source.MQTT, alarm=alarm))
        if alarm.type.code == "ebike_in_elevator":
            ok = rng.random() < 0.97
            commands.append(Command(subdistrict=sub, device=alarm.device, alarm=alarm,
                                    command_id=f"{rng.getrandbits(64):016x}", code="hold_and_warn",
                                    params={"hold_door": True, "voice": "电动自行车禁止进入电梯，请推出轿厢"},
                                    status=CommandStatus.ACKED if ok else CommandStatus.FAILED,
                                    created_at=alarm.opened_at, sent_at=alarm.opened_at + dt.timedelta(seconds=1),
                                    acked_at=alarm.opened_at + dt.timedelta(seconds=3), attempts=1,
                                    result="已执行" if ok else "设备忙，未执行"))
    Event.objects.bulk_create(events, batch_size=BATCH)
    Command.objects.bulk_create(commands, batch_size=BATCH)
    return len(alarms), len(events)


def _routine(rng, sub, devices: list[Device], now) -> int:
    """The last days' ordinary traffic kept as events: residents through the gates, gauges' readings."""
    events = []
    start = now - dt.timedelta(days=ROUTINE_DAYS)
    for d in devices:
        if d.online is not True:
            continue
        if "pass_granted" in d.type_codes:
            per_day = rng.randint(150, 400)
            kinds = ("pass_granted",) * 30 + ("pass_refused",)
        elif "water_level" in d.type_codes:
            per_day, kinds = 96, ("water_level",)  # a reading every 15 minutes
        else:
            continue
        for i in range(per_day * ROUTINE_DAYS):
            at = start + dt.timedelta(seconds=rng.randrange(0, ROUTINE_DAYS * 86400))
            kind = rng.choice(kinds)
            evidence = ({"pass": f"{rng.getrandbits(64):016x}", "direction": rng.choice(("in", "out"))}
                        if kind == "pass_granted" else
                        {"reason": rng.choice(("expired", "revoked", "other_estate"))} if kind == "pass_refused"
                        else {})
            events.append(Event(subdistrict=sub, device=d, event_id=f"R{d.pk}-{i}", type_id=_type_id(kind), at=at,
                                received_at=at + dt.timedelta(milliseconds=rng.randrange(20, 900)),
                                value=round(rng.uniform(0, 8), 1) if kind == "water_level" else None,
                                evidence=evidence, source=Source.MQTT))
    Event.objects.bulk_create(events, batch_size=BATCH)
    return len(events)


def _type_id(code: str) -> int:
    return directory.types()[code].pk


def _dead_letters(rng, sub, now) -> int:
    """What a real week leaves: a vendor's device not registered yet, a malformed payload, a wrong key."""
    letters = [
        ("NEW-00017", DeadReason.UNKNOWN_DEVICE, "设备 NEW-00017 未在街道 310107005 登记", "event",
         '{"id": "9001", "type": "smoke", "at": "%s"}'),
        ("SM-00003", DeadReason.MALFORMED, "消息不是有效的 UTF-8 JSON", "event", '{"id": 12, "type": "smoke", at: }'),
        ("CY-00002", DeadReason.WRONG_TYPE, "设备 CY-00002 没有“消防通道占用”类型", "event",
         '{"id": "cy2-77", "type": "fire_lane_blocked", "at": "%s"}'),
        ("GB-00005", DeadReason.BAD_SIGNATURE, "签名无效（应为设备密钥对“时间戳.请求体”的 HMAC-SHA256）", "event",
         '{"device": "GB-00005", "id": "gb5-1", "type": "garbage_overflow", "at": "%s"}'),
    ]
    rows = []
    for i, (code, reason, detail, kind, payload) in enumerate(letters):
        at = now - dt.timedelta(hours=6 * (i + 1) + rng.randrange(0, 5))
        text = payload % timezone.localtime(at).isoformat(timespec="seconds") if "%s" in payload else payload
        http = reason == DeadReason.BAD_SIGNATURE
        rows.append(DeadLetter(subdistrict=sub, received_at=at, source=Source.HTTP if http else Source.MQTT,
                               topic="" if http else f"jiedao/{sub.code}/{code}/{kind}", device_code=code, kind=kind,
                               reason=reason, detail=detail, payload=text,
                               headers={"X-Jiedao-Timestamp": str(int(at.timestamp())),
                                        "X-Jiedao-Signature": "sha256=" + "0" * 64} if http else {}))
    DeadLetter.objects.bulk_create(rows)
    return len(rows)


def _passes(rng, sub, now) -> int:
    """电子出入证 for the current residents of a few dozen households of the first 居委 (the demo social
    worker's), one lost and revoked, and a visitor's day pass."""
    households = list(Household.objects.filter(subdistrict=sub).select_related("building__estate")
                      .order_by("building__community__code", "code")[:40])
    residents = defaultdict(list)
    for r in Resident.objects.filter(household__in=households, moved_out_on=None).order_by("pk"):
        if r.lives_here:
            residents[r.household_id].append(r)
    rows = []
    for h in households:
        for r in residents.get(h.pk, [])[:2]:
            issued = now - dt.timedelta(days=rng.randrange(1, 200))
            rows.append(AccessPass(subdistrict=sub, household=h, resident=r, kind=AccessPass.Kind.RESIDENT,
                                   pass_id=secrets.token_hex(8), estate_code=h.building.estate.code,
                                   valid_from=issued, valid_until=issued + dt.timedelta(days=365), issued_at=issued,
                                   last_used_at=now - dt.timedelta(hours=rng.uniform(1, 48))))
    if rows:
        rows[0].revoked_at, rows[0].revoke_reason = now - dt.timedelta(days=3), "手机丢失"
    AccessPass.objects.bulk_create(rows)
    if len(rows) > 1:
        holder = rows[1]
        day = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
        AccessPass.objects.create(subdistrict=sub, household=holder.household, parent=holder,
                                  kind=AccessPass.Kind.VISITOR, label="亲友来访", pass_id=secrets.token_hex(8),
                                  estate_code=holder.estate_code, valid_from=day,
                                  valid_until=day + dt.timedelta(days=1), issued_at=now - dt.timedelta(hours=2))
        return len(rows) + 1
    return len(rows)


@transaction.atomic
def delete_for_reset(*, subdistricts) -> None:
    """Delete the demo subdistricts' sensing rows (``jiedao demo --reset``), before their cases, households
    and buildings, which these rows point to."""
    for image in EventImage.objects.filter(subdistrict__in=subdistricts).iterator():
        image.file.delete(save=False)
    EventImage.objects.filter(subdistrict__in=subdistricts).delete()
    Command.objects.filter(subdistrict__in=subdistricts).delete()
    Event.objects.filter(subdistrict__in=subdistricts)._raw_delete(Event.objects.db)
    Exceedance.objects.filter(device__subdistrict__in=subdistricts).delete()
    Alarm.objects.filter(subdistrict__in=subdistricts).delete()
    AccessPass.objects.filter(subdistrict__in=subdistricts, parent__isnull=False).delete()
    AccessPass.objects.filter(subdistrict__in=subdistricts).delete()
    for model in (HealthChange, MaintenanceTask, DeadLetter, AlarmRule):
        model.objects.filter(subdistrict__in=subdistricts).delete()
    Device.types.through.objects.filter(device__subdistrict__in=subdistricts).delete()
    Device.objects.filter(subdistrict__in=subdistricts).delete()
