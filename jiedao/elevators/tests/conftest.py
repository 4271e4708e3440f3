"""Buildings with dwellings and residents for the elevators tests, on the shared test world (jiedao.testing.World).

``Estate.building(floors, per_floor, ages_by_floor)`` makes a building of ``floors`` with one 单元 and
``per_floor`` households a floor (rooms 101, 102, … 601, 602), each with one resident per age listed for its
floor (default 45).
"""

import datetime as dt

import pytest

from jiedao.core.roles import Role, ScopeLevel
from jiedao.geo.models import Unit
from jiedao.registry.models import Household, Resident, ResidentTag, Tag
from jiedao.testing import make_building, make_id_number, make_user

TODAY = dt.date.today()


def born(age: int) -> dt.date:
    return dt.date(TODAY.year - age - 1, 6, 1)


class Estate:
    def __init__(self, world):
        self.world, self.sub = world, world.sub
        self.n = 0

    def building(self, floors: int = 6, per_floor: int = 2, ages=(45,), *, grid=None, aged_floors=()):
        self.n += 1
        grid = grid or self.world.g21
        b = make_building(grid, road=self.world.road2, number=f"E{self.n}")
        b.floors = floors
        b.save(update_fields=["floors"])
        unit = Unit.objects.create(building=b, number=1)
        for floor in range(1, floors + 1):
            for room in range(1, per_floor + 1):
                h = Household.objects.create(subdistrict=self.sub, building=b, unit=unit, room=f"{floor}{room:02d}",
                                             code=f"{b.code}R{floor}{room:02d}")
                floor_ages = (75,) if floor in aged_floors else ages
                Resident.objects.bulk_create([
                    Resident(subdistrict=self.sub, household=h, name="居民", sex="F", birth_date=born(a),
                             id_number=make_id_number(born(a))) for a in floor_ages])
        return b

    def tag(self, building, code: str, n: int = 1, skip: int = 0):
        residents = Resident.objects.filter(household__building=building).order_by("pk")[skip:skip + n]
        tag = Tag.objects.get(code=code)
        for r in residents:
            ResidentTag.objects.create(resident=r, tag=tag)


@pytest.fixture
def estate(world):
    return Estate(world)


@pytest.fixture
def head(world):
    """居委负责人 of 兰溪园 (c2), who runs its elevator projects."""
    return make_user("community_head", role=Role.COMMUNITY_HEAD, subdistrict=world.sub, level=ScopeLevel.COMMUNITY,
                     community=world.c2)


@pytest.fixture
def other_head(world):
    """居委负责人 of 曹杨一村 (c1): outside 兰溪园."""
    return make_user("other_head", role=Role.COMMUNITY_HEAD, subdistrict=world.sub, level=ScopeLevel.COMMUNITY,
                     community=world.c1)


@pytest.fixture
def admin(world):
    return make_user("elevators_admin", role=Role.ADMIN, subdistrict=world.sub, level=ScopeLevel.SUBDISTRICT)


# ------------------------------------------------------------------------------------------ the vote
# Through consult's own services: the owners and areas from a 产证 list, online ballots by the letter's
# code, booth ballots entered twice by two staff members.

def register_owners(consultation, *, by, area: str = "60.00"):
    from jiedao.consult import services as consult_services

    entries = [{"household": d.household_id, "owner_name": f"业主{d.pk}",
                "owner_document": make_id_number(dt.date(1960, 1, 1) + dt.timedelta(days=d.pk)), "area": area}
               for d in consultation.dwellings.all()]
    consult_services.fill_electorate(consultation=consultation, by=by, entries=entries, reason="产证清单核对")


def vote_online(dwelling, choice: str):
    from jiedao.consult import services as consult_services
    from jiedao.consult.models import VotingCode

    code = VotingCode.objects.get(dwelling=dwelling)
    return consult_services.cast_online(token=consult_services.token_for(code), choice=choice)


def vote_at_booth(dwelling, choice: str, *, by, checker):
    from jiedao.consult import services as consult_services

    ballot = consult_services.enter_ballot(dwelling=dwelling, choice=choice, channel="booth", by=by)
    return consult_services.confirm_ballot(ballot=ballot, choice=choice, by=checker)


@pytest.fixture
def project_at_design(estate, head):
    """A surveyed 6-storey building (12 dwellings), its project quoted and in 方案设计."""
    from jiedao.elevators import services

    b = estate.building(floors=6, per_floor=2, ages=(70,))
    services.save_survey(building=b, by=head, entry="level", pipes="clear", front_clearance_m=3, fire_lane_clear=True,
                         sunlight="none")
    p = services.create_project(building=b, unit=b.units.get(), by=head, on=TODAY - dt.timedelta(days=30))
    services.advance_project(project=p, to="design", by=head, on=TODAY - dt.timedelta(days=20))
    services.make_quote(project=p, by=head)
    return p


def start_open_vote(project, *, by):
    """The vote started through the project and opened with every owner registered."""
    from django.utils import timezone

    from jiedao.elevators import services

    now = timezone.now()
    c = services.start_vote(project=project, opens_at=now - dt.timedelta(minutes=5),
                            closes_at=now + dt.timedelta(days=14), by=by)
    register_owners(c, by=by)
    services.open_vote(project=project, by=by)
    c.refresh_from_db()
    return c
