"""What ingest looks up for every message, kept in process memory (core.cache.ProcessCache): the devices of
a subdistrict by code, the sensor types by code, a subdistrict's alarm rules by type.

A subdistrict's 20,000 devices load in one query (about 0.1 s), not one query per message. A save of a
device, type or rule in this process clears the copy at once; another process's edit is seen within the
TTL (a minute). A device registered a moment ago in another process is looked up directly before its
message is called unknown.
"""

from dataclasses import dataclass

from jiedao.core.cache import ProcessCache
from jiedao.core.models import Subdistrict
from jiedao.sensing.models import AlarmRule, Device, SensorType

TTL = 60


@dataclass(frozen=True)
class DeviceInfo:
    pk: int
    code: str
    subdistrict_id: int
    subdistrict_code: str
    status: str
    type_ids: frozenset[int]
    area_id: int | None
    community_id: int | None
    grid_id: int | None
    building_id: int | None
    lat: float | None
    lon: float | None
    place: str


_devices: ProcessCache[dict[str, DeviceInfo]] = ProcessCache(ttl=TTL, cleared_by=[Device, Subdistrict])
_types: ProcessCache[dict[str, SensorType]] = ProcessCache(ttl=TTL, cleared_by=[SensorType])
_rules: ProcessCache[dict[int, AlarmRule]] = ProcessCache(ttl=TTL, cleared_by=[AlarmRule, SensorType])
_subdistricts: ProcessCache[dict[str, int]] = ProcessCache(ttl=TTL, cleared_by=[Subdistrict])


def subdistrict_ids() -> dict[str, int]:
    """Subdistrict code → id."""
    return _subdistricts.get("all", lambda: dict(Subdistrict.objects.values_list("code", "pk")))


def _load_devices(subdistrict_code: str) -> dict[str, DeviceInfo]:
    sub_id = subdistrict_ids().get(subdistrict_code)
    if sub_id is None:
        return {}
    types: dict[int, set[int]] = {}
    through = Device.types.through.objects.filter(device__subdistrict_id=sub_id)
    for device_id, type_id in through.values_list("device_id", "sensortype_id"):
        types.setdefault(device_id, set()).add(type_id)
    rows = Device.objects.filter(subdistrict_id=sub_id).values_list(
        "pk", "code", "status", "area_id", "community_id", "grid_id", "building_id", "lat", "lon", "place")
    return {
        code: DeviceInfo(pk, code, sub_id, subdistrict_code, status, frozenset(types.get(pk, ())), area, community,
                         grid, building, lat, lon, place)
        for pk, code, status, area, community, grid, building, lat, lon, place in rows
    }


def device(subdistrict_code: str, code: str) -> DeviceInfo | None:
    """The device ``code`` of the subdistrict ``subdistrict_code``, or None."""
    found = _devices.get(subdistrict_code, lambda: _load_devices(subdistrict_code)).get(code)
    if found is None and Device.objects.filter(subdistrict__code=subdistrict_code, code=code).exists():
        _devices.clear(subdistrict_code)  # registered since this process loaded the subdistrict's devices
        found = _devices.get(subdistrict_code, lambda: _load_devices(subdistrict_code)).get(code)
    return found


def devices_by_code(code: str) -> list[tuple[str, str]]:
    """(subdistrict code, device code) of every device with this code, in any subdistrict (a webhook that
    names only its device)."""
    return list(Device.objects.filter(code=code).values_list("subdistrict__code", "code")[:2])


def types() -> dict[str, SensorType]:
    """Sensor type code → type."""
    return _types.get("all", lambda: {t.code: t for t in SensorType.objects.all()})


def type_by_id(pk: int) -> SensorType | None:
    return next((t for t in types().values() if t.pk == pk), None)


def rules(subdistrict_id: int) -> dict[int, AlarmRule]:
    """Sensor type id → the subdistrict's rule (written from the defaults on first read)."""

    def load():
        from jiedao.sensing.services.rules import rules_for

        return {r.type_id: r for r in rules_for(subdistrict_id=subdistrict_id)}

    return _rules.get(subdistrict_id, load)


def clear() -> None:
    """Forget every cached value (tests, and a command that changed devices with bulk writes)."""
    for cache in (_devices, _types, _rules, _subdistricts):
        cache.clear()
