"""Roles, the area levels a user can be scoped to, and what each role may do.

Role permissions are code, not data: they are part of the platform's data-protection promise, and a change
to them is reviewed like code. Which *area* a user works in is data (the user's scope fields).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OPERATOR = "operator", _("城运中心操作员")
    HANDLER = "handler", _("部门处置人员")
    GRID_WORKER = "grid_worker", _("网格员")
    SOCIAL_WORKER = "social_worker", _("居委社工")
    COMMUNITY_HEAD = "community_head", _("居委负责人")  # 居委书记/主任: lays out and supervises the visits
    # 第三方督察 and the volunteers of 垃圾分类 (房长/桶长/监督员) who scan inspection labels: nothing else
    INSPECTOR = "inspector", _("巡查督察员")
    LEADER = "leader", _("街道领导")
    AUDITOR = "auditor", _("审计员")
    ADMIN = "admin", _("系统管理员")
    RESIDENT = "resident", _("居民")


class ScopeLevel(models.TextChoices):
    ALL = "all", _("全部街道")
    SUBDISTRICT = "subdistrict", _("全街道")
    AREA = "area", _("片区")
    COMMUNITY = "community", _("居委会")
    GRID = "grid", _("网格")
    DEPARTMENT = "department", _("部门")
    NONE = "none", _("无")


STAFF_ROLES = frozenset(Role) - {Role.RESIDENT}


class Perm(models.TextChoices):
    VIEW_PLACES = "geo.view", _("查看地理与地图")
    VIEW_AUDIT = "audit.view", _("查询审计日志")
    VIEW_REGISTRY = "registry.view", _("查看实有人口")
    EDIT_REGISTRY = "registry.edit", _("登记与维护实有人口")
    EXPORT_REGISTRY = "registry.export", _("导出实有人口")
    REVEAL_ID_NUMBER = "reveal.id_number", _("查看身份证号明文")
    REVEAL_PHONE = "reveal.phone", _("查看手机号明文")
    MANAGE_USERS = "users.manage", _("管理用户与配置")
    VIEW_PLANNING = "planning.view", _("查看规划监测")
    REPORT_PLANNING = "planning.report", _("填报规划项目与指标进展")
    MANAGE_PLANNING = "planning.manage", _("管理规划、指标与评估报告")
    VIEW_CASES = "cases.view", _("查看案件")
    REPORT_CASES = "cases.report", _("上报案件（巡查、走访）")
    OPERATE_CASES = "cases.operate", _("立案、派遣、核查、结案（城运中心）")
    HANDLE_CASES = "cases.handle", _("签收、先行联系、处置、反馈（处置部门）")
    VIEW_CASE_KPIS = "cases.kpi", _("查看案件考核指标")
    CONFIGURE_CASES = "cases.configure", _("配置分类、场景与处置流程")
    VIEW_VISITS = "visits.view", _("查看走访")  # 四百走访
    DO_VISITS = "visits.do", _("入户走访与回访")
    MANAGE_VISITS = "visits.manage", _("布置、调度与评价走访任务")
    CONFIGURE_VISITS = "visits.configure", _("配置走访规则与清单")
    VIEW_SENSING = "sensing.view", _("查看物联感知设备与告警")  # 物联感知
    MANAGE_SENSING = "sensing.manage", _("管理设备、告警规则与死信")
    VIEW_FACILITIES = "facilities.view", _("查看服务设施与生活圈")  # 15 分钟生活圈
    MANAGE_FACILITIES = "facilities.manage", _("维护服务设施与步行路网")
    VIEW_CONSULT = "consult.view", _("查看征询与表决")  # 征询与表决
    RUN_CONSULT = "consult.run", _("发起、开启与结束征询，更正业主与面积")
    BALLOT_CONSULT = "consult.ballot", _("录入与复核纸质票、委托票")
    VIEW_ELEVATORS = "elevators.view", _("查看加装电梯")  # 加装电梯（互联网+梯）
    MANAGE_ELEVATORS = "elevators.manage", _("踏勘、报价与推进加装电梯项目")
    CONFIGURE_ELEVATORS = "elevators.configure", _("配置可行性权重、造价表与补贴")
    VIEW_INSPECTIONS = "inspections.view", _("查看巡检、垃圾分类与平安指数")  # 二维码巡检、门责任制、垃圾分类
    DO_INSPECTIONS = "inspections.do", _("扫码巡检与检查记录")
    MANAGE_INSPECTIONS = "inspections.manage", _("管理巡检点、巡检计划、商铺与垃圾厢房")
    CONFIGURE_INSPECTIONS = "inspections.configure", _("配置检查清单、五星与平安指数规则")


ROLE_PERMS: dict[str, frozenset[str]] = {
    Role.OPERATOR: frozenset(
        {Perm.VIEW_PLACES, Perm.VIEW_REGISTRY, Perm.REVEAL_PHONE, Perm.VIEW_PLANNING,
         Perm.VIEW_CASES, Perm.REPORT_CASES, Perm.OPERATE_CASES, Perm.VIEW_CASE_KPIS, Perm.VIEW_SENSING,
         Perm.VIEW_FACILITIES,
         Perm.VIEW_INSPECTIONS, Perm.MANAGE_INSPECTIONS}
    ),
    # A handler phones the citizen (先行联系), so may see the phone number of a case's caller. Handlers'
    # departments are also the lead units (牵头单位) that report plan progress.
    Role.HANDLER: frozenset(
        {Perm.VIEW_PLACES, Perm.REVEAL_PHONE, Perm.VIEW_PLANNING, Perm.REPORT_PLANNING,
         Perm.VIEW_CASES, Perm.HANDLE_CASES, Perm.VIEW_CASE_KPIS}
    ),
    Role.GRID_WORKER: frozenset(
        {Perm.VIEW_PLACES, Perm.VIEW_REGISTRY, Perm.EDIT_REGISTRY, Perm.REVEAL_PHONE,
         Perm.VIEW_CASES, Perm.REPORT_CASES,
         Perm.VIEW_INSPECTIONS, Perm.DO_INSPECTIONS}
    ),
    Role.SOCIAL_WORKER: frozenset(
        {Perm.VIEW_PLACES, Perm.VIEW_REGISTRY, Perm.EDIT_REGISTRY, Perm.EXPORT_REGISTRY, Perm.REVEAL_ID_NUMBER,
         Perm.REVEAL_PHONE, Perm.VIEW_CASES, Perm.REPORT_CASES, Perm.VIEW_VISITS, Perm.DO_VISITS,
         Perm.VIEW_FACILITIES,
         Perm.VIEW_CONSULT, Perm.BALLOT_CONSULT, Perm.VIEW_ELEVATORS, Perm.VIEW_INSPECTIONS, Perm.DO_INSPECTIONS}
    ),
    # The 居委's head does what its social workers do, lays out, reassigns and reviews their visits, runs the
    # 居委's consultations (征询) and elevator projects, and keeps its inspection points, shops and rooms.
    Role.COMMUNITY_HEAD: frozenset(
        {Perm.VIEW_PLACES, Perm.VIEW_REGISTRY, Perm.EDIT_REGISTRY, Perm.EXPORT_REGISTRY, Perm.REVEAL_ID_NUMBER,
         Perm.REVEAL_PHONE, Perm.VIEW_CASES, Perm.REPORT_CASES, Perm.VIEW_VISITS, Perm.DO_VISITS,
         Perm.MANAGE_VISITS, Perm.VIEW_FACILITIES,
         Perm.VIEW_CONSULT, Perm.RUN_CONSULT, Perm.BALLOT_CONSULT, Perm.VIEW_ELEVATORS, Perm.MANAGE_ELEVATORS,
         Perm.VIEW_INSPECTIONS, Perm.DO_INSPECTIONS, Perm.MANAGE_INSPECTIONS}
    ),
    Role.LEADER: frozenset(
        {Perm.VIEW_PLACES, Perm.VIEW_REGISTRY, Perm.VIEW_PLANNING, Perm.MANAGE_PLANNING,
         Perm.VIEW_CASES, Perm.VIEW_CASE_KPIS, Perm.VIEW_VISITS, Perm.VIEW_SENSING, Perm.VIEW_FACILITIES,
         Perm.VIEW_CONSULT, Perm.VIEW_ELEVATORS, Perm.VIEW_INSPECTIONS}
    ),
    # 第三方督察 and 垃圾分类 volunteers scan the labels of the rounds they are given; they see no registry.
    Role.INSPECTOR: frozenset({Perm.VIEW_PLACES, Perm.DO_INSPECTIONS}),
    Role.AUDITOR: frozenset({Perm.VIEW_PLACES, Perm.VIEW_AUDIT, Perm.VIEW_PLANNING}),
    Role.ADMIN: frozenset(
        {Perm.VIEW_PLACES, Perm.VIEW_AUDIT, Perm.VIEW_REGISTRY, Perm.EDIT_REGISTRY, Perm.EXPORT_REGISTRY,
         Perm.MANAGE_USERS,
         Perm.VIEW_PLANNING, Perm.MANAGE_PLANNING, Perm.VIEW_CASES, Perm.VIEW_CASE_KPIS, Perm.CONFIGURE_CASES,
         Perm.VIEW_VISITS, Perm.CONFIGURE_VISITS, Perm.VIEW_SENSING, Perm.MANAGE_SENSING, Perm.VIEW_FACILITIES,
         Perm.MANAGE_FACILITIES,
         Perm.VIEW_CONSULT, Perm.RUN_CONSULT, Perm.VIEW_ELEVATORS, Perm.MANAGE_ELEVATORS, Perm.CONFIGURE_ELEVATORS,
         Perm.VIEW_INSPECTIONS, Perm.MANAGE_INSPECTIONS, Perm.CONFIGURE_INSPECTIONS}
    ),
    Role.RESIDENT: frozenset(),
}


def has_perm(user, perm: str) -> bool:
    """True when the user's role grants ``perm``. The superuser flag grants nothing here: it opens the
    Django admin (configuration and users); what a superuser may do with data is their role's."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return perm in ROLE_PERMS.get(user.role, frozenset())
