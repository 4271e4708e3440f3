"""Default point kinds with their checklists, and the default 五星 rules, as data.

The migration ``0002_default_kinds`` loads the kinds and their items; admins change them afterwards (Django
admin). The 五星 rules are a subdistrict's own: ``services.rules_for`` writes these defaults for a
subdistrict that has none yet. Names are marked with ``gettext_noop`` so that pages can show them in English.
"""

from django.utils.translation import gettext_noop

# kind code → (name, label instruction, far metres, [(item code, name, case category code)])
KINDS: dict[str, tuple[str, str, int, list[tuple[str, str, str]]]] = {
    "stairwell": (gettext_noop("楼道"), gettext_noop("扫码登记楼道巡查"), 150, [
        ("clutter", gettext_noop("堆物"), "S0101"),
        ("flying_wire", gettext_noop("飞线充电"), "S0802"),
        ("extinguisher", gettext_noop("消防器材"), "B0109"),
        ("lighting", gettext_noop("照明"), "S0601"),
    ]),
    "shopfront": (gettext_noop("沿街门店"), gettext_noop("门责任制检查扫码"), 100, [
        ("occupying_road", gettext_noop("占道经营"), "S0501"),
        ("signboard", gettext_noop("乱设广告店招"), "S0201"),
        ("unsorted", gettext_noop("垃圾未分类"), "S0102"),
        ("fumes", gettext_noop("油烟"), "S0104"),
        ("frontage", gettext_noop("门前不整洁"), "S0101"),
    ]),
    "garbage_room": (gettext_noop("垃圾厢房"), gettext_noop("三查扫码登记"), 100, [
        ("mixed", gettext_noop("混投"), "S0102"),
        ("overflow", gettext_noop("满溢"), "S0101"),
        ("broken_bags", gettext_noop("破袋"), "S0102"),
        ("off_hours", gettext_noop("未定时定点"), "S0102"),
        ("room_damaged", gettext_noop("厢房设施损坏"), "B0305"),
    ]),
    "fire": (gettext_noop("消防设施"), gettext_noop("扫码检查消防设施"), 150, [
        ("hydrant", gettext_noop("消火栓完好"), "B0109"),
        ("fire_lane", gettext_noop("消防通道畅通"), "S0803"),
        ("extinguisher", gettext_noop("灭火器在有效期"), "B0109"),
    ]),
    "elevator": (gettext_noop("电梯"), gettext_noop("扫码检查电梯"), 100, [
        ("ebike", gettext_noop("电瓶车入梯"), "S0801"),
        ("running", gettext_noop("运行正常"), "S0603"),
        ("certificate", gettext_noop("年检标志"), "S0603"),
    ]),
    "manhole": (gettext_noop("井盖"), gettext_noop("扫码检查井盖"), 200, [
        ("cover", gettext_noop("井盖完好"), "S0602"),
        ("level", gettext_noop("井盖平整"), "S0602"),
    ]),
}

# 门责任制五星: (code, name, item code, category code, per, stars, max stars, explanation)
SHOP_RULES = [
    ("occupying_road", gettext_noop("占道经营"), "occupying_road", "", 1, 1, 2,
     gettext_noop("检查发现占道经营，每次扣 1 星，每月最多扣 2 星")),
    ("signboard", gettext_noop("乱设广告店招"), "signboard", "", 1, 1, 1,
     gettext_noop("乱设广告、店招，扣 1 星")),
    ("unsorted", gettext_noop("垃圾未分类"), "unsorted", "", 1, 1, 2,
     gettext_noop("垃圾未分类投放，每次扣 1 星，每月最多扣 2 星")),
    ("fumes", gettext_noop("油烟"), "fumes", "", 1, 1, 1, gettext_noop("油烟直排或扰民，扣 1 星")),
    ("frontage", gettext_noop("门前不整洁"), "frontage", "", 2, 1, 1,
     gettext_noop("门前市容不整洁，每 2 次扣 1 星")),
]

# 垃圾分类五星 (小区): (code, name, item code, category code, per, stars, max stars, tiers, explanation)
GARBAGE_RULES = [
    ("mixed", gettext_noop("混投"), "mixed", "", 2, 1, 2, [],
     gettext_noop("三查发现混投，每 2 次扣 1 星，每月最多扣 2 星")),
    ("overflow", gettext_noop("满溢"), "overflow", "", 2, 1, 1, [], gettext_noop("厢房满溢，每 2 次扣 1 星")),
    ("broken_bags", gettext_noop("破袋"), "broken_bags", "", 3, 1, 1, [], gettext_noop("未破袋投放，每 3 次扣 1 星")),
    ("off_hours", gettext_noop("未定时定点"), "off_hours", "", 2, 1, 1, [],
     gettext_noop("未按定时定点投放，每 2 次扣 1 星")),
    ("audit_failed", gettext_noop("第三方督察不合格"), "", "", 1, 1, 1, ["audit"],
     gettext_noop("第三方督察有不合格项，扣 1 星")),
    ("cases", gettext_noop("垃圾分类相关案件"), "", "S0102", 3, 1, 1, [],
     gettext_noop("小区内垃圾分类不规范的案件（各渠道），每 3 件扣 1 星")),
]
