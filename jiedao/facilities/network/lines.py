"""A walking network from lines: roads, 小区 paths, any polylines in WGS84.

Lines that cross or touch are joined there (noded), overlapping stretches become one, and every straight
piece between two vertices becomes a segment. Each segment keeps the kind and name of the line it came from
(a road's name before a path's, where they overlap).
"""

from dataclasses import dataclass, field

import numpy as np
import shapely

from jiedao.facilities.network.graph import BaseGraph, Projection, haversine_m

# Coordinates are rounded to this many metres before noding, so that a path ending on a road joins it.
GRID_M = 0.01


@dataclass
class Line:
    coords: list[tuple[float, float]]  # (lon, lat), at least two
    kind: str  # "road", "estate_path", or an OSM highway value
    name: str = ""


@dataclass
class NetworkData:
    """A network ready to store: nodes with their refs, segments with kind and name, and notes."""

    graph: BaseGraph
    kind: list[str]
    name: list[str]
    notes: dict = field(default_factory=dict)


def network_from_lines(lines: list[Line]) -> NetworkData:
    lines = [ln for ln in lines if len(ln.coords) >= 2]
    if not lines:
        return NetworkData(BaseGraph.from_arrays([], [], [], [], [], []), [], [])
    all_lon = np.concatenate([np.asarray(ln.coords)[:, 0] for ln in lines])
    all_lat = np.concatenate([np.asarray(ln.coords)[:, 1] for ln in lines])
    projection = Projection.around(all_lon, all_lat)
    geoms = []
    for ln in lines:
        c = np.asarray(ln.coords, dtype=float)
        x, y = projection.xy(c[:, 0], c[:, 1])
        geoms.append(shapely.linestrings(np.column_stack([x, y])))
    geoms = shapely.set_precision(np.asarray(geoms), GRID_M)
    noded = shapely.union_all(geoms, grid_size=GRID_M)
    parts = shapely.get_parts(noded)
    coords, index = shapely.get_coordinates(parts, return_index=True)
    # Consecutive vertices of one part make a segment.
    same = index[1:] == index[:-1]
    seg_a = np.nonzero(same)[0]
    seg_b = seg_a + 1
    keys = np.round(coords / GRID_M).astype(np.int64)
    _uniq, first, node_index = np.unique(keys, axis=0, return_index=True, return_inverse=True)
    node_index = np.asarray(node_index).reshape(-1)
    node_x, node_y = coords[first, 0], coords[first, 1]
    lon, lat = projection.lonlat(node_x, node_y)
    u, v = node_index[seg_a], node_index[seg_b]
    keep = u != v
    u, v = u[keep], v[keep]
    # The line each segment lies on (its midpoint's nearest source line; roads first when tied).
    mid = shapely.points((node_x[u] + node_x[v]) / 2, (node_y[u] + node_y[v]) / 2)
    rank = np.array([0 if ln.kind == "road" else 1 for ln in lines])
    tree = shapely.STRtree(geoms)
    pi, gi = tree.query(mid, predicate="dwithin", distance=GRID_M * 10)
    best = np.full(len(u), -1, dtype=np.int64)
    order = np.lexsort((gi, rank[gi], pi))
    pi, gi = pi[order], gi[order]
    firsts = np.r_[True, pi[1:] != pi[:-1]] if len(pi) else np.zeros(0, dtype=bool)
    best[pi[firsts]] = gi[firsts]
    kind = [lines[i].kind if i >= 0 else "" for i in best]
    name = [lines[i].name if i >= 0 else "" for i in best]
    graph = BaseGraph.from_arrays(np.arange(1, len(lon) + 1), lon, lat, u, v,
                                  haversine_m(lon[u], lat[u], lon[v], lat[v]))
    return NetworkData(graph, kind, name)
