import datetime as dt
import io
import json

import pytest
from django.utils import timezone

from jiedao.cases import defaults as case_defaults
from jiedao.core.models import Department
from jiedao.core.roles import Role, ScopeLevel
from jiedao.sensing.models import Device, SensorType
from jiedao.sensing.services import Message, directory, health, passes
from jiedao.testing import make_user

TZ = dt.timezone(dt.timedelta(hours=8))


def jpeg(size=(64, 48), colour=(200, 30, 30)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="JPEG")
    return out.getvalue()


def make_device(world, code: str, *types: str, building=None, sub=None, **fields) -> Device:
    building = building if building is not None or sub is not None else world.b11
    device = Device.objects.create(
        subdistrict=sub or world.sub, code=code, building=building, place=fields.pop("place", "1号电梯"),
        grid=building.grid if building else None, community=building.community if building else None,
        area=building.community.area if building else None, lat=building.lat if building else None,
        lon=building.lon if building else None, **fields)
    device.types.set(SensorType.objects.filter(code__in=types))
    directory.clear()
    return device


def event(device: Device, event_id: str, type_code: str, *, at: dt.datetime | None = None, value=None,
          image: bytes | None = None, topic: str | None = None, **extra) -> Message:
    """An MQTT event message as a device publishes it."""
    import base64

    body = {"id": event_id, "type": type_code, "at": (at or timezone.now()).isoformat(), **extra}
    if value is not None:
        body["value"] = value
    if image is not None:
        body["evidence"] = {"image": base64.b64encode(image).decode(), "camera": "cam-1"}
    return Message(topic=topic or f"jiedao/{device.subdistrict.code}/{device.code}/event",
                   payload=json.dumps(body).encode())


def heartbeat(device: Device, **body) -> Message:
    return Message(topic=f"jiedao/{device.subdistrict.code}/{device.code}/heartbeat", payload=json.dumps(body).encode())


@pytest.fixture
def sensing_world(world, settings, tmp_path):
    """The test World with the departments the default scenarios name, the default case configuration,
    an admin, and media in a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SENSING_PASS_KEY = "rMV8WtsZ8xXDZp35fI1Z9F9u0U8S1mJgJmJ3rC4tEk0="  # a test's own Ed25519 key
    passes._private_key.cache_clear()
    sub = world.sub
    for code, name in [("CGZD", "城管执法中队"), ("PCS", "派出所"), ("LHSR", "绿化市容所"), ("FGB", "房管办"),
                       ("SWS", "水务所"), ("JSZX", "城建中心"), ("PAB", "平安办"), ("WYGS", "物业联勤"),
                       ("GLB", "管理办")]:
        Department.objects.get_or_create(subdistrict=sub, code=code, defaults={"name": name})
    case_defaults.install(subdistrict=sub)
    world.wygs = Department.objects.get(subdistrict=sub, code="WYGS")
    world.admin = make_user("admin", role=Role.ADMIN, subdistrict=sub, level=ScopeLevel.SUBDISTRICT)
    world.wygs_handler = make_user("wygs", role=Role.HANDLER, subdistrict=sub, level=ScopeLevel.DEPARTMENT,
                                   department=world.wygs)
    directory.clear()
    health._written.clear()
    yield world
    directory.clear()
    health._written.clear()
    passes._private_key.cache_clear()


@pytest.fixture
def clock(monkeypatch):
    """A settable ``timezone.now``."""

    class Clock:
        now = dt.datetime(2026, 11, 2, 9, 0, tzinfo=TZ)

        def __call__(self):
            return self.now

        def advance(self, **kw):
            self.now += dt.timedelta(**kw)
            return self.now

    c = Clock()
    monkeypatch.setattr(timezone, "now", c)
    return c
