"""Writes of the facilities module: the register, its import, the walking network, the stored distances."""

from jiedao.facilities.services.access import refresh_access
from jiedao.facilities.services.imports import import_facilities
from jiedao.facilities.services.network import build_network_from_geo, geo_lines, import_osm_network
from jiedao.facilities.services.register import check_position, create_facility, update_facility

__all__ = [
    "build_network_from_geo", "check_position", "create_facility", "geo_lines", "import_facilities",
    "import_osm_network", "refresh_access", "update_facility",
]
