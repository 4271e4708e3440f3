"""Building the walking network (步行路网): from the geo module's roads and 小区 outlines (with any extra 小区
paths), or imported from an OpenStreetMap extract. Either replaces the subdistrict's network, is audited, and
brings the stored distances up to date."""

from pathlib import Path

import shapely
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jiedao.core import audit
from jiedao.core.models import AuditAction, Subdistrict, User
from jiedao.facilities.models import WalkNetwork
from jiedao.facilities.network.lines import Line, NetworkData, network_from_lines
from jiedao.facilities.network.osm import ATTRIBUTION, read_osm
from jiedao.facilities.network.store import save_network
from jiedao.facilities.services.access import refresh_access
from jiedao.facilities.services.register import can_manage
from jiedao.geo.models import Estate, Road


def _lines_of(geometry: dict | None) -> list[list[tuple[float, float]]]:
    if not geometry:
        return []
    shape = shapely.geometry.shape(geometry)
    if shape.geom_type in ("Polygon", "MultiPolygon"):
        shape = shape.boundary
    return [list(part.coords) for part in shapely.get_parts(shape) if part.geom_type in ("LineString", "LinearRing")]


def geo_lines(*, subdistrict: Subdistrict, estate_outlines: bool = True) -> list[Line]:
    """The geo module's roads, and the outline of each 小区 as the path along its edge."""
    lines = [Line(coords, "road", road.name) for road in Road.objects.filter(subdistrict=subdistrict)
             for coords in _lines_of(road.geometry)]
    if estate_outlines:
        lines += [Line(coords, "estate_path", estate.name) for estate in Estate.objects.filter(subdistrict=subdistrict)
                  for coords in _lines_of(estate.geometry)]
    return lines


def _store(*, subdistrict: Subdistrict, data: NetworkData, source: str, name: str, attribution: str,
           by: User | None) -> WalkNetwork:
    with transaction.atomic():
        network = save_network(subdistrict_id=subdistrict.pk, data=data, source=source, name=name,
                               attribution=attribution, by=by)
        audit.record(actor=by or "jiedao", action=AuditAction.IMPORT, obj=network,
                     detail={"nodes": network.node_count, "edges": network.edge_count, "source": source})
        refresh_access(subdistrict_id=subdistrict.pk)
    return network


@audit.records_refusals
def build_network_from_geo(*, subdistrict: Subdistrict, by: User | None, paths: list[Line] = (),
                           estate_outlines: bool = True, name: str = "") -> WalkNetwork:
    """The network from the geo module's roads and 小区 outlines, with ``paths`` (小区 internal paths)."""
    can_manage(by)
    lines = geo_lines(subdistrict=subdistrict, estate_outlines=estate_outlines) + list(paths)
    if not lines:
        raise ValidationError(
            _("%(name)s在地理库中没有道路，也没有小区范围，无法生成步行路网") % {"name": subdistrict.name})
    data = network_from_lines(lines)
    return _store(subdistrict=subdistrict, data=data, source=WalkNetwork.Source.GEO,
                  name=name or _("%(name)s道路与小区内部道路") % {"name": subdistrict.name}, attribution="", by=by)


def subdistrict_bbox(subdistrict: Subdistrict) -> tuple[float, float, float, float]:
    if subdistrict.boundary:
        return tuple(shapely.geometry.shape(subdistrict.boundary).bounds)
    return (subdistrict.center_lon - 0.01, subdistrict.center_lat - 0.01,
            subdistrict.center_lon + 0.01, subdistrict.center_lat + 0.01)


@audit.records_refusals
def import_osm_network(*, subdistrict: Subdistrict, path: str | Path, by: User | None, margin_m: float = 1000,
                       name: str = "") -> WalkNetwork:
    """The walkable ways of an OpenStreetMap extract around the subdistrict (``network.osm``)."""
    can_manage(by)
    data = read_osm(path, bbox=subdistrict_bbox(subdistrict), margin_m=margin_m)
    return _store(subdistrict=subdistrict, data=data, source=WalkNetwork.Source.OSM, name=name or Path(path).name,
                  attribution=ATTRIBUTION, by=by)
