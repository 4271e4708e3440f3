"""Demo rows for 二维码巡检, 门责任制 and 垃圾分类: points with labels, rounds, shops, garbage rooms with their
rosters, and a year of checks.

Every point, shop, room and person here is invented. Per 居委: four 楼道 points, five street-front shops
(their door points), one 电梯 point at its tallest building; per 小区: a 垃圾厢房 (two in a 居委's main
小区) with 定时定点 hours and a roster of one 房长, two 桶长 and a 监督员, and a 消防设施 point; two 井盖 per
road. Rounds: 楼道 weekly and 门责 monthly by the 居委's social worker (or its volunteer where the visits demo
made no social workers), a weekly 网格巡查 of its grid's 楼道 and shop fronts by the demo grid worker,
垃圾分类 自查 weekly by the 居委's 房长 volunteer, 抽查 monthly by a 机关干部,
督察 monthly by the 第三方督察, 消防/电梯/井盖 monthly.

A year of history: most periods checked, some missed (more in the summer holidays and at Spring Festival).
The failed items are the year's grid-patrol cases (``demo.cases``) of the checklist items' categories: each
such case becomes a check at a point of its 居委 with that item failed and linked to the case, at the
case's time, so that each failed item is a real case of the queue. Written with bulk inserts; deterministic
for a given subdistrict and "now".
"""

import datetime as dt
import random
from collections import defaultdict

from django.db import connection, transaction
from django.utils import timezone

from jiedao.cases.models import Case, Category, Channel, Status
from jiedao.core.models import Subdistrict, User
from jiedao.core.roles import Role, ScopeLevel
from jiedao.demo import people
from jiedao.demo.people import demo_password_hash
from jiedao.demo.visits import _insert
from jiedao.geo.models import Building, Community, Estate, Road
from jiedao.inspections.models import (
    Check,
    DutyRole,
    Frequency,
    GarbageRoom,
    ItemResult,
    Point,
    PointKind,
    RoomDuty,
    Round,
    Shop,
    ShopKind,
    Tier,
)
from jiedao.inspections.selectors import periods_between
from jiedao.inspections.services import rules_for
from jiedao.inspections.services.shops import DEFAULT_DUTIES

BATCH = 5000
DAYS = 365
SHOP_NAMES = ["面馆", "便利店", "水果店", "理发店", "药房", "早餐店", "洗衣店", "五金店", "花店", "烟杂店", "包子铺",
              "眼镜店", "修鞋铺", "茶叶店", "生鲜店", "快递站", "干洗店", "小吃店"]
SHOP_KINDS = {"面馆": ShopKind.FOOD, "早餐店": ShopKind.FOOD, "包子铺": ShopKind.FOOD, "小吃店": ShopKind.FOOD,
              "理发店": ShopKind.SERVICE, "洗衣店": ShopKind.SERVICE, "修鞋铺": ShopKind.SERVICE,
              "干洗店": ShopKind.SERVICE, "快递站": ShopKind.SERVICE, "生鲜店": ShopKind.MARKET}
DONE_RATE = 0.88  # share of due periods checked


def build(*, builder, subdistrict: Subdistrict, now: dt.datetime | None = None) -> list[tuple[str, str, str]]:
    """Write the subdistrict's points, rounds, shops, rooms and a year of checks; returns the demo logins
    it adds (the first 居委's 房长 volunteer and the 第三方督察)."""
    now = now or timezone.now()
    rng = random.Random(f"inspections-{subdistrict.code}")
    rules_for(subdistrict_id=subdistrict.pk)
    with transaction.atomic():
        people_, logins = _people(rng, subdistrict)
        points, shops, rooms = _places(rng, subdistrict)
        rounds = _rounds(subdistrict, points, people_, now)
        counts = _history(rng, subdistrict, rounds, points, now)
    counts.update({"inspection_points": sum(len(v) for v in points.values()), "inspection_shops": shops,
                   "inspection_rooms": rooms, "inspection_rounds": len(rounds)})
    builder.counts.update(counts)
    return logins


def reset(*, subdistricts) -> None:
    """Delete this app's rows of the demo subdistricts (``jiedao demo --reset``), before the cases."""
    from jiedao.inspections.models import GarbageStarRule, ShopStarRule

    ItemResult.objects.filter(check_record__subdistrict__in=subdistricts).delete()
    Check.objects.filter(subdistrict__in=subdistricts).delete()
    Round.objects.filter(subdistrict__in=subdistricts).delete()
    RoomDuty.objects.filter(room__subdistrict__in=subdistricts).delete()
    GarbageRoom.objects.filter(subdistrict__in=subdistricts).delete()
    Shop.objects.filter(subdistrict__in=subdistricts).delete()
    Point.objects.filter(subdistrict__in=subdistricts).delete()
    ShopStarRule.objects.filter(subdistrict__in=subdistricts).delete()
    GarbageStarRule.objects.filter(subdistrict__in=subdistricts).delete()


# ------------------------------------------------------------------------------------------------ people

def _people(rng, sub) -> tuple[dict, list[tuple[str, str, str]]]:
    """Who checks: per 居委 a social worker (the visits demo's, when it ran) and a 房长 volunteer (made here);
    a 机关干部 for 抽查 and a 第三方督察 for the subdistrict. The volunteers share one password hash."""
    communities = list(Community.objects.filter(subdistrict=sub).order_by("code"))
    password = demo_password_hash()
    staff = {}
    for u in User.objects.filter(subdistrict=sub, role__in=[Role.SOCIAL_WORKER, Role.GRID_WORKER],
                                 is_active=True).order_by("username"):
        if u.community_id and u.role == Role.SOCIAL_WORKER:
            staff.setdefault(u.community_id, u)
    volunteers = [User(username="fangzhang" if n == 0 else f"fz_{c.code[-3:]}", password=password,
                       first_name=f"房长 {people.name(rng)}", role=Role.INSPECTOR, subdistrict=sub,
                       scope_level=ScopeLevel.COMMUNITY, community=c) for n, c in enumerate(communities)]
    User.objects.bulk_create(volunteers)
    by_name = {u.username: u for u in User.objects.filter(subdistrict=sub, role=Role.INSPECTOR)}
    volunteer = {c.pk: by_name["fangzhang" if n == 0 else f"fz_{c.code[-3:]}"] for n, c in enumerate(communities)}
    ducha = User(username="ducha", password=password, first_name="第三方督察 钱督导", role=Role.INSPECTOR,
                 subdistrict=sub, scope_level=ScopeLevel.SUBDISTRICT)
    jiguan = User(username="jiguan", password=password, first_name="机关干部 冯抽查", role=Role.INSPECTOR,
                  subdistrict=sub, scope_level=ScopeLevel.SUBDISTRICT)
    ducha.save()
    jiguan.save()
    grid_worker = User.objects.filter(username="grid_worker", subdistrict=sub).first()
    logins = [("fangzhang", str(Role.INSPECTOR.label), f"{communities[0].name} 房长（垃圾分类志愿者）"),
              ("ducha", str(Role.INSPECTOR.label), "第三方督察（全街道）")]
    return {"staff": {c.pk: staff.get(c.pk) or volunteer[c.pk] for c in communities}, "volunteer": volunteer,
            "ducha": ducha, "jiguan": jiguan, "grid_worker": grid_worker}, logins


# ------------------------------------------------------------------------------------------------ places

def _places(rng, sub) -> tuple[dict[str, list[Point]], int, int]:
    kinds = {k.code: k for k in PointKind.objects.all()}
    buildings = list(Building.objects.filter(subdistrict=sub).select_related("road").order_by("code"))
    by_community: dict[int, list[Building]] = defaultdict(list)
    by_estate: dict[int, list[Building]] = defaultdict(list)
    for b in buildings:
        by_community[b.community_id].append(b)
        by_estate[b.estate_id].append(b)
    points: list[Point] = []
    shops: list[tuple[Point, Building]] = []
    rooms: list[tuple[Point, Building, str]] = []
    seq: dict[str, int] = defaultdict(int)

    def point(kind: str, prefix: str, name: str, b: Building | None = None, *, lat=None, lon=None,
              community_id=None, grid_id=None) -> Point:
        seq[prefix] += 1
        p = Point(subdistrict=sub, kind=kinds[kind], code=f"{prefix}{seq[prefix]:05d}", name=name,
                  created_at=timezone.now() - dt.timedelta(days=400))
        if b is not None:
            p.building, p.estate_id, p.community_id, p.grid_id = b, b.estate_id, b.community_id, b.grid_id
            p.address, p.lat, p.lon = b.address, b.lat, b.lon
        else:
            p.community_id, p.grid_id, p.lat, p.lon = community_id, grid_id, lat, lon
        points.append(p)
        return p

    for _community_id, members in sorted(by_community.items()):
        for b in rng.sample(members, min(4, len(members))):
            point("stairwell", "LD", f"{b.address}楼道", b)
        for b in rng.sample(members, min(5, len(members))):
            kind = rng.choice(SHOP_NAMES)
            name = f"{b.road.name.removesuffix('路')}{kind}"
            shops.append((point("shopfront", "SP", name, b), b))
        tallest = max(members, key=lambda b: (b.floors, b.code))
        point("elevator", "DT", f"{tallest.address}电梯", tallest)
    estates = Estate.objects.filter(subdistrict=sub).select_related("community").order_by("code")
    for estate in estates:
        members = by_estate.get(estate.pk)
        if not members:
            continue
        main = estate.name == estate.community.name.removesuffix("居委会").removesuffix("居委")
        for n in range(2 if main and len(members) > 4 else 1):
            b = members[(n * 7) % len(members)]
            name = f"{estate.name}{n + 1}号垃圾厢房"
            rooms.append((point("garbage_room", "LJ", name, b), b, name))
        point("fire", "XF", f"{estate.name}消防设施", rng.choice(members))
    for road in Road.objects.filter(subdistrict=sub, buildings__isnull=False).distinct().order_by("name"):
        members = [b for b in buildings if b.road_id == road.pk]
        for n in range(2):
            b = members[(n * 5) % len(members)]
            point("manhole", "JG", f"{road.name}{b.number}号旁井盖", lat=b.lat + 0.00012, lon=b.lon + 0.00008,
                  community_id=b.community_id, grid_id=b.grid_id)
    Point.objects.bulk_create(points, batch_size=BATCH)
    Shop.objects.bulk_create([
        Shop(subdistrict=sub, point=p, community_id=b.community_id, grid_id=b.grid_id, road_id=b.road_id,
             name=p.name, licence_no=f"91310107MA1{n:07d}", address=b.address,
             kind=SHOP_KINDS.get(next((k for k in SHOP_NAMES if p.name.endswith(k)), ""), ShopKind.RETAIL),
             contact_name=people.name(rng), contact_phone=people.mobile(rng), duties=DEFAULT_DUTIES)
        for n, (p, b) in enumerate(shops, start=1)], batch_size=BATCH)
    made = GarbageRoom.objects.bulk_create([
        GarbageRoom(subdistrict=sub, point=p, estate_id=b.estate_id, community_id=b.community_id, grid_id=b.grid_id,
                    name=name, hours=["06:30-08:30", "18:00-20:00"] if rng.random() < 0.7 else ["07:00-09:00"],
                    bins={"wet": rng.randint(1, 3), "dry": rng.randint(1, 3), "recyclable": 1, "hazardous": 1})
        for p, b, name in rooms], batch_size=BATCH)
    duties = []
    for room in made:
        for role, count in ((DutyRole.ROOM_HEAD, 1), (DutyRole.BIN_HEAD, 2), (DutyRole.MONITOR, 1)):
            for _n in range(count):
                duties.append(RoomDuty(room=room, role=role, name=people.name(rng), phone=people.mobile(rng),
                                       shift=room.hours[0]))
    RoomDuty.objects.bulk_create(duties, batch_size=BATCH)
    grouped: dict[str, list[Point]] = defaultdict(list)
    for p in points:
        grouped[p.kind.code].append(p)
    return grouped, len(shops), len(made)


# ------------------------------------------------------------------------------------------------ rounds

def _rounds(sub, points: dict[str, list[Point]], who: dict, now) -> list[tuple[Round, list[Point], list[User]]]:
    """Rounds with their points and assignees; every round started a year and a week ago."""
    starts = (now - dt.timedelta(days=DAYS + 7)).date()
    specs = []
    by_community: dict[tuple[str, int], list[Point]] = defaultdict(list)
    for kind, members in points.items():
        for p in members:
            by_community[(kind, p.community_id)].append(p)
    communities = sorted({c for _k, c in by_community})
    names = dict(Community.objects.filter(pk__in=communities).values_list("pk", "name"))
    for c in communities:
        staff = [who["staff"][c]]
        short = names[c].removesuffix("居委会")
        for kind, name, freq, tier, people_ in (
            ("stairwell", "楼道周巡", Frequency.WEEKLY, Tier.ROUTINE, staff),
            ("shopfront", "门责任制检查", Frequency.MONTHLY, Tier.ROUTINE, staff),
            ("garbage_room", "垃圾分类自查", Frequency.WEEKLY, Tier.SELF, [who["volunteer"][c]]),
            ("elevator", "电梯月检", Frequency.MONTHLY, Tier.ROUTINE, staff),
            ("fire", "消防设施月检", Frequency.MONTHLY, Tier.ROUTINE, staff),
            ("manhole", "井盖月检", Frequency.MONTHLY, Tier.ROUTINE, staff),
        ):
            members = by_community.get((kind, c))
            if members:
                specs.append((Round(subdistrict=sub, community_id=c, name=f"{short}{name}", tier=tier,
                                    frequency=freq, starts_on=starts), members, people_))
    worker = who["grid_worker"]
    if worker is not None:  # the demo's grid worker patrols the stairwells and shop fronts of their own grid
        mine = [p for kind in ("stairwell", "shopfront") for p in points.get(kind, []) if p.grid_id == worker.grid_id]
        if mine:
            specs.append((Round(subdistrict=sub, community_id=worker.grid.community_id, name="网格巡查（扫码）",
                                tier=Tier.ROUTINE, frequency=Frequency.WEEKLY, starts_on=starts), mine, [worker]))
    rooms = points.get("garbage_room", [])
    specs.append((Round(subdistrict=sub, name="机关干部抽查", tier=Tier.SPOT, frequency=Frequency.MONTHLY,
                        starts_on=starts), rooms, [who["jiguan"]]))
    specs.append((Round(subdistrict=sub, name="第三方督察", tier=Tier.AUDIT, frequency=Frequency.MONTHLY,
                        starts_on=starts), rooms, [who["ducha"]]))
    Round.objects.bulk_create([s[0] for s in specs])
    through_points = Round.points.through
    through_people = Round.assignees.through
    through_points.objects.bulk_create([through_points(round_id=r.pk, point_id=p.pk)
                                        for r, members, _u in specs for p in members], batch_size=BATCH)
    through_people.objects.bulk_create([through_people(round_id=r.pk, user_id=u.pk)
                                        for r, _m, users in specs for u in users], batch_size=BATCH)
    return specs


# ----------------------------------------------------------------------------------------------- history

def _history(rng, sub, rounds, points: dict[str, list[Point]], now) -> dict:
    """A year of checks: the patrol cases of the checklists' categories first (each a check with that item
    failed, linked to its case), then the due periods, most of them checked."""
    tz = timezone.get_current_timezone()
    items = defaultdict(list)  # kind id → its active items
    from jiedao.inspections.models import ChecklistItem

    for item in ChecklistItem.objects.filter(active=True).order_by("order", "code"):
        items[item.kind_id].append(item)
    round_of: dict[int, dict[str, tuple[Round, list[User]]]] = defaultdict(dict)  # point → tier → round
    for rnd, members, users in rounds:
        for p in members:
            round_of[p.pk].setdefault(rnd.tier, (rnd, users))
    # category code → [(kind id, item)] of the checklists
    by_category: dict[str, list[ChecklistItem]] = defaultdict(list)
    for kind_items in items.values():
        for item in kind_items:
            if item.category_code:
                by_category[item.category_code].append(item)
    points_at: dict[tuple[int, int], list[Point]] = defaultdict(list)  # (community, kind) → points
    for members in points.values():
        for p in members:
            points_at[(p.community_id, p.kind_id)].append(p)
    categories = dict(Category.objects.filter(code__in=list(by_category)).values_list("pk", "code"))
    since = now - dt.timedelta(days=DAYS)
    cases = Case.objects.filter(subdistrict=sub, channel=Channel.PATROL, reported_at__gte=since,
                                effective_category_id__in=list(categories), community__isnull=False) \
        .exclude(status=Status.CANCELLED).order_by("reported_at", "pk") \
        .values_list("pk", "reported_at", "community_id", "effective_category_id")
    planned: dict[tuple[int, int, dt.date], tuple] = {}  # (round, point, period start) → check spec
    failures: dict[tuple[int, int, dt.date], list[tuple[int, int]]] = defaultdict(list)  # → [(item, case)]
    for case_id, at, community_id, category_id in cases:
        options = [(item, p) for item in by_category[categories[category_id]]
                   for p in points_at.get((community_id, item.kind_id), ())]
        if not options:
            continue
        item, p = rng.choice(options)
        tiers = round_of.get(p.pk)
        if not tiers:
            continue
        # A room's finding comes from 自查 half the time, from 督察 or 抽查 otherwise.
        tier = rng.choices([Tier.SELF, Tier.AUDIT, Tier.SPOT], weights=[5, 3, 2])[0] \
            if Tier.SELF in tiers else Tier.ROUTINE
        rnd, users = tiers.get(tier) or next(iter(tiers.values()))
        start = periods_between(rnd.frequency, timezone.localtime(at, tz).date(),
                                timezone.localtime(at, tz).date())[0][0]
        key = (rnd.pk, p.pk, start)
        if key not in planned:
            planned[key] = (rnd, p, at, rng.choice(users))
        if item.pk not in {i for i, _c in failures[key]}:
            failures[key].append((item.pk, case_id))
    today = timezone.localtime(now, tz).date()
    first = today - dt.timedelta(days=DAYS)
    for rnd, members, users in rounds:
        for p_start, p_end in periods_between(rnd.frequency, first, today - dt.timedelta(days=1)):
            missed_rate = 1 - DONE_RATE + (0.12 if p_start.month in (2, 7, 8) else 0.0)
            for p in members:
                key = (rnd.pk, p.pk, p_start)
                if key in planned or rng.random() < missed_rate:
                    continue
                day = p_start + dt.timedelta(days=rng.randrange(0, (p_end - p_start).days + 1))
                if day >= today or day < first:
                    continue
                at = dt.datetime.combine(day, dt.time(rng.randint(8, 16), rng.randrange(60)), tz)
                planned[key] = (rnd, p, at, rng.choice(users))
    # One prepared INSERT each for the checks (ids given here, so that the results can name them) and the
    # results: bulk_create would compile SQL for tens of thousands of rows (demo.visits._insert).
    adapt = connection.ops.adapt_datetimefield_value
    next_id = (Check.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    checks, results = [], []
    for n, (key, (rnd, p, at, user)) in enumerate(sorted(planned.items(), key=lambda kv: (kv[1][2], kv[0]))):
        near = rng.random() < 0.93
        distance = rng.randint(3, 60) if near else rng.randint(180, 900)
        failed = dict(failures.get(key, ()))
        check_id = next_id + n
        checks.append((check_id, sub.pk, rnd.pk, p.pk, p.community_id, p.grid_id, rnd.tier, user.pk,
                       f"demo-{sub.code}-{n:06d}", adapt(at), p.lat + distance / 111_000, p.lon, distance,
                       distance > p.kind.far_metres, len(failed)))
        for item in items[p.kind_id]:
            case_id = failed.get(item.pk)
            results.append((check_id, item.pk, p.pk, case_id is None, "", case_id, case_id is not None))
    _insert(Check, ("id", "subdistrict", "round", "point", "community", "grid", "tier", "by", "client_id", "at",
                    "lat", "lon", "distance_m", "far", "failed"), checks)
    _insert(ItemResult, ("check_record", "item", "point", "passed", "note", "case", "case_created"), results)
    return {"inspection_checks": len(checks), "inspection_failed_items": sum(not r[3] for r in results)}
