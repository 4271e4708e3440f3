"""The map page (地图): the subdistrict's places as layers on a plain background or a configured tile set."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from jiedao.core.access import ensure_perm
from jiedao.core.roles import Perm, ScopeLevel
from jiedao.core.scope import scope_of
from jiedao.geo import selectors

# The layer holding the place a user's scope names: the map opens on it (a grid worker on their grid).
FOCUS_LAYERS = {ScopeLevel.AREA: "areas", ScopeLevel.COMMUNITY: "communities", ScopeLevel.GRID: "grids"}


@login_required
def map_page(request):
    ensure_perm(request.user, Perm.VIEW_PLACES, message=_("您的角色无权查看地图"))
    subdistricts = list(selectors.subdistricts_for(user=request.user))
    current = next((s for s in subdistricts if s.pk == request.user.subdistrict_id), None)
    current = current or (subdistricts[0] if subdistricts else None)
    scope = scope_of(request.user)
    focus = None
    if scope.level in FOCUS_LAYERS and current is not None and current.pk == scope.subdistrict_id:
        focus = {"layer": FOCUS_LAYERS[scope.level], "id": scope.place_id}
    config = {
        "layersUrl": "/api/v1/geo/layers/",
        "subdistrict": current.pk if current else None,
        "center": [current.center_lat, current.center_lon] if current else [31.2304, 121.4737],
        "focus": focus,
        "tileUrl": settings.MAP_TILE_URL,
        "tileCrs": settings.MAP_TILE_CRS,
        "labels": {
            "areas": _("片区"), "communities": _("居委会"), "grids": _("网格"), "estates": _("小区"),
            "buildings": _("楼栋"), "roads": _("道路"), "approximate": _("示意几何，非测绘数据"),
        },
    }
    return render(
        request, "geo/map.html",
        {"config": config, "subdistricts": subdistricts, "current": current},
    )
