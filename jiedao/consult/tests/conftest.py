"""The consult tests' world: the shared test World with a 居委 head (``cw.head``) and two social workers of
兰溪园 (c2), a social worker of 曹杨一村 (c1), and a six-storey building (b21) of 12 households in two units."""

import datetime as dt

import pytest
from django.utils import timezone

from jiedao.consult import services
from jiedao.core.roles import Role, ScopeLevel
from jiedao.geo.models import Unit
from jiedao.registry.models import Household
from jiedao.testing import World, make_user

TZ = dt.timezone(dt.timedelta(hours=8))


class Clock:
    """A settable ``timezone.now``."""

    def __init__(self, start: dt.datetime):
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **kwargs) -> dt.datetime:
        self.now += dt.timedelta(**kwargs)
        return self.now


@pytest.fixture
def clock(monkeypatch):
    c = Clock(dt.datetime(2026, 5, 11, 9, 0, tzinfo=TZ))
    monkeypatch.setattr(timezone, "now", c)
    return c


def make_households(building, *, units: int = 2, floors: int = 6) -> list[Household]:
    rows = []
    for u in range(1, units + 1):
        unit = Unit.objects.create(building=building, number=u)
        for floor in range(1, floors + 1):
            rows.append(Household.objects.create(
                subdistrict_id=building.subdistrict_id, building=building, unit=unit, room=f"{floor}0{u}",
                code=f"{building.code}U{u}R{floor}"))
    return rows


@pytest.fixture
def cw(db, clock):
    w = World()
    w.head = make_user("head", role=Role.COMMUNITY_HEAD, subdistrict=w.sub, level=ScopeLevel.COMMUNITY,
                       community=w.c2)
    w.worker2 = make_user("worker2", role=Role.SOCIAL_WORKER, subdistrict=w.sub, level=ScopeLevel.COMMUNITY,
                          community=w.c2)
    w.head_c1 = make_user("head_c1", role=Role.COMMUNITY_HEAD, subdistrict=w.sub, level=ScopeLevel.COMMUNITY,
                          community=w.c1)
    w.worker_c1 = make_user("worker_c1", role=Role.SOCIAL_WORKER, subdistrict=w.sub, level=ScopeLevel.COMMUNITY,
                            community=w.c1)
    w.homes = make_households(w.b21)
    w.clock = clock
    return w


def new_vote(cw, *, rule: str = "278-special", kind: str = "elevator", days: int = 14, **kwargs):
    now = timezone.now()
    return services.create_consultation(
        subdistrict=cw.sub, kind=kind, title="41号加装电梯", rule=rule, building=kwargs.pop("building", cw.b21),
        opens_at=now, closes_at=now + dt.timedelta(days=days), created_by=cw.head, **kwargs)


def fill(cw, c, *, area: str = "50.00", owners: dict | None = None):
    """Owners p<i> (one per dwelling unless ``owners`` maps a label to another document) and areas."""
    entries = []
    for i, d in enumerate(c.dwellings.order_by("label")):
        document = (owners or {}).get(d.label, f"310107195001010{i:03d}")
        entries.append({"label": d.label, "owner_name": f"业主{i}", "owner_document": document, "area": area}
                       if document != "developer" else {"label": d.label, "unsold": True, "area": area})
    services.fill_electorate(consultation=c, by=cw.head, entries=entries, reason="产证清册核对")
    return c


@pytest.fixture
def open_vote(cw):
    """An open 278-special vote over b21's 12 dwellings (50 m² each), its letters' tokens by label."""
    c = fill(cw, new_vote(cw))
    services.open_consultation(c, by=cw.head)
    from jiedao.consult.selectors import letters

    c.tokens = {row["label"]: row["token"] for row in letters(consultation=c, user=cw.head)}
    return c
