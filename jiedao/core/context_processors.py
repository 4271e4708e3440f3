"""The main navigation (主导航) of every page, and the tiles of the home page, from one list."""

from collections.abc import Callable

from django.contrib import admin
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jiedao.core.roles import Perm, Role, has_perm


def _perm(perm: str) -> Callable:
    return lambda request: has_perm(request.user, perm)


def _resident(request) -> bool:
    return request.user.role == Role.RESIDENT and request.user.subdistrict_id is not None


def _inspections_user(request) -> bool:
    return has_perm(request.user, Perm.VIEW_INSPECTIONS) or has_perm(request.user, Perm.DO_INSPECTIONS)


def _api_user(request) -> bool:
    """The API serves integrations: the 城运中心 connects the 12345 hotline and imports orders (cases.operate),
    the system administrator issues tokens and configures (users.manage), the auditor queries the log. Other
    roles work in the pages, so API documentation in their navigation is noise."""
    return any(has_perm(request.user, p) for p in (Perm.OPERATE_CASES, Perm.MANAGE_USERS, Perm.VIEW_AUDIT))


def _admin_site_user(request) -> bool:
    return admin.site.has_permission(request)


# (url name, label, who sees it: a test of the request, hint shown on the home page's tile or "").
# Later modules add their pages here.
NAVIGATION = [
    ("home", _("首页"), None, ""),
    ("map", _("地图"), _perm(Perm.VIEW_PLACES), ""),
    ("cases:queue", _("案件"), _perm(Perm.VIEW_CASES), ""),
    ("cases:kpis", _("考核指标"), _perm(Perm.VIEW_CASE_KPIS), ""),
    ("cases:mobile", _("移动巡查"), _perm(Perm.REPORT_CASES), ""),
    ("registry:search", _("实有人口"), _perm(Perm.VIEW_REGISTRY), ""),
    ("visits:today", _("走访"), _perm(Perm.DO_VISITS), ""),
    ("visits:board", _("走访看板"), _perm(Perm.MANAGE_VISITS), ""),
    # The figures for those who read them (leaders, the 居委 head), not every social worker's menu.
    ("visits:figures", _("走访统计"), lambda request: has_perm(request.user, Perm.VIEW_VISITS) and (
        not has_perm(request.user, Perm.DO_VISITS) or has_perm(request.user, Perm.MANAGE_VISITS)), ""),
    ("sensing:alarms", _("物联感知"), _perm(Perm.VIEW_SENSING), ""),
    # A department's handlers get the maintenance tasks of its devices that went offline.
    ("sensing:maintenance", _("设备维护"),
     lambda request: has_perm(request.user, Perm.HANDLE_CASES) and not has_perm(request.user, Perm.VIEW_SENSING), ""),
    ("facilities:map", _("生活圈"), _perm(Perm.VIEW_FACILITIES), ""),
    ("consult:list", _("征询与表决"), _perm(Perm.VIEW_CONSULT), ""),
    ("elevators:candidates", _("加装电梯"), _perm(Perm.VIEW_ELEVATORS), ""),
    # Scanners get their rounds on the phone; those who keep the points, shops and rooms get the desk.
    ("inspections:mine", _("我的巡检"), _perm(Perm.DO_INSPECTIONS), ""),
    ("inspections:points", _("巡检与垃圾分类"), lambda request: has_perm(request.user, Perm.MANAGE_INSPECTIONS) or (
        has_perm(request.user, Perm.VIEW_INSPECTIONS) and not has_perm(request.user, Perm.DO_INSPECTIONS)), ""),
    # 21 天打卡 for the 监督员 who record it and those who follow it; 大件垃圾预约's slots for the crews and the 居委.
    ("campaigns:list", _("21 天打卡"), _inspections_user, ""),
    ("campaigns:bulky", _("大件垃圾预约"), _inspections_user, ""),
    ("safety:ranking", _("平安指数"), _perm(Perm.VIEW_INSPECTIONS), ""),
    ("planning:home", _("规划监测"), _perm(Perm.VIEW_PLANNING), ""),
    ("cases:portal-cases", _("我的诉求"), _resident, _("您反映过的问题：办理进度、处置部门的答复和评价")),
    ("cases:portal-report", _("我要反映"), _resident, _("拍照上报身边的问题，街道派单处理")),
    ("campaigns:portal-bulky", _("大件垃圾预约"), _resident, _("预约大件垃圾收运时段，按时放到收运点")),
    ("planning:public-index", _("规划公开"), _resident, _("街道发展规划的目标、指标和重点项目进展")),
    ("audit-log", _("审计日志"), _perm(Perm.VIEW_AUDIT), ""),
    ("api:openapi-view", _("接口文档"), _api_user, ""),
    ("admin:index", _("系统管理"), _admin_site_user, ""),
]


def navigation(request):
    """``nav_items``: the pages the signed-in user may open, the current one marked ``active``."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    current = request.resolver_match.view_name if request.resolver_match else ""
    items = [
        {"name": name, "url": reverse(name), "label": label, "hint": hint, "active": name == current}
        for name, label, shown, hint in NAVIGATION if shown is None or shown(request)
    ]
    # A page outside the list (a plan's overview, a household) marks the one item of its module, if one.
    if not any(item["active"] for item in items) and ":" in current:
        module = [item for item in items if item["name"].split(":")[0] == current.split(":")[0]]
        if len(module) == 1:
            module[0]["active"] = True
    return {"nav_items": items}
