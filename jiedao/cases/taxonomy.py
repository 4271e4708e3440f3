"""The default case taxonomy (案件分类) for a Shanghai subdistrict, as data.

Two families, as in GB/T 30428.2 (数字化城市管理信息系统 第2部分：管理部件和事件) and CJ/T 214:
部件 (components: street furniture a case is *about*) and 事件 (events: what happened). Each has 大类
(major class) and 小类 (minor class); a category's code is the family letter (B = 部件, S = 事件)
followed by the two-digit 大类 and two-digit 小类 codes, e.g. ``S0504`` = 事件 / 街面秩序 / 噪音扰民.
The standard's own 大类 codes are kept where they exist (01–05); 06 and above are this platform's
extensions for Shanghai 12345 demands (房屋管理, 安全隐患, 社区服务 …), as the standard allows.

The migration ``0002_default_taxonomy`` loads these rows; admins may add, rename or retire categories
afterwards. The classifier is trained on the 事件 categories below (CLASSIFIED).

The names are Chinese in the database; each is marked with ``gettext_noop`` so that it has an English
translation, shown by the pages with ``{% translate category.name %}`` (a name an admin typed stays as typed).
"""

from django.utils.translation import gettext_noop

# (family, major code, major name) → [(minor code, name, urgent_by_default)]
EVENTS: dict[tuple[str, str], list[tuple[str, str, bool]]] = {
    ("01", gettext_noop("市容环境")): [
        ("01", gettext_noop("垃圾堆放"), False),
        ("02", gettext_noop("垃圾分类不规范"), False),
        ("03", gettext_noop("大件垃圾"), False),
        ("04", gettext_noop("餐饮油烟"), False),
        ("05", gettext_noop("绿化损坏"), False),
    ],
    ("02", gettext_noop("宣传广告")): [
        ("01", gettext_noop("广告店招"), False),
    ],
    ("03", gettext_noop("施工管理")): [
        ("01", gettext_noop("违法搭建"), False),
        ("02", gettext_noop("道路破损"), False),
    ],
    ("04", gettext_noop("突发事件")): [
        ("01", gettext_noop("积水排水"), False),
        ("02", gettext_noop("高空抛物"), False),
    ],
    ("05", gettext_noop("街面秩序")): [
        ("01", gettext_noop("占道经营"), False),
        ("02", gettext_noop("非机动车乱停放"), False),
        ("03", gettext_noop("机动车违停"), False),
        ("04", gettext_noop("噪音扰民"), False),
        ("05", gettext_noop("犬只扰民"), False),
    ],
    ("06", gettext_noop("设施管理")): [
        ("01", gettext_noop("路灯损坏"), False),
        ("02", gettext_noop("井盖问题"), False),
        ("03", gettext_noop("电梯故障"), False),
    ],
    ("07", gettext_noop("房屋管理")): [
        ("01", gettext_noop("群租"), False),
        ("02", gettext_noop("居改非"), False),
        ("03", gettext_noop("房屋维修"), False),
        ("04", gettext_noop("物业纠纷"), False),
    ],
    ("08", gettext_noop("安全隐患")): [
        ("01", gettext_noop("电瓶车入梯"), False),
        ("02", gettext_noop("飞线充电"), False),
        ("03", gettext_noop("消防通道占用"), False),
    ],
    ("09", gettext_noop("市场监管")): [
        ("01", gettext_noop("食品安全"), False),
    ],
    ("10", gettext_noop("社区服务")): [
        ("01", gettext_noop("劳动纠纷"), False),
        ("02", gettext_noop("养老服务需求"), False),
        ("03", gettext_noop("独居老人异常"), True),
    ],
}

# 部件: the standard's 大类 01 公用设施, 02 道路交通, 03 市容环境, 04 园林绿化 (a selection).
COMPONENTS: dict[tuple[str, str], list[tuple[str, str, bool]]] = {
    ("01", gettext_noop("公用设施")): [
        ("01", gettext_noop("上水井盖"), False),
        ("02", gettext_noop("污水井盖"), False),
        ("03", gettext_noop("雨水井盖"), False),
        ("09", gettext_noop("消防栓"), False),
        ("15", gettext_noop("路灯"), False),
        ("20", gettext_noop("电力设施"), False),
        # Extensions for the sensing module's devices (物联感知), whose alarms have no event category:
        ("24", gettext_noop("烟感探测器"), True),
        ("25", gettext_noop("燃气报警器"), True),
        ("26", gettext_noop("门禁设施"), False),
    ],
    ("02", gettext_noop("道路交通")): [
        ("04", gettext_noop("交通信号灯"), False),
        ("09", gettext_noop("交通护栏"), False),
        ("16", gettext_noop("非机动车停放点"), False),
    ],
    ("03", gettext_noop("市容环境")): [
        ("01", gettext_noop("公共厕所"), False),
        ("05", gettext_noop("垃圾箱房"), False),
        ("06", gettext_noop("果壳箱"), False),
    ],
    ("04", gettext_noop("园林绿化")): [
        ("01", gettext_noop("行道树"), False),
        ("04", gettext_noop("绿地"), False),
    ],
}

EVENT, COMPONENT = "S", "B"  # 事件 (shijian), 部件 (bujian)


def rows():
    """Every default category: (code, family, major code, major name, name, urgent)."""
    for family, table in ((EVENT, EVENTS), (COMPONENT, COMPONENTS)):
        for (major, major_name), minors in table.items():
            for minor, name, urgent in minors:
                yield f"{family}{major}{minor}", family, major, major_name, name, urgent


# The 29 event categories the classifier chooses between: every 事件 above.
CLASSIFIED: dict[str, str] = {name: code for code, family, _m, _mn, name, _u in rows() if family == EVENT}
