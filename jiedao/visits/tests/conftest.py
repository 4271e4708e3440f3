"""The visits tests' world: the shared test World (jiedao.testing) with the cases configuration, a 居委 head
and a second social worker in 兰溪园 (c2, where the World's social worker works), a social worker of
曹杨一村 (c1), and occupied households in the buildings of both."""

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from jiedao.cases.tests.conftest import cases_world  # noqa: F401  (a fixture: the cases tests' world)
from jiedao.core.roles import Role, ScopeLevel
from jiedao.registry.models import CareColour, Household, HouseholdCode, Resident
from jiedao.registry.services import sign_token
from jiedao.testing import make_id_number, make_user
from jiedao.visits import services

TZ = dt.timezone(dt.timedelta(hours=8))


class Clock:
    """A settable ``timezone.now`` (and so ``timezone.localdate``) for histories at known times."""

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
    c = Clock(dt.datetime(2026, 3, 2, 9, 0, tzinfo=TZ))  # a Monday
    monkeypatch.setattr(timezone, "now", c)
    return c


def make_household(building, room: str, *, colour: str = "", residents: int = 1,
                   born: dt.date = dt.date(1940, 5, 1)) -> Household:
    household = Household.objects.create(subdistrict_id=building.subdistrict_id, building=building, room=room,
                                         code=f"{building.code}R{room}", care_colour=colour)
    for i in range(residents):
        Resident.objects.create(
            subdistrict_id=building.subdistrict_id, household=household, name=f"住户{room}{i}",
            id_number=make_id_number(born), sex="F", birth_date=born,
            relation=Resident.Relation.HEAD if i == 0 else Resident.Relation.SPOUSE, moved_in_on=dt.date(2015, 1, 1))
    return household


def issue_code(household: Household) -> str:
    """A current 户码 token for the household (as the registry issues it)."""
    token = sign_token(uuid.uuid4().hex[:12])
    HouseholdCode.objects.create(household=household, token=token)
    return token


@pytest.fixture
def vw(cases_world):  # noqa: F811  (the imported fixture)
    """The visits world: ``vw.head`` heads 兰溪园 (c2), where ``vw.social_worker`` and ``vw.worker2`` work;
    ``vw.worker_c1`` works in 曹杨一村 (c1). 兰溪园 has a red household (``vw.red``), a yellow one and two
    plain ones; 曹杨一村 one plain household (``vw.c1_home``)."""
    w = cases_world
    w.head = make_user("head", role=Role.COMMUNITY_HEAD, subdistrict=w.sub, level=ScopeLevel.COMMUNITY,
                       community=w.c2)
    w.head.first_name = "居委 林书记"
    w.head.save()
    w.worker2 = make_user("worker2", role=Role.SOCIAL_WORKER, subdistrict=w.sub, level=ScopeLevel.COMMUNITY,
                          community=w.c2)
    w.worker_c1 = make_user("worker_c1", role=Role.SOCIAL_WORKER, subdistrict=w.sub, level=ScopeLevel.COMMUNITY,
                            community=w.c1)
    w.red = make_household(w.b21, "101", colour=CareColour.RED)
    w.yellow = make_household(w.b21, "102", colour=CareColour.YELLOW, residents=2)
    w.plain = make_household(w.b22, "201")
    w.plain2 = make_household(w.b22, "202", colour=CareColour.GREEN)
    w.c1_home = make_household(w.b11, "301")
    return w


NOTE = "王阿姨在家，身体还好，燃气灶和烟感都正常，女儿每周来看她。"


def visit_form(check_in, *, note: str = NOTE, **kw) -> services.VisitForm:
    """A visit form as the page sends it, for the check-in ``check_in``."""
    return services.VisitForm(check_in=check_in.token, client_id=kw.pop("client_id", str(uuid.uuid4())), note=note,
                              **kw)
