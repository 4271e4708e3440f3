"""A street town for the facilities tests, on the shared test world (jiedao.testing.World).

``兰溪路`` runs 1,200 m east from ORIGIN, inside the world's first subdistrict. ``Town.building(x, ages)`` puts a
building 10 m north of the street at ``x`` metres along it, with one resident of each age; its walk to a
facility on the street at ``x'`` is then 10 + |x − x'| metres (the facility's connector is 0).
"""

import datetime as dt
import itertools

import pytest

from jiedao.core.roles import Role, ScopeLevel
from jiedao.facilities import services
from jiedao.facilities.models import Facility, FacilityType
from jiedao.facilities.network.graph import Projection
from jiedao.facilities.network.lines import Line
from jiedao.geo.models import Building
from jiedao.registry.models import Household, Resident
from jiedao.testing import make_building, make_id_number, make_user

ORIGIN = (121.4010, 31.2330)
PLANE = Projection(*ORIGIN)
TODAY = dt.date.today()
_rooms = itertools.count(101)


def at(x: float, y: float = 0.0) -> tuple[float, float]:
    """(lon, lat) of the point ``x`` metres east and ``y`` north of ORIGIN."""
    lon, lat = PLANE.lonlat(x, y)
    return round(float(lon), 8), round(float(lat), 8)


def born(age: int) -> dt.date:
    return dt.date(TODAY.year - age - 1, 6, 1)


class Town:
    def __init__(self, world, admin):
        self.world, self.admin, self.sub = world, admin, world.sub

    def street(self, length: float = 1200.0, *extra: Line):
        return services.build_network_from_geo(
            subdistrict=self.sub, by=self.admin, estate_outlines=False,
            paths=[Line([at(0), at(length)], "road", "兰溪路"), *extra])

    def building(self, x: float, ages=(), *, grid=None, y: float = 10.0) -> Building:
        lon, lat = at(x, y)
        grid = grid or self.world.g11
        building = make_building(grid, road=self.world.road, number=f"{int(x)}-{int(y)}", lon=lon, lat=lat)
        if ages:
            household = Household.objects.create(subdistrict=self.sub, building=building, room=str(next(_rooms)),
                                                 code=f"{building.code}R{next(_rooms)}")
            Resident.objects.bulk_create([
                Resident(subdistrict=self.sub, household=household, name="居民", sex="F", birth_date=born(age),
                         id_number=make_id_number(born(age)))
                for age in ages
            ])
        return building

    def facility(self, type_code: str, x: float, y: float = 0.0, *, name: str = "",
                 status=Facility.Status.OPEN, **fields) -> Facility:
        lon, lat = at(x, y)
        facility_type = FacilityType.objects.get(code=type_code)
        return services.create_facility(subdistrict=self.sub, by=self.admin, type=facility_type,
                                        name=name or f"{facility_type.name}{int(x)}", lon=lon, lat=lat,
                                        status=status, **fields)


@pytest.fixture
def admin(world):
    return make_user("facilities_admin", role=Role.ADMIN, subdistrict=world.sub, level=ScopeLevel.SUBDISTRICT)


@pytest.fixture
def town(world, admin):
    return Town(world, admin)
