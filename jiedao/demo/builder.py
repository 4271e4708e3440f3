"""Builds the demo: Caoyang Xincun in full, 古美路 and 打浦桥 small, one demo user per role, then each
module's demo rows (a year of cases: ``demo.cases``; the plan and its execution: ``demo.planning``).

Deterministic: the same seed gives the same rows. Fast enough for the quick start (bench/demo_build.py):
rows are made in memory and written with bulk_create in large batches, inside one transaction.
"""

import datetime as dt
import random
from collections.abc import Callable

from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import Max
from django.utils import timezone
from shapely.geometry import LineString, Point, box, mapping

from jiedao.conf import local_setting, record_local_setting
from jiedao.core.models import Department, Subdistrict, User
from jiedao.core.roles import Role, ScopeLevel
from jiedao.demo import (
    caoyang,
    cases,
    consult,
    elevators,
    facilities,
    inspections,
    inspections_campaigns,
    people,
    planning,
    sensing,
    visits,
)
from jiedao.demo.people import DEMO_PASSWORD  # noqa: F401  (the demo command prints it)
from jiedao.geo import codes
from jiedao.geo.models import Area, Building, Community, Estate, Grid, Road, Unit
from jiedao.geo.placement import GridIndex
from jiedao.registry import colours
from jiedao.registry.models import Household, HouseholdCode, Residence, Resident, ResidentTag, Tag

TODAY = dt.date(2026, 1, 1)  # ages are computed against a fixed day so that the demo is reproducible
BATCH = 5000


def _next_id(model: type[models.Model]) -> int:
    return (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1


def _insert_rows(model: type[models.Model], names: tuple[str, ...], rows: list[tuple]) -> None:
    """``rows`` (values of the fields ``names``, in the database's form) written with visits' one prepared
    INSERT (demo.visits._insert): bulk_create's result without a model instance and compiled SQL per row (the
    households phase spent most of its time there). The model's other fields get what bulk_create would give
    them, worked out once: their default, and the time now for ``auto_now_add``."""
    now = timezone.now()
    rest = [f for f in model._meta.concrete_fields if f.name not in names and not f.primary_key]
    for f in rest:
        if f.has_default() and callable(f.default) and not isinstance(f, models.DateTimeField):
            raise ValueError(f"{model.__name__}.{f.name}: a default computed per row cannot be given once")
    tail = tuple(f.get_db_prep_save(now if getattr(f, "auto_now_add", False) or getattr(f, "auto_now", False)
                                    else f.get_default(), connection) for f in rest)
    visits._insert(model, (*names, *(f.name for f in rest)), [(*row, *tail) for row in rows])


def _cells(bbox, rows: int, cols: int):
    """Split a bbox into rows × cols boxes, row-major from the north-west."""
    x0, y0, x1, y1 = bbox
    w, h = (x1 - x0) / cols, (y1 - y0) / rows
    for r in range(rows):
        for c in range(cols):
            yield (x0 + c * w, y1 - (r + 1) * h, x0 + (c + 1) * w, y1 - r * h)


def _poly(bbox) -> dict:
    return mapping(box(*bbox))


def record_default_subdistrict(code: str = caoyang.SUBDISTRICT["code"]) -> bool:
    """Record Caoyang as the machine's default subdistrict (DATA_DIR/settings.json, read by settings as
    DEFAULT_SUBDISTRICT) unless a default is recorded already; True when it wrote. Open311 without
    jurisdiction_id and ``jiedao open311-key`` then serve the demo's subdistrict, not the first by code."""
    if local_setting("JIEDAO_DEFAULT_SUBDISTRICT", settings.DATA_DIR):
        return False
    record_local_setting("JIEDAO_DEFAULT_SUBDISTRICT", code, settings.DATA_DIR)
    return True


class DemoBuilder:
    def __init__(self, *, seed: int = 20210101, scale: float = 1.0, log: Callable[[str], None] = print):
        self.rng = random.Random(seed)
        self.scale = scale
        self.log = log
        self.ids = people.IdNumbers()
        self.counts: dict[str, int] = {}

    # ----------------------------------------------------------------- places
    def build_subdistrict(self, spec: dict, areas: list, grid_split=(2, 2), roads=None, aliases=None,
                          buildings_per_community: int = 20) -> Subdistrict:
        x0, y0, x1, y1 = spec["bbox"]
        # update_or_create: a reset keeps the subdistrict row, which the append-only audit log refers to.
        sub, _ = Subdistrict.objects.update_or_create(code=spec["code"], defaults={
            "name": spec["name"], "district": spec["district"], "center_lat": (y0 + y1) / 2,
            "center_lon": (x0 + x1) / 2, "boundary": _poly(spec["bbox"]), "approximate_geometry": True,
        })
        road_objs = Road.objects.bulk_create([
            Road(subdistrict=sub, name=n, aliases=(aliases or {}).get(n, []),
                 geometry=mapping(LineString(line)))
            for n, line in (roads or {}).items()
        ])
        road_lines = [(r, LineString(roads[r.name])) for r in road_objs]
        c_seq = 0
        grids: list[Grid] = []
        estates: list[tuple[Estate, tuple]] = []
        for a_seq, (area_name, a_bbox, (rows, cols), community_names) in enumerate(areas, start=1):
            area = Area.objects.create(
                subdistrict=sub, code=codes.area_code(sub.code, a_seq), name=area_name, geometry=_poly(a_bbox)
            )
            for c_bbox, c_name in zip(_cells(a_bbox, rows, cols), community_names, strict=False):
                c_seq += 1
                community = Community.objects.create(
                    subdistrict=sub, area=area, code=codes.community_code(sub.code, c_seq),
                    name=f"{c_name}居委会" if not c_name.endswith("居委") else c_name, geometry=_poly(c_bbox),
                )
                for g_seq, g_bbox in enumerate(_cells(c_bbox, *grid_split), start=1):
                    grids.append(Grid(
                        subdistrict=sub, community=community, code=codes.grid_code(community.code, g_seq),
                        name=f"{c_name}第{g_seq}网格", geometry=_poly(g_bbox),
                    ))
                estate_names = [c_name.removesuffix("居委"), *caoyang.EXTRA_ESTATES.get(c_name, [])]
                for name in estate_names:
                    estate = Estate.objects.create(
                        subdistrict=sub, community=community, name=name,
                        code=codes.estate_code(sub.code, len(estates) + 1), geometry=_poly(c_bbox),
                    )
                    estates.append((estate, c_bbox))
        Grid.objects.bulk_create(grids)
        grids = list(Grid.objects.filter(subdistrict=sub).order_by("code"))
        self._build_buildings(sub, estates, grids, road_lines, buildings_per_community)
        return sub

    def _build_buildings(self, sub, estates, grids, road_lines, per_community: int) -> None:
        rng = self.rng
        index = GridIndex.from_grids((g.pk, g.geometry) for g in grids)
        by_id = {g.pk: g for g in grids}
        buildings: list[Building] = []
        lanes_used: dict[str, set[str]] = {}
        for estate, (x0, y0, x1, y1) in estates:
            main = estate.name == estate.community.name.removesuffix("居委会").removesuffix("居委")
            n = max(1, round(per_community * self.scale)) if main else rng.randint(1, 3)
            centre = Point((x0 + x1) / 2, (y0 + y1) / 2)
            if estate.name in caoyang.FIXED_LANES:
                road_name, lane = caoyang.FIXED_LANES[estate.name]
                road = next(r for r, _ in road_lines if r.name == road_name)
            else:
                road = min(road_lines, key=lambda rl: rl[1].distance(centre))[0]
                lane = str(rng.randrange(10, 90) * 10 + 1)
                while lane in lanes_used.setdefault(road.name, set()):
                    lane = str(int(lane) + 2)
            lanes_used.setdefault(road.name, set()).add(lane)
            # A jittered lattice inside the estate, margin kept so that buildings fall inside their grid.
            # A degree of longitude is ~0.86 of a degree of latitude here; keep the lattice square on the ground.
            cols = max(1, round((n * (x1 - x0) * 0.86 / (y1 - y0)) ** 0.5))
            rows_ = -(-n // cols)
            mx, my = (x1 - x0) * 0.06, (y1 - y0) * 0.06
            for i in range(n):
                r, c = divmod(i, cols)
                lon = x0 + mx + (c + 0.5) * (x1 - x0 - 2 * mx) / cols + rng.uniform(-1, 1) * 1e-5
                lat = y1 - my - (r + 0.5) * (y1 - y0 - 2 * my) / rows_ + rng.uniform(-1, 1) * 1e-5
                grid = by_id[int(index.place([lon], [lat])[0])]
                number = str(i + 1)
                buildings.append(Building(
                    subdistrict=sub, estate=estate, community=estate.community, grid=grid,
                    code=codes.building_code(estate.code, i + 1), road=road, lane=lane, number=number,
                    floors=rng.choice((5, 6, 6, 6, 7)) if rng.random() > 0.05 else rng.choice((12, 18)),
                    built_year=rng.choice((1952, 1953, 1958, 1960, 1978, 1985, 1995, 2003)),
                    lat=round(lat, 7), lon=round(lon, 7),
                ))
        Building.objects.bulk_create(buildings, batch_size=BATCH)
        self.counts["buildings"] = self.counts.get("buildings", 0) + len(buildings)

    # -------------------------------------------------------------- households
    def build_households(self, sub: Subdistrict, *, rooms_per_floor: tuple[int, int] = (2, 4)) -> None:
        rng = self.rng
        buildings = list(Building.objects.filter(subdistrict=sub).order_by("code"))
        units = [Unit(building=b, number=1) for b in buildings]
        Unit.objects.bulk_create(units, batch_size=BATCH)
        unit_of = {u.building_id: u.pk for u in Unit.objects.filter(building__subdistrict=sub)}
        first = _next_id(Household)
        households = []
        for b in buildings:
            per_floor = rng.randint(*rooms_per_floor) if b.floors < 10 else 4
            for floor in range(1, b.floors + 1):
                for room in range(1, per_floor + 1):
                    households.append((first + len(households), sub.pk, b.pk, unit_of[b.pk], f"{floor}{room:02d}",
                                       f"{b.code}R{floor}{room:02d}", True))
        _insert_rows(Household, ("id", "subdistrict", "building", "unit", "room", "code", "synthetic"), households)
        self.counts["households"] = self.counts.get("households", 0) + len(households)
        self._build_residents(sub, [row[0] for row in households])

    def _build_residents(self, sub, household_ids: list[int]) -> None:
        """Residents as rows (id, household, name, id number, phone, sex, birth date, relation, status), drawn
        in the order bulk_create of Resident objects drew them; written with one prepared INSERT, the ID numbers
        and phones encrypted (with their blind indexes) in forked processes as for the visits' notes."""
        rng = self.rng
        local = ("310107", "310107", "310107", "310106", "310105", "310104", "310101")
        size_weights = ((1, 25), (2, 35), (3, 25), (4, 10), (5, 5))  # mean 2.35 persons
        sizes, weights = zip(*size_weights, strict=True)
        R = Resident
        first = _next_id(Resident)
        rows: list[tuple] = []
        for hh in household_ids:
            size = rng.choices(sizes, weights)[0]
            migrant = rng.random() < 0.12
            # Caoyang is an old neighbourhood: heads are older, single-person households mostly elderly.
            head_age = rng.randint(62, 95) if size == 1 and rng.random() < 0.7 else rng.randint(28, 88)
            members = [(R.Relation.HEAD, head_age)]
            if size >= 2:
                members.append((R.Relation.SPOUSE, max(20, head_age + rng.randint(-5, 5))))
            for _ in range(size - len(members)):
                if head_age > 55 and rng.random() < 0.5:
                    members.append((R.Relation.GRANDCHILD, rng.randint(0, 25)))
                elif head_age > 50 or rng.random() < 0.8:
                    members.append((R.Relation.CHILD, max(0, head_age - rng.randint(24, 36))))
                else:
                    members.append((R.Relation.PARENT, min(100, head_age + rng.randint(24, 32))))
            status = R.ResidenceStatus.MIGRANT if migrant else rng.choices(
                (R.ResidenceStatus.BOTH, R.ResidenceStatus.PERSON_ONLY, R.ResidenceStatus.HUKOU_ONLY), (80, 10, 10)
            )[0]
            for relation, age in members:
                sex = rng.choice("MF")
                born = people.birth_date(rng, age=age, today=TODAY)
                region = rng.choice(people.MIGRANT_REGIONS) if migrant else rng.choice(local)
                name = people.name(rng)
                id_number = self.ids.make(rng, region=region, born=born, sex=sex)
                phone = people.mobile(rng) if age >= 16 else ""
                rows.append((first + len(rows), hh, name, id_number, phone, sex, born, str(relation), str(status)))
        db = visits._db
        db.bind()
        fields = R._meta
        id_index, phone_index = fields.get_field("id_number_index"), fields.get_field("phone_index")
        seal = db.secret

        def secrets(start: int, stop: int) -> list[tuple[str, str, str, str]]:
            return [(seal(r[3]), id_index.derive(r[3]), seal(r[4]), phone_index.derive(r[4])) for r in rows[start:stop]]

        _insert_rows(R, ("id", "subdistrict", "household", "name", "id_number", "id_number_index", "phone",
                         "phone_index", "phone_last4", "sex", "birth_date", "relation", "residence_status",
                         "synthetic"), [
            (pk, sub.pk, hh, name, *sealed, phone[-4:], sex, db.day(born), relation, status, True)
            for (pk, hh, name, _id, phone, sex, born, relation, status), sealed
            in zip(rows, visits._in_parallel(secrets, len(rows)), strict=True)
        ])
        self.counts["residents"] = self.counts.get("residents", 0) + len(rows)
        moved_in = db.day(dt.date(2015, 1, 1))
        _insert_rows(Residence, ("resident", "household", "moved_in_on"), [(r[0], r[1], moved_in) for r in rows])
        self._tag_residents(rows)
        colours.recompute(subdistrict_id=sub.pk, today=TODAY)

    def _tag_residents(self, rows: list[tuple]) -> None:
        """Entered tags at plausible rates, so that care colours and counts have something to show."""
        rng = self.rng
        tags = {t.code: t.pk for t in Tag.objects.filter(kind=Tag.Kind.ENTERED)}
        sizes: dict[int, int] = {}
        for r in rows:
            sizes[r[1]] = sizes.get(r[1], 0) + 1
        ages: dict[dt.date, int] = {}
        links = []
        for pk, household, _name, _id, _phone, sex, born, *_rest in rows:
            age = ages.get(born)
            if age is None:
                age = ages[born] = colours.age_on(born, TODAY)
            chances = [
                ("disabled_care", 0.10 if age >= 75 else 0.004),
                ("disability", 0.03),
                ("low_income", 0.02),
                ("chronic", 0.25 if age >= 60 else 0.02),
                ("veteran", 0.04 if sex == "M" and age >= 45 else 0.0),
                ("lonely_elderly", 0.15 if age >= 65 and sizes[household] == 1 else 0.0),
                ("focus", 0.005),
            ]
            links += [(pk, tags[code]) for code, p in chances if rng.random() < p]
        _insert_rows(ResidentTag, ("resident", "tag"), links)

    # ------------------------------------------------------------------ people
    def build_departments(self, sub: Subdistrict) -> list[Department]:
        return Department.objects.bulk_create([
            Department(subdistrict=sub, code=code, name=name, kind=kind) for code, name, kind in caoyang.DEPARTMENTS
        ])

    def build_users(self, sub: Subdistrict, others: list[Subdistrict]) -> list[tuple[str, str, str]]:
        """One demo user per role; returns (username, role label, scope) for the login list."""
        area = Area.objects.filter(subdistrict=sub).order_by("code").first()
        community = Community.objects.filter(subdistrict=sub).order_by("code").first()
        grid = Grid.objects.filter(community=community).order_by("code").first()
        dept = Department.objects.get(subdistrict=sub, code="CGZD")
        specs = [
            ("operator", "城运中心 王调度", Role.OPERATOR, ScopeLevel.SUBDISTRICT, {}),
            ("handler", "城管中队 李处置", Role.HANDLER, ScopeLevel.DEPARTMENT, {"department": dept}),
            ("grid_worker", "网格员 张巡查", Role.GRID_WORKER, ScopeLevel.GRID, {"grid": grid}),
            ("social_worker", "社工 陈走访", Role.SOCIAL_WORKER, ScopeLevel.COMMUNITY, {"community": community}),
            ("leader", "街道 赵主任", Role.LEADER, ScopeLevel.SUBDISTRICT, {}),
            ("area_leader", "片区 孙书记", Role.LEADER, ScopeLevel.AREA, {"area": area}),
            ("auditor", "审计 周核查", Role.AUDITOR, ScopeLevel.SUBDISTRICT, {}),
            ("admin", "系统 吴管理", Role.ADMIN, ScopeLevel.SUBDISTRICT, {}),
            ("resident", "居民 郑阿姨", Role.RESIDENT, ScopeLevel.NONE, {}),
        ]
        out = []
        for username, full_name, role, level, places in specs:
            user = User(
                username=username, first_name=full_name, role=role, subdistrict=sub, scope_level=level,
                is_staff=role == Role.ADMIN, is_superuser=role == Role.ADMIN, **places,
            )
            user.password = people.demo_password_hash()
            user.save()
            scope = " · ".join(str(p) for p in places.values()) or user.get_scope_level_display()
            out.append((username, str(user.get_role_display()), str(scope)))
        for other, username in zip(others, ("gumei_operator", "dapuqiao_operator"), strict=True):
            user = User(username=username, first_name=f"{other.name} 操作员", role=Role.OPERATOR,
                        subdistrict=other, scope_level=ScopeLevel.SUBDISTRICT)
            user.password = people.demo_password_hash()
            user.save()
            out.append((username, str(user.get_role_display()), other.name))
        return out

    # -------------------------------------------------------------------- all
    @staticmethod
    def demo_codes() -> list[str]:
        return [caoyang.SUBDISTRICT["code"], *(s["code"] for s in caoyang.SMALL_SUBDISTRICTS)]

    @classmethod
    @transaction.atomic
    def reset(cls) -> None:
        """Delete the demo subdistricts' rows (not the subdistricts themselves, nor the audit log)."""
        subs = Subdistrict.objects.filter(code__in=cls.demo_codes())
        from jiedao.cases.purge import delete_all_for_demo_reset
        from jiedao.visits.purge import delete_all_for_demo_reset as delete_visits

        delete_visits(subdistricts=subs)  # before the cases its problems were filed as
        elevators.reset(subdistricts=subs)  # before the consultations its votes ran in
        consult.reset(subdistricts=subs)
        inspections_campaigns.reset(subdistricts=subs)  # before the residents its bookings name
        inspections.reset(subdistricts=subs)  # before the cases its failed items were filed as
        sensing.delete_for_reset(subdistricts=subs)
        facilities.reset(subdistricts=subs)
        delete_all_for_demo_reset(subdistricts=subs)
        ResidentTag.objects.filter(resident__subdistrict__in=subs).delete()
        Residence.objects.filter(resident__subdistrict__in=subs).delete()
        HouseholdCode.objects.filter(household__subdistrict__in=subs).delete()
        Resident.objects.filter(subdistrict__in=subs).delete()
        Household.objects.filter(subdistrict__in=subs).delete()
        Unit.objects.filter(building__subdistrict__in=subs).delete()
        User.objects.filter(subdistrict__in=subs).delete()
        for model in (Building, Estate, Grid, Road, Community, Area, Department):
            model.objects.filter(subdistrict__in=subs).delete()

    @transaction.atomic
    def build(self) -> list[tuple[str, str, str]]:
        with visits.sqlite_cache():  # the visits' 256 MB page cache, for every phase
            return self._build()

    def _build(self) -> list[tuple[str, str, str]]:
        visits.train_ahead()  # the visit assessment's model, trained meanwhile on another CPU if need be
        spec = caoyang.SUBDISTRICT
        self.log(f"建立 {spec['name']} 的地理层级 …")
        sub = self.build_subdistrict(
            spec, caoyang.AREAS, caoyang.GRID_SPLIT, caoyang.ROADS, caoyang.ROAD_ALIASES,
            caoyang.BUILDINGS_PER_COMMUNITY,
        )
        self.log("生成户与合成居民 …")
        self.build_households(sub)
        others = []
        for small in caoyang.SMALL_SUBDISTRICTS:
            other = self.build_subdistrict(
                small, [(small["area"], small["bbox"], (1, len(small["communities"])), small["communities"])],
                (1, 2), small["roads"], buildings_per_community=8,
            )
            self.build_households(other, rooms_per_floor=(2, 2))
            others.append(other)
        self.build_departments(sub)
        for other in others:
            Department.objects.create(subdistrict=other, code="CGZD", name="城管执法中队", kind="handler")
        self.log("创建演示账号 …")
        logins = self.build_users(sub, others)
        # Cases first: they draw their seed from the builder's random stream, the plan has its own.
        self.log("生成一年的案件 …")
        cases.build(builder=self, subdistrict=sub)
        self.log("生成一年的四百走访 …")
        logins += visits.build(builder=self, subdistrict=sub)
        self.log("生成征询与表决 …")
        logins += consult.build(builder=self, subdistrict=sub)
        self.log("生成加装电梯候选楼栋与项目 …")
        logins += elevators.build(builder=self, subdistrict=sub)
        self.log("登记物联感知设备与告警 …")
        sensing.build(builder=self, subdistrict=sub)
        self.log("生成巡检、门责任制与垃圾分类 …")
        logins += inspections.build(builder=self, subdistrict=sub)
        self.log("生成 21 天打卡与大件垃圾预约 …")
        logins += inspections_campaigns.build(builder=self, subdistrict=sub)
        # Before the plan: its 5 分钟基本公共服务圈 indicator is computed from the facilities.
        self.log("建立步行路网与服务设施 …")
        for place in (sub, *others):
            facilities.build(builder=self, subdistrict=place)
        self.log("载入规划并模拟五年的填报 …")
        planning.build(builder=self, subdistrict=sub)
        record_default_subdistrict(sub.code)
        return logins
