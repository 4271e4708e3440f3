"""Small factories for tests: places, people and tokens, built with the project's own services."""

import datetime as dt
import itertools

from jiedao.core.models import Department, Subdistrict, User
from jiedao.core.roles import Role, ScopeLevel
from jiedao.core.validators import id_check_digit
from jiedao.geo import codes
from jiedao.geo.models import Area, Building, Community, Estate, Grid, Road

_seq = itertools.count(1)


def square(lon: float, lat: float, size: float) -> dict:
    """A GeoJSON polygon: the square with its south-west corner at (lon, lat)."""
    return {
        "type": "Polygon",
        "coordinates": [[[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]],
    }


def make_subdistrict(*, code: str = "310107005", name: str = "曹杨新村街道", lon: float = 121.40, lat: float = 31.23,
                     size: float = 0.02) -> Subdistrict:
    return Subdistrict.objects.create(
        code=code, name=name, district="普陀区", center_lat=lat + size / 2, center_lon=lon + size / 2,
        boundary=square(lon, lat, size), approximate_geometry=True,
    )


def make_area(sub: Subdistrict, *, seq: int = 1, name: str = "武宁片区", geometry=None) -> Area:
    return Area.objects.create(subdistrict=sub, code=codes.area_code(sub.code, seq), name=name, geometry=geometry)


def make_community(area: Area, *, seq: int, name: str, geometry=None) -> Community:
    sub = area.subdistrict
    return Community.objects.create(
        subdistrict=sub, area=area, code=codes.community_code(sub.code, seq), name=name, geometry=geometry
    )


def make_grid(community: Community, *, seq: int, geometry: dict) -> Grid:
    return Grid.objects.create(
        subdistrict=community.subdistrict, community=community, code=codes.grid_code(community.code, seq),
        name=f"{community.name}第{seq}网格", geometry=geometry,
    )


def make_building(grid: Grid, *, road: Road, number: str, lane: str = "", estate: Estate | None = None,
                  lon: float | None = None, lat: float | None = None) -> Building:
    community = grid.community
    if estate is None:
        estate, _ = Estate.objects.get_or_create(
            subdistrict=grid.subdistrict, community=community, name=f"{community.name}小区",
            defaults={"code": codes.estate_code(grid.subdistrict.code, next(_seq))},
        )
    ring = grid.geometry["coordinates"][0]
    return Building.objects.create(
        subdistrict=grid.subdistrict, estate=estate, community=community, grid=grid,
        code=codes.building_code(estate.code, next(_seq)), road=road, lane=lane, number=number,
        lon=lon if lon is not None else (ring[0][0] + ring[2][0]) / 2,
        lat=lat if lat is not None else (ring[0][1] + ring[2][1]) / 2,
    )


def make_id_number(born: dt.date, *, region: str = "310107", sex: str = "F") -> str:
    """A valid 18-digit resident ID number (check digit and all), different on every call."""
    serial = next(_seq) % 500 * 2 + (1 if sex == "M" else 0)  # the 17th digit is odd for men, even for women
    first17 = f"{region}{born:%Y%m%d}{serial:03d}"
    return first17 + id_check_digit(first17)


def make_user(username: str, *, role: str, subdistrict: Subdistrict | None = None, level: str = ScopeLevel.NONE,
              area=None, community=None, grid=None, department=None, password: str = "pw-for-tests-1") -> User:
    user = User.objects.create_user(
        username=username, password=password, role=role, subdistrict=subdistrict, scope_level=level,
        area=area, community=community, grid=grid, department=department,
    )
    return user


class World:
    """Two subdistricts; the first has two 片区, each with one 居委 of two grids and a building per grid."""

    def __init__(self):
        self.sub = make_subdistrict()
        self.other_sub = make_subdistrict(code="310112009", name="古美路街道", lon=121.38, lat=31.14, size=0.01)
        self.area1 = make_area(self.sub, seq=1, name="武宁片区", geometry=square(121.40, 31.23, 0.01))
        self.area2 = make_area(self.sub, seq=2, name="梅岭北片区", geometry=square(121.41, 31.23, 0.01))
        self.c1 = make_community(self.area1, seq=1, name="曹杨一村", geometry=square(121.40, 31.23, 0.01))
        self.c2 = make_community(self.area2, seq=2, name="兰溪园", geometry=square(121.41, 31.23, 0.01))
        self.g11 = make_grid(self.c1, seq=1, geometry=square(121.400, 31.23, 0.005))
        self.g12 = make_grid(self.c1, seq=2, geometry=square(121.405, 31.23, 0.005))
        self.g21 = make_grid(self.c2, seq=1, geometry=square(121.410, 31.23, 0.005))
        self.g22 = make_grid(self.c2, seq=2, geometry=square(121.415, 31.23, 0.005))
        self.road = Road.objects.create(subdistrict=self.sub, name="兰溪路", aliases=["兰溪支路"])
        self.road2 = Road.objects.create(subdistrict=self.sub, name="梅岭北路")
        self.b11 = make_building(self.g11, road=self.road, lane="200", number="5")
        self.b12 = make_building(self.g12, road=self.road, lane="200", number="6")
        self.b21 = make_building(self.g21, road=self.road2, number="41")
        self.b22 = make_building(self.g22, road=self.road2, number="43")
        self.department = Department.objects.create(subdistrict=self.sub, code="CG", name="城管中队")
        self.operator = make_user("operator", role=Role.OPERATOR, subdistrict=self.sub, level=ScopeLevel.SUBDISTRICT)
        self.leader = make_user("leader", role=Role.LEADER, subdistrict=self.sub, level=ScopeLevel.SUBDISTRICT)
        self.area_leader = make_user("area_leader", role=Role.LEADER, subdistrict=self.sub, level=ScopeLevel.AREA,
                                     area=self.area2)
        self.grid_worker = make_user("grid_worker", role=Role.GRID_WORKER, subdistrict=self.sub,
                                     level=ScopeLevel.GRID, grid=self.g11)
        self.social_worker = make_user("social_worker", role=Role.SOCIAL_WORKER, subdistrict=self.sub,
                                       level=ScopeLevel.COMMUNITY, community=self.c2)
        self.handler = make_user("handler", role=Role.HANDLER, subdistrict=self.sub, level=ScopeLevel.DEPARTMENT,
                                 department=self.department)
        self.auditor = make_user("auditor", role=Role.AUDITOR, subdistrict=self.sub, level=ScopeLevel.SUBDISTRICT)
        self.resident = make_user("resident", role=Role.RESIDENT, subdistrict=self.sub)
        self.other_operator = make_user("other_operator", role=Role.OPERATOR, subdistrict=self.other_sub,
                                        level=ScopeLevel.SUBDISTRICT)


def browser_sign_in(page, url: str, username: str, then: str, *, password: str = "pw-for-tests-1") -> None:
    """Sign ``username`` in through the login page of the live server at ``url`` and wait for ``then``."""
    page.context.clear_cookies()
    page.goto(f"{url}/login/?next={then}")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{url}{then}")


def find_chromium() -> str | None:
    """Debian's Chromium (or JIEDAO_CHROMIUM); page tests skip with a clear message without one."""
    import os
    import shutil

    return os.environ.get("JIEDAO_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


# Flags for a headless Chromium on a machine with no network: no background fetches, no sandbox as root.
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def in_thread(fn):
    """Run ``fn`` (ORM work of a browser test) in a worker thread and return what it returns: the ORM refuses to
    run inside Playwright's event loop, and a worker thread has none. Its connection is closed afterwards so
    that PostgreSQL can drop the test database."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connections

    def run():
        try:
            return fn()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(run).result()
