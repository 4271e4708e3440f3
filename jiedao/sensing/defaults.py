"""The sensor types the platform ships, and the alarm rules a subdistrict starts with.

Types are loaded by the migration ``0002_default_types``; a subdistrict's rules are written the first time
its rules are read (``services.rules.rules_for``), so an admin edits rows, never these constants. The
names are marked with ``gettext_noop`` so that pages translate them (``{% translate type.name %}``).
"""

import datetime as dt

from django.utils.translation import gettext_noop

# code, name, case category name (案件分类, None: no category fits yet), measured, unit, offline minutes,
# commands the devices of the type accept, gate (电子出入证), order
TYPES = [
    ("ebike_in_elevator", gettext_noop("电瓶车入梯"), "电瓶车入梯", False, "", 10, ["hold_and_warn"], False, 10),
    ("falling_object", gettext_noop("高空抛物"), "高空抛物", False, "", 10, [], False, 20),
    ("door_held_open", gettext_noop("门禁常开"), "门禁设施", False, "", 30, ["close_door"], True, 30),
    ("access_denied", gettext_noop("门禁异常"), "门禁设施", False, "", 30, [], True, 40),
    ("smoke", gettext_noop("烟感"), "烟感探测器", False, "", 720, ["sound_alarm"], False, 50),
    ("gas", gettext_noop("燃气泄漏"), "燃气报警器", True, "%LEL", 720, ["close_valve"], False, 60),
    ("water_level", gettext_noop("积水"), "积水排水", True, "cm", 60, [], False, 70),
    ("manhole", gettext_noop("井盖位移"), "井盖问题", False, "", 720, [], False, 80),
    ("garbage_overflow", gettext_noop("垃圾满溢"), "垃圾堆放", False, "", 30, [], False, 90),
    ("fire_lane_blocked", gettext_noop("消防通道占用"), "消防通道占用", False, "", 10, [], False, 100),
    # Beyond the list: the elevator controller's own fault, and the gate's pass checks.
    ("elevator_trapped", gettext_noop("电梯困人"), "电梯故障", False, "", 10, [], False, 110),
    ("pass_granted", gettext_noop("刷证通行"), None, False, "", 30, [], True, 120),
    ("pass_refused", gettext_noop("拒绝通行"), None, False, "", 30, [], True, 130),
]

# What an alarm's case says happened (诉求内容 is stored as written, in Chinese, like every case text).
DESCRIPTIONS = {
    "ebike_in_elevator": "识别到电瓶车进入电梯轿厢", "falling_object": "识别到高空抛物",
    "door_held_open": "门禁长时间未关闭", "access_denied": "门禁异常（强行开门或反复刷卡失败）",
    "smoke": "烟感报警", "gas": "燃气浓度超限", "water_level": "积水深度超限", "manhole": "井盖位移",
    "garbage_overflow": "垃圾箱房满溢", "fire_lane_blocked": "消防通道被占用", "elevator_trapped": "电梯困人报警",
}

# What each command asks of the device (its code is what the device receives).
COMMANDS = {
    "hold_and_warn": gettext_noop("保持开门并语音劝阻"), "close_door": gettext_noop("关闭门禁"),
    "sound_alarm": gettext_noop("现场声光报警"), "close_valve": gettext_noop("关闭燃气阀"),
}

HOLD_AND_WARN = {"hold_door": True, "voice": "电动自行车禁止进入电梯，请推出轿厢"}
COMMAND_PARAMS = {"hold_and_warn": HOLD_AND_WARN, "close_door": {}, "sound_alarm": {}, "close_valve": {}}


def _t(h: int, m: int = 0) -> dt.time:
    return dt.time(h, m)


# type code → rule fields. A type not named here has its rule written disabled (the gate's pass checks are
# records, not alarms).
RULES: dict[str, dict] = {
    "ebike_in_elevator": {"merge_minutes": 10, "command": "hold_and_warn"},
    "falling_object": {"merge_minutes": 10},
    # A residential gate stands open in the day while the guard is there; at night it is a hole in the fence.
    "door_held_open": {"merge_minutes": 30, "quiet_start": _t(6, 30), "quiet_end": _t(21)},
    "access_denied": {"merge_minutes": 10},
    "smoke": {"merge_minutes": 10, "urgent": True, "command": "sound_alarm"},
    "gas": {"merge_minutes": 10, "urgent": True, "threshold": 20.0, "command": "close_valve"},
    # 积水: 15 cm standing for five minutes, not a splash; one alarm an hour per sensor during a storm.
    "water_level": {"merge_minutes": 60, "threshold": 15.0, "duration_seconds": 300},
    "manhole": {"merge_minutes": 30},
    # Bins are not emptied at night: a full bin then waits for the morning round.
    "garbage_overflow": {"merge_minutes": 120, "quiet_start": _t(22), "quiet_end": _t(6)},
    "fire_lane_blocked": {"merge_minutes": 30},
    "elevator_trapped": {"merge_minutes": 10, "urgent": True},
}
