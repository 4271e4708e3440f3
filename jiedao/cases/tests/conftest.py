import datetime as dt

import pytest
from django.utils import timezone

from jiedao.cases import defaults
from jiedao.core.models import Department
from jiedao.core.roles import Role, ScopeLevel
from jiedao.testing import make_user

TZ = dt.timezone(dt.timedelta(hours=8))


class Clock:
    """A settable ``timezone.now`` for building case histories at known times."""

    def __init__(self, start: dt.datetime):
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def set(self, *args) -> dt.datetime:
        self.now = dt.datetime(*args, tzinfo=TZ)
        return self.now

    def advance(self, **kwargs) -> dt.datetime:
        self.now += dt.timedelta(**kwargs)
        return self.now


@pytest.fixture
def clock(monkeypatch):
    c = Clock(dt.datetime(2026, 11, 2, 9, 0, tzinfo=TZ))  # a Monday
    monkeypatch.setattr(timezone, "now", c)
    return c


@pytest.fixture
def cases_world(world):
    """The test World with the departments the default scenarios name, the default configuration, and
    a handler in the 派出所 (police) and one in the 城管 squad."""
    sub = world.sub
    for code, name in [("CGZD", "城管执法中队"), ("PCS", "派出所"), ("LHSR", "绿化市容所"), ("FGB", "房管办"),
                       ("SWS", "水务所"), ("JSZX", "城建中心"), ("SCJG", "市场所"), ("PAB", "平安办"),
                       ("FWB", "服务办"), ("WYGS", "物业联勤"), ("GLB", "管理办")]:
        Department.objects.get_or_create(subdistrict=sub, code=code, defaults={"name": name})
    defaults.install(subdistrict=sub)
    world.pcs = Department.objects.get(subdistrict=sub, code="PCS")
    world.cgzd = Department.objects.get(subdistrict=sub, code="CGZD")
    world.police = make_user("police", role=Role.HANDLER, subdistrict=sub, level=ScopeLevel.DEPARTMENT,
                             department=world.pcs)
    world.chengguan = make_user("chengguan", role=Role.HANDLER, subdistrict=sub, level=ScopeLevel.DEPARTMENT,
                                department=world.cgzd)
    return world
