from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jiedao.core.roles import Perm, has_perm

# (url name, label, permission or None for every signed-in user). Later modules add their pages here.
NAVIGATION = [
    ("home", _("首页"), None),
    ("map", _("地图"), Perm.VIEW_PLACES),
    ("cases:queue", _("案件"), Perm.VIEW_CASES),
    ("cases:kpis", _("考核指标"), Perm.VIEW_CASE_KPIS),
    ("cases:mobile", _("移动巡查"), Perm.REPORT_CASES),
    ("registry:search", _("实有人口"), Perm.VIEW_REGISTRY),
    ("planning:home", _("规划监测"), Perm.VIEW_PLANNING),
    ("audit-log", _("审计日志"), Perm.VIEW_AUDIT),
    ("api-docs", _("接口文档"), None),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    current = request.resolver_match.view_name if request.resolver_match else ""
    items = []
    for name, label, perm in NAVIGATION:
        if perm is None or has_perm(user, perm):
            url = reverse("api:openapi-view") if name == "api-docs" else reverse(name)
            items.append({"url": url, "label": label, "active": name == current})
    return {"nav_items": items}
