"""sensing.rows writes and reads what the ORM would (on SQLite and PostgreSQL alike)."""

import datetime as dt

from django.utils import timezone

from jiedao.sensing import rows
from jiedao.sensing.models import Event, SensorType
from jiedao.sensing.tests.conftest import make_device


def test_insert_events_stores_what_bulk_create_stores_and_existing_events_finds_them(sensing_world):
    device = make_device(sensing_world, "GATE-1", "pass_granted")
    other = make_device(sensing_world, "GATE-2", "pass_granted")
    kind = SensorType.objects.get(code="pass_granted")
    at = timezone.now().replace(microsecond=123456)

    def event(d, event_id, **kw):
        return Event(subdistrict=sensing_world.sub, device=d, event_id=event_id, type=kind, at=at,
                     received_at=at + dt.timedelta(seconds=1), **kw)

    Event.objects.bulk_create([event(device, "orm", value=1.5, evidence={"pass": "ab", "方向": "进"})])
    def values(e):
        return tuple(getattr(e, Event._meta.get_field(c.removesuffix("_id") if c != "event_id" else c).attname)
                     for c in rows.COLUMNS)

    rows.insert_events([values(event(device, "raw", value=1.5, evidence={"pass": "ab", "方向": "进"})),
                        values(event(other, "raw", evidence={}))])
    fields = ["subdistrict_id", "device_id", "type_id", "at", "received_at", "value", "evidence", "source", "alarm_id"]
    orm, raw = (Event.objects.filter(device=device, event_id=e).values(*fields).get() for e in ("orm", "raw"))
    assert orm == raw and raw["at"] == at and raw["evidence"] == {"pass": "ab", "方向": "进"}
    found = rows.existing_events({(device.pk, "raw"), (other.pk, "raw"), (other.pk, "orm"), (device.pk, "nope")})
    assert set(found) == {(device.pk, "raw"), (other.pk, "raw")}
    assert found[(other.pk, "raw")] == Event.objects.get(device=other).pk
