"""The figures a new installation starts with; staff with ``elevators.configure`` change them in the admin.
The data migration ``0002_defaults`` installs a copy. Sources are in docs/elevators.md."""

import datetime as dt
from decimal import Decimal

# Feasibility weights (sum 100): site conditions first (they decide whether a shaft can be built at all),
# then need (who lives there) and the cost shared per dwelling.
WEIGHTS = [
    ("floors", 15, "4–7 层多层住宅是加装对象；6–7 层最需要"),
    ("dwellings", 10, "每层户数越多，每户分摊越少"),
    ("entry", 15, "平层入户到家门口无台阶；半层入户仍需走半层"),
    ("clearance", 15, "井道与连廊需要约 2.4–3 米进深"),
    ("pipes", 10, "燃气、给排水等地下管线"),
    ("fire_lane", 10, "不得占用消防通道"),
    ("sunlight", 10, "相邻楼栋日照"),
    ("aged", 10, "60 岁及以上居民占比"),
    ("disabled", 5, "失能 / 残疾居民"),
]

# Cost table (元), a 2024–2025 Shanghai market estimate for a 6-storey walk-up (about 60–70 万元 in all).
COSTS = [
    ("equipment", "电梯设备及安装", "elevator", "", Decimal("250000"), 10),
    ("stop", "层站与层门", "stop", "", Decimal("12000"), 20),
    ("shaft_steel", "钢结构井道", "shaft_floor", "steel", Decimal("25000"), 30),
    ("shaft_concrete", "混凝土井道", "shaft_floor", "concrete", Decimal("32000"), 31),
    ("corridor", "连廊（平层入户）", "corridor", "", Decimal("18000"), 40),
    ("foundation", "基础与场地", "elevator", "", Decimal("50000"), 50),
    ("design", "设计、勘察与监理", "elevator", "", Decimal("40000"), 60),
    ("pipes", "地下管线迁移", "pipes", "", Decimal("60000"), 70),
]

SUBSIDY = {
    "name": "上海市既有多层住宅加装电梯政府补贴",
    "rate": Decimal("0.40"),
    "cap": Decimal("280000"),
    "source": "上海市财政局、上海市住房和城乡建设管理委员会（市房管局）《关于本市既有多层住宅加装电梯办理政府补贴"
              "资金有关事项的通知》：按施工金额的 40% 补贴，每台最高不超过 28 万元",
    "valid_from": dt.date(2019, 1, 1),
}

# 分摊系数 by floor: the ground floor pays nothing, each floor above one part more than the one below.
SHARES = [(1, Decimal("0")), (2, Decimal("1")), (3, Decimal("2")), (4, Decimal("3")), (5, Decimal("4")),
          (6, Decimal("5")), (7, Decimal("6"))]


def install(apps) -> None:
    """Install the defaults where nothing is configured yet (the migration, and tests that need a clean table)."""
    FactorWeight = apps.get_model("elevators", "FactorWeight")
    CostItem = apps.get_model("elevators", "CostItem")
    SubsidyRule = apps.get_model("elevators", "SubsidyRule")
    ShareCoefficient = apps.get_model("elevators", "ShareCoefficient")
    for factor, weight, note in WEIGHTS:
        FactorWeight.objects.get_or_create(factor=factor, defaults={"weight": weight, "note": note})
    for code, name, basis, shaft, amount, order in COSTS:
        CostItem.objects.get_or_create(code=code, defaults={"name": name, "basis": basis, "shaft": shaft,
                                                            "amount": amount, "order": order})
    if not SubsidyRule.objects.exists():
        SubsidyRule.objects.create(**SUBSIDY)
    for floor, coefficient in SHARES:
        ShareCoefficient.objects.get_or_create(floor=floor, defaults={"coefficient": coefficient})
