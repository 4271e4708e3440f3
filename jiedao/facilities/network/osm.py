"""Reading the walkable ways of an OpenStreetMap extract (``.osm.pbf`` or ``.osm``) with pyosmium.

Kept: ways whose ``highway`` is one people walk on (footways, paths, pedestrian streets, steps, residential
and service streets, and the ordinary roads with pavements), unless their tags say people may not
(``foot=no``, ``access=no/private`` without ``foot=yes``, ``motorroad=yes``, areas). Cycleways, bridleways and
busways only with ``foot=yes/designated/permissive``. Everything else (motorways, roads under construction,
platforms, …) is left out and counted by kind in the notes, so that nothing is dropped unsaid.

Only ways with a node in the subdistrict's box (plus a margin, since people walk across the boundary) are
kept. Node ids are OSM's. Data © OpenStreetMap contributors, under the ODbL.
"""

from collections import Counter
from itertools import pairwise
from pathlib import Path

import numpy as np
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from jiedao.facilities.network.graph import BaseGraph, haversine_m
from jiedao.facilities.network.lines import NetworkData

ATTRIBUTION = "© OpenStreetMap contributors"
WALKABLE = frozenset({
    "footway", "path", "pedestrian", "living_street", "steps", "corridor", "track", "residential", "service",
    "unclassified", "road", "tertiary", "tertiary_link", "secondary", "secondary_link", "primary",
    "primary_link", "trunk", "trunk_link",
})
WALKABLE_IF_FOOT = frozenset({"cycleway", "bridleway", "busway"})
FOOT_ALLOWED = frozenset({"yes", "designated", "permissive"})
M_PER_DEG_LAT = 111_320.0


def _refusal(tags) -> str | None:
    """Why a way tagged ``highway`` is not walkable (a short reason for the notes), or None."""
    highway = tags.get("highway")
    foot = tags.get("foot", "")
    if highway in WALKABLE_IF_FOOT:
        return None if foot in FOOT_ALLOWED else f"highway={highway}"
    if highway not in WALKABLE:
        return f"highway={highway}"
    if foot in ("no", "use_sidepath"):
        return f"foot={foot}"
    if tags.get("access") in ("no", "private") and foot not in FOOT_ALLOWED:
        return f"access={tags.get('access')}"
    if tags.get("motorroad") == "yes":
        return "motorroad=yes"
    if tags.get("area") == "yes":
        return "area=yes"
    return None


def read_osm(path: str | Path, *, bbox: tuple[float, float, float, float], margin_m: float = 1000) -> NetworkData:
    """The walkable network of the extract at ``path`` around ``bbox`` (lon_min, lat_min, lon_max, lat_max).

    Raises ValidationError for a file that cannot be read and for one with no walkable way in the area.
    """
    import osmium

    path = Path(path)
    if not path.name.endswith((".osm", ".osm.pbf", ".pbf", ".osm.bz2", ".osm.gz")):
        raise ValidationError(_("只支持 OpenStreetMap 的 .osm 或 .osm.pbf 文件：%(name)s") % {"name": path.name})
    lon_min, lat_min, lon_max, lat_max = bbox
    dlat = margin_m / M_PER_DEG_LAT
    dlon = margin_m / (M_PER_DEG_LAT * np.cos(np.radians((lat_min + lat_max) / 2)))
    lon_min, lon_max, lat_min, lat_max = lon_min - dlon, lon_max + dlon, lat_min - dlat, lat_max + dlat

    refused: Counter = Counter()
    node_lon: dict[int, float] = {}
    node_lat: dict[int, float] = {}
    a_refs: list[int] = []
    b_refs: list[int] = []
    kinds: list[str] = []
    names: list[str] = []
    kept = outside = broken = highway_ways = 0
    try:
        processor = osmium.FileProcessor(str(path), osmium.osm.NODE | osmium.osm.WAY).with_locations()
        for obj in processor.with_filter(osmium.filter.KeyFilter("highway")):
            if not obj.is_way():
                continue
            highway_ways += 1
            tags = {t.k: t.v for t in obj.tags}
            reason = _refusal(tags)
            if reason is not None:
                refused[reason] += 1
                continue
            nodes = [(n.ref, n.lon, n.lat) if n.location.valid() else None for n in obj.nodes]
            if any(n is None for n in nodes):
                broken += 1  # nodes missing from the extract: the way is cut at them
            inside = any(n is not None and lon_min <= n[1] <= lon_max and lat_min <= n[2] <= lat_max for n in nodes)
            if not inside:
                outside += 1
                continue
            kept += 1
            for first, second in pairwise(nodes):
                if first is None or second is None:
                    continue
                for ref, lon, lat in (first, second):
                    node_lon[ref], node_lat[ref] = lon, lat
                a_refs.append(first[0])
                b_refs.append(second[0])
                kinds.append(tags["highway"])
                names.append(tags.get("name", "")[:60])
    except (RuntimeError, ValueError, OSError) as exc:  # pyosmium reports a bad file as RuntimeError
        raise ValidationError(_("无法读取 OpenStreetMap 文件：%(error)s") % {"error": str(exc)[:200]}) from exc
    if not a_refs:
        if highway_ways == 0:
            message = _("OpenStreetMap 文件中没有道路（highway）")
        elif kept == 0 and outside:
            message = _("OpenStreetMap 文件中没有落在本街道范围内的可步行道路")
        else:
            message = _("OpenStreetMap 文件中没有可步行的道路（人行道、小路、居住区道路等）：%(refused)s") % {
                "refused": "、".join(f"{k} {n} 条" for k, n in refused.most_common()) or "—"}
        raise ValidationError(message)
    refs = np.array(sorted(node_lon), dtype=np.int64)
    lon = np.array([node_lon[r] for r in refs.tolist()])
    lat = np.array([node_lat[r] for r in refs.tolist()])
    u = np.searchsorted(refs, np.array(a_refs, dtype=np.int64))
    v = np.searchsorted(refs, np.array(b_refs, dtype=np.int64))
    graph = BaseGraph.from_arrays(refs, lon, lat, u, v, haversine_m(lon[u], lat[u], lon[v], lat[v]))
    notes = {"ways": kept, "excluded": dict(refused.most_common()), "outside": outside, "cut": broken}
    return NetworkData(graph, kinds, names, notes)
