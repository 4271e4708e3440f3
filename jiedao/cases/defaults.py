"""The default handling configuration for a Shanghai subdistrict (Caoyang's, shipped with the platform):
处置流程 (time limits) and 应用场景 (category × place → department and process). Admins edit both afterwards;
``install`` only adds what is missing, so running it again never overwrites their changes."""

from django.db import transaction
from django.utils.translation import gettext_noop

from jiedao.cases.models import Category, Process, Scenario
from jiedao.core.models import Department, Subdistrict

# code, name (English through gettext_noop, shown with {% translate process.name %}), handle_days, handle_hours,
# first_contact_required, first_contact_hours
PROCESSES = [
    ("URGENT", gettext_noop("紧急处置（2 小时）"), None, 2, True, 1),
    ("QUICK1", gettext_noop("即办件（1 个工作日）"), 1, None, True, 2),
    ("HOTLINE5", gettext_noop("一般件（5 个工作日）"), 5, None, True, 24),
    ("COMPLEX15", gettext_noop("复杂件（15 个工作日）"), 15, None, True, 24),
    ("PATROL3", gettext_noop("巡查发现（3 个工作日，无需先行联系）"), 3, None, False, 24),
]

# category name → (department code, process code): the subdistrict-wide scenarios.
SCENARIOS = {
    "垃圾堆放": ("LHSR", "QUICK1"), "垃圾分类不规范": ("LHSR", "HOTLINE5"), "大件垃圾": ("LHSR", "QUICK1"),
    "餐饮油烟": ("CGZD", "HOTLINE5"), "绿化损坏": ("LHSR", "HOTLINE5"), "广告店招": ("CGZD", "HOTLINE5"),
    "违法搭建": ("CGZD", "COMPLEX15"), "道路破损": ("JSZX", "HOTLINE5"), "积水排水": ("SWS", "QUICK1"),
    "高空抛物": ("PCS", "QUICK1"), "占道经营": ("CGZD", "QUICK1"), "非机动车乱停放": ("WYGS", "QUICK1"),
    "机动车违停": ("PCS", "QUICK1"), "噪音扰民": ("PCS", "QUICK1"), "犬只扰民": ("PCS", "HOTLINE5"),
    "路灯损坏": ("JSZX", "HOTLINE5"), "井盖问题": ("SWS", "QUICK1"), "电梯故障": ("FGB", "QUICK1"),
    "群租": ("FGB", "COMPLEX15"), "居改非": ("CGZD", "COMPLEX15"), "房屋维修": ("FGB", "HOTLINE5"),
    "物业纠纷": ("FGB", "COMPLEX15"), "电瓶车入梯": ("WYGS", "QUICK1"), "飞线充电": ("PAB", "QUICK1"),
    "消防通道占用": ("PAB", "QUICK1"), "食品安全": ("SCJG", "HOTLINE5"), "劳动纠纷": ("FWB", "COMPLEX15"),
    "养老服务需求": ("FWB", "HOTLINE5"), "独居老人异常": ("FWB", "URGENT"),
    # 部件: found on patrol, no caller to contact.
    "上水井盖": ("SWS", "PATROL3"), "污水井盖": ("SWS", "PATROL3"), "雨水井盖": ("SWS", "PATROL3"),
    "消防栓": ("PAB", "PATROL3"), "路灯": ("JSZX", "PATROL3"), "电力设施": ("JSZX", "PATROL3"),
    "交通信号灯": ("JSZX", "PATROL3"), "交通护栏": ("JSZX", "PATROL3"), "非机动车停放点": ("WYGS", "PATROL3"),
    "公共厕所": ("LHSR", "PATROL3"), "垃圾箱房": ("LHSR", "PATROL3"), "果壳箱": ("LHSR", "PATROL3"),
    "行道树": ("LHSR", "PATROL3"), "绿地": ("LHSR", "PATROL3"),
    # 部件 whose alarms come from devices (物联感知): a smoke or gas alarm is handled at once.
    "烟感探测器": ("PAB", "URGENT"), "燃气报警器": ("PAB", "URGENT"), "门禁设施": ("WYGS", "QUICK1"),
}

# Place-specific scenarios: (category, 片区 name, department, process). 武宁路 is a commercial street, so
# street trading and shop noise there go to the 城管 squad; 梅岭南's low-lying lanes flood fast.
AREA_SCENARIOS = [
    ("占道经营", "武宁片区", "CGZD", "URGENT"),
    ("噪音扰民", "武宁片区", "CGZD", "QUICK1"),
    ("积水排水", "梅岭南片区", "SWS", "URGENT"),
]

FALLBACK_DEPARTMENT = "GLB"  # 社区管理办公室 takes what no department is configured for


def install(*, subdistrict: Subdistrict) -> dict:
    """Add the default processes and scenarios a subdistrict lacks; returns how many of each were added."""
    from jiedao.geo.models import Area

    added = {"processes": 0, "scenarios": 0}
    with transaction.atomic():
        processes = {}
        for code, name, days, hours, contact, contact_hours in PROCESSES:
            process, created = Process.objects.get_or_create(
                subdistrict=subdistrict, code=code,
                defaults={"name": name, "handle_days": days, "handle_hours": hours,
                          "first_contact_required": contact, "first_contact_hours": contact_hours},
            )
            processes[code] = process
            added["processes"] += created
        departments = {d.code: d for d in Department.objects.filter(subdistrict=subdistrict)}
        fallback = departments.get(FALLBACK_DEPARTMENT) or next(iter(departments.values()), None)
        if fallback is None:
            return added
        categories = {c.name: c for c in Category.objects.all()}
        rows = [(name, None, dept, proc) for name, (dept, proc) in SCENARIOS.items()] + AREA_SCENARIOS
        areas = {a.name: a for a in Area.objects.filter(subdistrict=subdistrict)}
        for seq, (name, area_name, dept, proc) in enumerate(rows, start=1):
            category = categories.get(name)
            area = areas.get(area_name) if area_name else None
            if category is None or (area_name and area is None):
                continue
            _scenario, created = Scenario.objects.get_or_create(
                subdistrict=subdistrict, code=f"CJ{seq:02d}",
                defaults={"name": f"{area_name or ''}{name}", "category": category, "area": area,
                          "department": departments.get(dept, fallback), "process": processes[proc]},
            )
            added["scenarios"] += created
    return added
