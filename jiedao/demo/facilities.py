"""Demo rows for the facilities module (生活圈): a walking network and the service facilities of Caoyang.

The network is the geo module's roads and 小区 outlines, with the lanes between the rows of each 新村's
buildings (the demo's 小区 paths, derived from where its buildings stand). The facilities are those the plan
names, in the numbers it gives where it gives them (its review of the 13th plan: 综合为老服务中心及分中心 5,
长者食堂及助餐点 7, 长者照护之家 1; 百禧公园 on the old railway land, 环浜, 曹杨商场, 桂巷商业步行街, the planned
纺织养老院), and the everyday ones every 居委 has (党群服务站, 活动室, 健身点, 便利店 …). Names are illustrative,
positions schematic like the rest of the demo's geometry, every row ``synthetic``; opening dates spread over
the plan's years so that the 5 分钟基本公共服务圈 indicator has a history to show.

Deterministic: its own random stream, so the rest of the demo is unchanged by it.
"""

import datetime as dt
import random
from itertools import pairwise

import numpy as np
import shapely

from jiedao.core.models import Subdistrict
from jiedao.facilities import services
from jiedao.facilities.models import AccessRun, BuildingAccess, Facility, FacilityType, WalkNetwork
from jiedao.facilities.network.lines import Line
from jiedao.geo.models import Building, Community, Estate, Grid
from jiedao.geo.placement import grid_index

SEED = 20210119
ROW_GAP_DEG = 5e-5  # buildings whose latitudes differ less than this (about 5 m) stand in one row

# Named facilities: type, name, 居委 (its short name), where in the 居委's cell (0–1 from the west and the
# south), status, year opened (planned: the year it should open), capacity, operator.
OPEN, PLANNED, CLOSED = Facility.Status.OPEN, Facility.Status.PLANNED, Facility.Status.CLOSED
CAOYANG = [
    # 公共服务
    ("affairs_centre", "曹杨新村街道社区事务受理服务中心", "枣阳园", 0.05, 0.50, OPEN, 2012, None, "曹杨新村街道"),
    ("area_centre", "武宁片区综合管理服务中心", "杏梅园", 0.50, 0.90, OPEN, 2021, None, "曹杨新村街道"),
    ("area_centre", "梅岭南片区综合管理服务中心", "曹杨五村", 0.95, 0.50, OPEN, 2022, None, "曹杨新村街道"),
    ("area_centre", "梅岭北片区综合管理服务中心", "兰岭园", 0.50, 0.05, OPEN, 2023, None, "曹杨新村街道"),
    ("neighbourhood_centre", "曹杨百禧邻里中心", "桂巷新村", 0.90, 0.50, OPEN, 2022, None, "曹杨社区服务社"),
    ("self_service", "事务受理中心24小时自助服务区", "枣阳园", 0.08, 0.52, OPEN, 2019, 4, "曹杨新村街道"),
    ("self_service", "武宁片区24小时自助服务点", "杏梅园", 0.52, 0.88, OPEN, 2021, 2, "曹杨新村街道"),
    ("self_service", "梅岭南片区24小时自助服务点", "曹杨五村", 0.93, 0.52, OPEN, 2022, 2, "曹杨新村街道"),
    ("self_service", "梅岭北片区24小时自助服务点", "兰岭园", 0.52, 0.08, OPEN, 2023, 2, "曹杨新村街道"),
    ("self_service", "曹杨商场一网通办自助终端", "曹杨七村", 0.95, 0.30, OPEN, 2024, 1, "曹杨新村街道"),
    # 养老服务: 综合为老服务中心及分中心 5, 长者食堂及助餐点 7 by 2020, more since
    ("elderly_hub", "曹杨新村街道综合为老服务中心", "兰溪园", 0.50, 0.50, OPEN, 2017, 60, "曹杨新村街道"),
    ("elderly_subcentre", "曹杨一村综合为老服务分中心", "曹杨一村", 0.60, 0.40, OPEN, 2018, 20, "曹杨社区养老服务社"),
    ("elderly_subcentre", "曹杨五村综合为老服务分中心", "曹杨五村", 0.40, 0.60, OPEN, 2019, 20, "曹杨社区养老服务社"),
    ("elderly_subcentre", "曹杨八村综合为老服务分中心", "曹杨八村", 0.50, 0.40, OPEN, 2019, 20, "曹杨社区养老服务社"),
    ("elderly_subcentre", "桂巷综合为老服务分中心", "桂巷新村", 0.40, 0.60, OPEN, 2020, 20, "曹杨社区养老服务社"),
    ("elderly_subcentre", "梅岭北综合为老服务分中心", "北杨园", 0.50, 0.50, PLANNED, 2026, 20, ""),
    ("meal_point", "曹杨一村长者食堂", "曹杨一村", 0.62, 0.38, OPEN, 2016, 120, "曹杨社区养老服务社"),
    ("meal_point", "兰溪园助餐点", "兰溪园", 0.48, 0.52, OPEN, 2017, 80, "曹杨社区养老服务社"),
    ("meal_point", "曹杨五村长者食堂", "曹杨五村", 0.42, 0.58, OPEN, 2018, 100, "曹杨社区养老服务社"),
    ("meal_point", "曹杨八村长者食堂", "曹杨八村", 0.52, 0.42, OPEN, 2019, 100, "曹杨社区养老服务社"),
    ("meal_point", "桂巷助餐点", "桂巷新村", 0.42, 0.58, OPEN, 2019, 60, "曹杨社区养老服务社"),
    ("meal_point", "桐柏园助餐点", "桐柏园", 0.50, 0.50, OPEN, 2020, 60, "曹杨社区养老服务社"),
    ("meal_point", "北岭园助餐点", "北岭园", 0.50, 0.50, CLOSED, 2020, 60, "曹杨社区养老服务社"),
    ("meal_point", "枣阳园长者食堂", "枣阳园", 0.60, 0.50, OPEN, 2022, 90, "曹杨社区养老服务社"),
    ("meal_point", "杏梅园助餐点", "杏梅园", 0.30, 0.40, OPEN, 2023, 60, "曹杨社区养老服务社"),
    ("meal_point", "沙溪园助餐点", "沙溪园", 0.50, 0.60, OPEN, 2024, 60, "曹杨社区养老服务社"),
    ("meal_point", "曹杨三村助餐点", "曹杨三村", 0.50, 0.50, PLANNED, 2026, 60, ""),
    ("meal_point", "金梅园助餐点", "金梅园", 0.50, 0.50, PLANNED, 2026, 60, ""),
    ("elderly_culture", "曹杨新村老年文化活动中心", "曹杨七村", 0.50, 0.50, OPEN, 2016, 300, "曹杨新村街道"),
    ("all_age_centre", "百禧全龄共享交往中心", "桂巷新村", 0.92, 0.30, OPEN, 2022, 200, "曹杨社区服务社"),
    ("all_age_centre", "梅岭南全龄共享交往中心", "南杨园", 0.50, 0.50, OPEN, 2024, 150, "曹杨社区服务社"),
    ("day_care", "曹杨一村日间照料中心", "曹杨一村", 0.58, 0.42, OPEN, 2015, 30, "曹杨社区养老服务社"),
    ("day_care", "花溪园日间照料中心", "花溪园", 0.50, 0.50, OPEN, 2018, 30, "曹杨社区养老服务社"),
    ("day_care", "曹杨六村日间照料中心", "曹杨六村", 0.50, 0.50, OPEN, 2021, 30, "曹杨社区养老服务社"),
    ("care_home", "曹杨新村长者照护之家", "曹杨二村", 0.50, 0.50, OPEN, 2019, 36, "曹杨社区养老服务社"),
    ("care_home", "纺织养老院", "曹杨九村", 0.50, 0.20, PLANNED, 2026, 200, ""),
    # 医疗卫生
    ("health_centre", "曹杨新村街道社区卫生服务中心", "花溪园", 0.05, 0.60, OPEN, 2005, 80, "普陀区卫生健康委"),
    ("health_station", "曹杨一村卫生服务站", "曹杨一村", 0.40, 0.60, OPEN, 2012, None, "社区卫生服务中心"),
    ("health_station", "曹杨五村卫生服务站", "曹杨五村", 0.60, 0.40, OPEN, 2013, None, "社区卫生服务中心"),
    ("health_station", "曹杨八村卫生服务站", "曹杨八村", 0.40, 0.60, OPEN, 2014, None, "社区卫生服务中心"),
    ("health_station", "北岭园卫生服务站", "北岭园", 0.40, 0.40, OPEN, 2016, None, "社区卫生服务中心"),
    ("health_station", "桂巷卫生服务站", "桂巷新村", 0.60, 0.40, OPEN, 2021, None, "社区卫生服务中心"),
    # 教育与托育
    ("kindergarten", "曹杨新村幼儿园", "曹杨二村", 0.20, 0.80, OPEN, 1995, 300, "普陀区教育局"),
    ("kindergarten", "兰溪路幼儿园", "兰溪园", 0.20, 0.20, OPEN, 1998, 240, "普陀区教育局"),
    ("kindergarten", "杏山路幼儿园", "曹杨九村", 0.80, 0.80, OPEN, 2003, 240, "普陀区教育局"),
    ("kindergarten", "梅岭幼儿园", "曹杨六村", 0.20, 0.20, OPEN, 2006, 200, "普陀区教育局"),
    ("nursery", "曹杨新村托育园", "枣阳园", 0.80, 0.20, OPEN, 2021, 60, "曹杨社区服务社"),
    ("nursery", "梅岭南社区托育点", "桐柏园", 0.30, 0.30, OPEN, 2023, 40, "曹杨社区服务社"),
    ("primary_school", "曹杨新村第一小学", "曹杨一村", 0.10, 0.10, OPEN, 1952, 900, "普陀区教育局"),
    ("primary_school", "曹杨新村第三小学", "曹杨八村", 0.90, 0.10, OPEN, 1956, 800, "普陀区教育局"),
    ("primary_school", "曹杨新村第六小学", "曹杨四村", 0.90, 0.90, OPEN, 1960, 800, "普陀区教育局"),
    ("middle_school", "曹杨新村初级中学", "北杨园", 0.90, 0.10, OPEN, 1958, 1200, "普陀区教育局"),
    ("middle_school", "兰溪初级中学", "曹杨九村", 0.10, 0.50, OPEN, 1985, 1000, "普陀区教育局"),
    # 文化体育
    ("culture_centre", "曹杨新村街道社区文化活动中心", "兰溪园", 0.95, 0.80, OPEN, 2014, 800, "曹杨新村街道"),
    ("library", "曹杨社区图书馆", "兰溪园", 0.92, 0.78, OPEN, 2014, 120, "曹杨新村街道"),
    ("sports_centre", "曹杨市民健身中心", "曹杨四村", 0.50, 0.10, OPEN, 2019, 300, "曹杨新村街道"),
    # 商业服务
    ("wet_market", "曹杨菜市场", "曹杨七村", 0.90, 0.60, OPEN, 1990, 120, "曹杨商场"),
    ("wet_market", "兰溪路菜市场", "曹杨二村", 0.95, 0.30, OPEN, 2000, 80, "兰溪路市场"),
    ("wet_market", "桂巷菜市场", "桂巷新村", 0.50, 0.95, OPEN, 2005, 60, "桂巷商业街"),
    ("wet_market", "铁路农贸市场", "花溪园", 0.95, 0.50, CLOSED, 1995, 80, "铁路农贸市场"),
    ("repair_point", "桂巷商业街便民服务点", "桂巷新村", 0.55, 0.92, OPEN, 2021, None, "桂巷商业街"),
    ("repair_point", "曹杨五村修补服务点", "曹杨五村", 0.50, 0.90, OPEN, 2022, None, "曹杨社区服务社"),
    # 绿地公园
    ("park", "曹杨公园", "曹杨三村", 0.50, 0.60, OPEN, 1954, None, "普陀区绿化市容局"),
    ("park", "百禧公园", "花溪园", 0.97, 0.40, OPEN, 2021, None, "普陀区绿化市容局"),
    ("park", "环浜绿地", "曹杨五村", 0.10, 0.50, OPEN, 2022, None, "普陀区绿化市容局"),
    ("pocket_park", "枣阳路口袋公园", "曹杨七村", 0.50, 0.95, OPEN, 2021, None, "普陀区绿化市容局"),
    ("pocket_park", "梅川路街心花园", "曹杨四村", 0.50, 0.05, OPEN, 2022, None, "普陀区绿化市容局"),
    ("pocket_park", "兰溪路转角绿地", "兰溪园", 0.05, 0.10, OPEN, 2023, None, "普陀区绿化市容局"),
]

# Small facilities every 居委 has some of: type, how many per 居委 (a range), the name's ending. Each stands at
# one of the 居委's buildings (the ground floor of a 新村 block), opened in a year drawn from ``years``.
EVERYDAY = [
    ("party_station", (1, 1), "党群服务站", (2016, 2024)),
    ("culture_room", (0, 1), "文化活动室", (2010, 2024)),
    ("fitness_point", (1, 2), "益智健身苑点", (2012, 2024)),
    ("elderly_room", (1, 2), "老年活动室", (2008, 2024)),
    ("jiuling_home", (0, 1), "久龄家园", (2021, 2025)),
    ("health_post", (0, 1), "健康互助驿站", (2021, 2025)),
    ("shared_kitchen", (0, 1), "共享厨房", (2022, 2025)),
    ("convenience_store", (0, 2), "便利店", (2010, 2025)),
    ("pharmacy", (0, 1), "药房", (2005, 2022)),
]

SMALL = {
    "310112009": [  # 古美路: its 15 分钟养老服务圈 around 美乐汇 (opened 2020)
        ("elderly_hub", "古美路街道美乐汇综合为老服务中心", "古美一村", 0.70, 0.30, OPEN, 2020, 40, "古美路街道"),
        ("neighbourhood_centre", "美乐汇邻里中心", "古美一村", 0.72, 0.32, OPEN, 2020, None, "古美路街道"),
        ("meal_point", "古美二村长者食堂", "古美二村", 0.50, 0.50, OPEN, 2019, 80, "古美社区养老服务社"),
        ("day_care", "平吉一村日间照料中心", "平吉一村", 0.50, 0.50, OPEN, 2018, 30, "古美社区养老服务社"),
        ("health_station", "古美路卫生服务站", "古美二村", 0.20, 0.50, OPEN, 2012, None, "社区卫生服务中心"),
    ],
    "310101015": [
        ("elderly_hub", "打浦桥街道综合为老服务中心", "建国新村", 0.50, 0.50, OPEN, 2018, 40, "打浦桥街道"),
        ("meal_point", "瑞金南路长者食堂", "瑞金南路居委", 0.50, 0.50, OPEN, 2019, 80, "打浦桥社区服务社"),
        ("health_station", "丽园卫生服务站", "丽园居委", 0.50, 0.50, OPEN, 2013, None, "社区卫生服务中心"),
    ],
}


def reset(*, subdistricts) -> None:
    """Delete the facilities module's rows of the demo subdistricts (for ``DemoBuilder.reset``)."""
    BuildingAccess.objects.filter(subdistrict__in=subdistricts).delete()
    AccessRun.objects.filter(subdistrict__in=subdistricts).delete()
    Facility.objects.filter(subdistrict__in=subdistricts).delete()
    WalkNetwork.objects.filter(subdistrict__in=subdistricts).delete()


def estate_lanes(subdistrict: Subdistrict) -> list[Line]:
    """The lanes of each 小区: one between every two rows of its buildings, across the 小区 from edge to edge,
    and two running north–south through it, so that every door is a few metres from a lane that leads out."""
    lines = []
    for estate in Estate.objects.filter(subdistrict=subdistrict).exclude(geometry=None).order_by("code"):
        x0, y0, x1, y1 = shapely.geometry.shape(estate.geometry).bounds
        lats = np.sort(np.array(Building.objects.filter(estate=estate).values_list("lat", flat=True), dtype=float))
        if len(lats) < 2:
            continue
        rows = np.split(lats, np.nonzero(np.diff(lats) > ROW_GAP_DEG)[0] + 1)
        centres = [float(r.mean()) for r in rows]
        for south, north in pairwise(centres):
            lane = (south + north) / 2
            lines.append(Line([(x0, lane), (x1, lane)], "estate_path", estate.name))
        for share in (1 / 3, 2 / 3):
            x = x0 + share * (x1 - x0)
            lines.append(Line([(x, y0), (x, y1)], "estate_path", estate.name))
    return lines


def _cells(subdistrict: Subdistrict) -> dict[str, tuple[float, float, float, float]]:
    out = {}
    for community in Community.objects.filter(subdistrict=subdistrict).exclude(geometry=None):
        short = community.name.removesuffix("居委会")
        out[short] = out[community.name] = shapely.geometry.shape(community.geometry).bounds
    return out


def _opened(year: int, rng: random.Random) -> dt.date:
    return dt.date(year, rng.randint(1, 12), rng.randint(1, 28))


def build(*, builder, subdistrict: Subdistrict) -> int:
    """The subdistrict's walking network and facilities, replacing any it had. Returns how many facilities."""
    rng = random.Random(SEED + int(subdistrict.code[-3:]))
    BuildingAccess.objects.filter(subdistrict=subdistrict).delete()
    Facility.objects.filter(subdistrict=subdistrict).delete()
    types = {t.code: t for t in FacilityType.objects.all()}
    cells = _cells(subdistrict)
    rows: list[Facility] = []
    named = CAOYANG if subdistrict.code == "310107005" else SMALL.get(subdistrict.code, [])
    for code, name, where, fx, fy, status, year, capacity, operator in named:
        if where not in cells:
            continue
        x0, y0, x1, y1 = cells[where]
        opened = _opened(year, rng) if status != PLANNED else None
        rows.append(Facility(
            subdistrict=subdistrict, type=types[code], name=name, lon=round(x0 + fx * (x1 - x0), 7),
            lat=round(y0 + fy * (y1 - y0), 7), capacity=capacity, operator=operator, status=status,
            opened_on=opened, opening_hours=_hours(code),
            closed_on=dt.date(2023, 6, 30) if status == CLOSED else None,
            note=f"计划 {year} 年启用（演示数据）" if status == PLANNED else "", synthetic=True,
        ))
    if subdistrict.code == "310107005":
        rows += _everyday(subdistrict, types, rng)
    _place(subdistrict, rows)
    Facility.objects.bulk_create(rows)
    # The network last: building it computes every building's distances to the facilities now registered.
    services.build_network_from_geo(subdistrict=subdistrict, by=None, paths=estate_lanes(subdistrict),
                                    name=f"{subdistrict.name}道路与小区内部道路（示意）")
    builder.counts["facilities"] = builder.counts.get("facilities", 0) + len(rows)
    return len(rows)


def _everyday(subdistrict: Subdistrict, types: dict, rng: random.Random) -> list[Facility]:
    out = []
    for community in Community.objects.filter(subdistrict=subdistrict).order_by("code"):
        short = community.name.removesuffix("居委会")
        buildings = list(Building.objects.filter(community=community).order_by("code").values_list("lon", "lat"))
        if not buildings:
            continue
        for code, (low, high), ending, (first, last) in EVERYDAY:
            for n in range(rng.randint(low, high)):
                lon, lat = rng.choice(buildings)
                out.append(Facility(
                    subdistrict=subdistrict, type=types[code], name=f"{short}{ending}{'' if n == 0 else n + 1}",
                    lon=round(lon + 0.00008, 7), lat=round(lat, 7), status=OPEN,
                    opened_on=_opened(rng.randint(first, last), rng), opening_hours=_hours(code),
                    operator=f"{short}居民区" if code in ("party_station", "culture_room", "elderly_room") else "",
                    synthetic=True,
                ))
    return out


def _hours(code: str) -> str:
    return {"meal_point": "10:30-13:00", "self_service": "24小时", "convenience_store": "24小时",
            "party_station": "8:30-17:00", "park": "6:00-21:00", "pocket_park": "全天"}.get(code, "")


def _place(subdistrict: Subdistrict, rows: list[Facility]) -> None:
    """Each facility's 居委 (by its grid) and, where it has none, the address of the building nearest to it."""
    grids = dict(Grid.objects.filter(subdistrict=subdistrict).values_list("pk", "community_id"))
    placed = grid_index(subdistrict.pk).place([f.lon for f in rows], [f.lat for f in rows])
    buildings = list(Building.objects.filter(subdistrict=subdistrict).select_related("road"))
    lon = np.array([b.lon for b in buildings])
    lat = np.array([b.lat for b in buildings])
    for facility, grid in zip(rows, placed.tolist(), strict=True):
        facility.community_id = grids.get(grid)
        if not facility.address and buildings:
            nearest = int(np.argmin((lon - facility.lon) ** 2 * 0.73 + (lat - facility.lat) ** 2))
            facility.address = buildings[nearest].address
