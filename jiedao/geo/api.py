"""Geo endpoints: layers as GeoJSON, point-in-grid placement, address parsing."""

from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema

from jiedao.core.api_frame import require
from jiedao.core.roles import Perm
from jiedao.core.scope import scope_of
from jiedao.geo import address, selectors
from jiedao.geo.gcj02 import wgs84_to_gcj02
from jiedao.geo.placement import place_point

router = Router(tags=["geo"])


def _to_gcj02(coords):
    if coords and isinstance(coords[0], int | float):
        return list(wgs84_to_gcj02(coords[0], coords[1]))
    return [_to_gcj02(c) for c in coords]


@router.get("/layers/{layer}", summary="图层 GeoJSON（片区、居委会、网格、小区、道路、楼栋）")
def layer(request, layer: str, subdistrict: int | None = None, crs: str = "wgs84"):
    require(request, Perm.VIEW_PLACES)
    if crs not in {"wgs84", "gcj02"}:
        raise ValidationError(_("坐标系只能是 wgs84 或 gcj02"))
    data = selectors.layer_geojson(user=request.user, layer=layer, subdistrict_id=subdistrict)
    if crs == "gcj02":  # converted here, at the map edge; stored data stays WGS84
        for feature in data["features"]:
            if feature["geometry"]:
                geometry = feature["geometry"]
                feature["geometry"] = {**geometry, "coordinates": _to_gcj02(geometry["coordinates"])}
    return JsonResponse(data, content_type="application/geo+json")


class PlaceOut(Schema):
    grid_id: int | None
    grid_code: str | None
    grid: str | None
    community: str | None
    area: str | None


@router.get("/place", response=PlaceOut, summary="坐标落格：WGS84 点所在网格")
def place(request, lon: str, lat: str):
    require(request, Perm.VIEW_PLACES)
    scope = scope_of(request.user)
    grid = place_point(lon=lon, lat=lat, subdistrict_id=None if scope.is_all else scope.subdistrict_id)
    if grid is None:
        return {"grid_id": None, "grid_code": None, "grid": None, "community": None, "area": None}
    return {
        "grid_id": grid.pk, "grid_code": grid.code, "grid": grid.name,
        "community": grid.community.name, "area": grid.community.area.name,
    }


class AddressOut(Schema):
    raw: str
    district: str | None
    subdistrict: str | None
    road: str | None
    lane: str | None
    number: str | None
    room: str | None
    estate: str | None
    building_id: int | None
    building_address: str | None
    grid_id: int | None
    message: str | None


@router.get("/address", response=AddressOut, summary="地址解析：路 / 弄 / 号 / 室，并匹配楼栋")
def parse_address(request, q: str):
    require(request, Perm.VIEW_PLACES)
    return address.parse_and_resolve(q, user=request.user)
