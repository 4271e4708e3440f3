"""The walking graph as arrays, and what is done on it: attaching points, shortest distances, isochrones.

No database here. A ``BaseGraph`` is the stored network (nodes and straight segments between them). ``attach``
connects points (building entrances, facilities, candidate sites) to it: each point joins the nearest point
of the nearest segment by a straight connector, and that segment is split there. The result, a ``Graph``, is
the walking graph exactly as every distance is computed on it (and as ``network.geojson`` exports it).

Node ids (``Graph.labels``): ``n<ref>`` a node of the stored network (its OSM id, or a sequence number),
``p<k>`` a point where a connector meets a segment, ``<prefix><id>`` an attached point (``b`` building,
``f`` facility, ``c`` candidate site).

Distances are metres along the network: segment lengths are great-circle lengths of their ends; a split
segment's parts share its length in proportion. Shortest paths are scipy's csgraph Dijkstra on a sparse
matrix, from many sources at once (each node gets its distance to the nearest source and which one it is).
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import shapely
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components, dijkstra

EARTH_RADIUS_M = 6_371_008.8
# A zero-length edge (two points at the same place) gets this length: csgraph reads an explicit zero in a
# sparse matrix as "no edge".
EPSILON_M = 1e-6
# A point this close to a segment's end joins the end's node rather than splitting the segment.
END_TOLERANCE_M = 0.01
NOT_REACHED = -1


def haversine_m(lon1, lat1, lon2, lat2) -> np.ndarray:
    """Great-circle distance in metres between (arrays of) WGS84 points."""
    lon1, lat1, lon2, lat2 = (np.radians(np.asarray(a, dtype=float)) for a in (lon1, lat1, lon2, lat2))
    h = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(h, 0, 1)))


@dataclass(frozen=True)
class Projection:
    """A local plane in metres around (lon0, lat0): equirectangular, which over the few kilometres of a
    subdistrict is within a fraction of a per cent of the ground. Used to find nearest segments and to draw
    isochrones; lengths come from ``haversine_m``."""

    lon0: float
    lat0: float

    @classmethod
    def around(cls, lon, lat) -> "Projection":
        lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
        if lon.size == 0:
            return cls(0.0, 0.0)
        return cls(float((lon.min() + lon.max()) / 2), float((lat.min() + lat.max()) / 2))

    @property
    def _k(self) -> tuple[float, float]:
        ky = np.pi * EARTH_RADIUS_M / 180
        return ky * np.cos(np.radians(self.lat0)), ky

    def xy(self, lon, lat) -> tuple[np.ndarray, np.ndarray]:
        kx, ky = self._k
        return (np.asarray(lon, dtype=float) - self.lon0) * kx, (np.asarray(lat, dtype=float) - self.lat0) * ky

    def lonlat(self, x, y) -> tuple[np.ndarray, np.ndarray]:
        kx, ky = self._k
        return np.asarray(x, dtype=float) / kx + self.lon0, np.asarray(y, dtype=float) / ky + self.lat0

    def to_lonlat_geometry(self, geometry):
        """A shapely geometry in this plane, in WGS84 longitude/latitude."""
        return shapely.transform(geometry, lambda xy: np.column_stack(self.lonlat(xy[:, 0], xy[:, 1])))


@dataclass
class BaseGraph:
    """The stored network: nodes (``refs``, coordinates) and undirected segments between them."""

    refs: np.ndarray  # int64
    lon: np.ndarray
    lat: np.ndarray
    u: np.ndarray  # int64 indices into the nodes
    v: np.ndarray
    length: np.ndarray  # metres

    @classmethod
    def from_arrays(cls, refs, lon, lat, u, v, length=None) -> "BaseGraph":
        lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
        u, v = np.asarray(u, dtype=np.int64), np.asarray(v, dtype=np.int64)
        if length is None:
            length = haversine_m(lon[u], lat[u], lon[v], lat[v])
        return cls(np.asarray(refs, dtype=np.int64), lon, lat, u, v, np.asarray(length, dtype=float))

    @property
    def n_nodes(self) -> int:
        return len(self.refs)

    def distance_to(self, lon, lat) -> np.ndarray:
        """Metres from each point to the nearest segment (inf when there is none)."""
        lon, lat = np.atleast_1d(np.asarray(lon, dtype=float)), np.atleast_1d(np.asarray(lat, dtype=float))
        out = np.full(len(lon), np.inf)
        if len(self.u) == 0 or len(lon) == 0:
            return out
        projection = Projection.around(self.lon, self.lat)
        x, y = projection.xy(self.lon, self.lat)
        segments = shapely.linestrings(np.stack([np.column_stack([x[self.u], y[self.u]]),
                                                 np.column_stack([x[self.v], y[self.v]])], axis=1))
        px, py = projection.xy(lon, lat)
        (point, _segment), distance = shapely.STRtree(segments).query_nearest(
            shapely.points(px, py), return_distance=True, all_matches=False)
        out[point] = distance
        return out

    def components(self) -> np.ndarray:
        """The connected part each node belongs to (0 = the largest)."""
        if self.n_nodes == 0:
            return np.zeros(0, dtype=np.int64)
        matrix = csr_matrix((np.ones(len(self.u)), (self.u, self.v)), shape=(self.n_nodes, self.n_nodes))
        _count, labels = connected_components(matrix, directed=False)
        sizes = np.bincount(labels)
        rank = np.empty_like(sizes)
        rank[np.argsort(-sizes, kind="stable")] = np.arange(len(sizes))
        return rank[labels]


@dataclass
class Points:
    """Points to attach, all of one kind: ``prefix`` (``b``, ``f``, ``c``) and their ids."""

    prefix: str
    ids: np.ndarray
    lon: np.ndarray
    lat: np.ndarray

    @classmethod
    def of(cls, prefix: str, ids, lon, lat) -> "Points":
        return cls(prefix, np.asarray(ids, dtype=np.int64), np.asarray(lon, dtype=float),
                   np.asarray(lat, dtype=float))


@dataclass
class Graph:
    """The walking graph as used: the base network with its segments split where points join it, the
    connectors, and one node for every attached point."""

    labels: np.ndarray  # node ids as strings (see the module docstring)
    lon: np.ndarray
    lat: np.ndarray
    u: np.ndarray
    v: np.ndarray
    length: np.ndarray
    connector: np.ndarray  # bool per edge: a connector from an attached point to the network
    node_of: dict[str, np.ndarray]  # prefix → node index of each point, in the order given
    attached: dict[str, np.ndarray]  # prefix → bool: joined the network (within the limit)
    projection: Projection
    matrix: csr_matrix = field(repr=False, default=None)

    def __post_init__(self):
        if self.matrix is None:
            n = len(self.labels)
            self.matrix = csr_matrix((self.length, (self.u, self.v)), shape=(n, n))

    @property
    def n_nodes(self) -> int:
        return len(self.labels)

    def nearest(self, sources, *, limit: float = np.inf) -> tuple[np.ndarray, np.ndarray]:
        """For every node: the distance to the nearest of ``sources`` (node indices; inf when none is
        reachable within ``limit``) and which source that is (its node index, ``NOT_REACHED`` otherwise)."""
        sources = np.unique(np.asarray(sources, dtype=np.int64))
        if len(sources) == 0:
            return np.full(self.n_nodes, np.inf), np.full(self.n_nodes, NOT_REACHED, dtype=np.int64)
        dist, _pred, source = dijkstra(self.matrix, directed=False, indices=sources, return_predecessors=True,
                                       min_only=True, limit=limit)
        source = np.where(np.isfinite(dist), source, NOT_REACHED).astype(np.int64)
        return dist, source

    def from_each(self, sources, *, limit: float, targets) -> np.ndarray:
        """Distances from each of ``sources`` (rows) to each of ``targets`` (columns), searched only as far
        as ``limit`` (inf beyond). Run in batches so that the matrix over all nodes stays small."""
        sources = np.asarray(sources, dtype=np.int64)
        targets = np.asarray(targets, dtype=np.int64)
        out = np.full((len(sources), len(targets)), np.inf)
        batch = max(1, 2_000_000 // max(1, self.n_nodes))
        for start in range(0, len(sources), batch):
            rows = dijkstra(self.matrix, directed=False, indices=sources[start:start + batch], limit=limit)
            out[start:start + batch] = rows[:, targets]
        return out


def attach(base: BaseGraph, points: list[Points], *, max_connector_m: float) -> Graph:
    """Join every point to the nearest point of the nearest segment of ``base`` (splitting the segment
    there), if that lies within ``max_connector_m``; a point farther away gets a node with no edge, so that
    everything is unreachable from it (``Graph.attached`` says which)."""
    projection = Projection.around(base.lon, base.lat)
    bx, by = projection.xy(base.lon, base.lat)
    n_base = base.n_nodes
    px = np.concatenate([projection.xy(p.lon, p.lat)[0] for p in points]) if points else np.zeros(0)
    py = np.concatenate([projection.xy(p.lon, p.lat)[1] for p in points]) if points else np.zeros(0)
    n_points = len(px)

    # The nearest segment of each point (one, within the limit).
    seg_ax, seg_ay, seg_bx, seg_by = bx[base.u], by[base.u], bx[base.v], by[base.v]
    matched_point = np.zeros(0, dtype=np.int64)
    matched_edge = np.zeros(0, dtype=np.int64)
    if len(base.u) and n_points:
        segments = shapely.linestrings(np.stack([np.column_stack([seg_ax, seg_ay]),
                                                 np.column_stack([seg_bx, seg_by])], axis=1))
        tree = shapely.STRtree(segments)
        (matched_point, matched_edge), _d = tree.query_nearest(
            shapely.points(px, py), max_distance=max_connector_m, return_distance=True, all_matches=False)
        order = np.argsort(matched_point, kind="stable")
        matched_point, matched_edge = matched_point[order], matched_edge[order]

    # Where on the segment: t in [0, 1] from its first node.
    e = matched_edge
    dx, dy = seg_bx[e] - seg_ax[e], seg_by[e] - seg_ay[e]
    seg_len_xy = np.hypot(dx, dy)
    with np.errstate(invalid="ignore", divide="ignore"):
        t = ((px[matched_point] - seg_ax[e]) * dx + (py[matched_point] - seg_ay[e]) * dy) / seg_len_xy ** 2
    t = np.clip(np.nan_to_num(t, nan=0.0), 0.0, 1.0)
    t = np.where(t * seg_len_xy < END_TOLERANCE_M, 0.0, t)
    t = np.where((1 - t) * seg_len_xy < END_TOLERANCE_M, 1.0, t)

    # Interior points become new nodes, one per distinct (segment, t).
    interior = (t > 0) & (t < 1)
    keys = np.column_stack([e[interior].astype(float), t[interior]])
    unique_keys, inverse = (np.unique(keys, axis=0, return_inverse=True) if len(keys)
                            else (np.zeros((0, 2)), np.zeros(0, dtype=np.int64)))
    inverse = np.asarray(inverse).reshape(-1)
    n_split = len(unique_keys)
    split_edge = unique_keys[:, 0].astype(np.int64)
    split_t = unique_keys[:, 1]
    split_node = n_base + np.arange(n_split, dtype=np.int64)
    sx = seg_ax[split_edge] + split_t * (seg_bx[split_edge] - seg_ax[split_edge])
    sy = seg_ay[split_edge] + split_t * (seg_by[split_edge] - seg_ay[split_edge])
    split_lon, split_lat = projection.lonlat(sx, sy)

    # Split segments: u → p1 → … → pk → v, the parts sharing the segment's length.
    first = np.r_[True, split_edge[1:] != split_edge[:-1]] if n_split else np.zeros(0, dtype=bool)
    last = np.r_[split_edge[1:] != split_edge[:-1], True] if n_split else np.zeros(0, dtype=bool)
    prev_node = np.where(first, base.u[split_edge], np.r_[0, split_node[:-1]] if n_split else split_node)
    prev_t = np.where(first, 0.0, np.r_[0.0, split_t[:-1]] if n_split else split_t)
    part_u = np.concatenate([prev_node, split_node[last]])
    part_v = np.concatenate([split_node, base.v[split_edge[last]]])
    part_len = np.concatenate([(split_t - prev_t) * base.length[split_edge],
                               (1 - split_t[last]) * base.length[split_edge[last]]])
    kept = np.ones(len(base.u), dtype=bool)
    kept[split_edge] = False

    # Every point gets a node; attached ones a connector to where they join.
    point_node = n_base + n_split + np.arange(n_points, dtype=np.int64)
    join_node = np.where(t == 0, base.u[e], base.v[e]).astype(np.int64)
    join_node[interior] = split_node[inverse]
    node_lon = np.concatenate([base.lon, split_lon, *[p.lon for p in points]])
    node_lat = np.concatenate([base.lat, split_lat, *[p.lat for p in points]])
    connector_len = haversine_m(node_lon[point_node[matched_point]], node_lat[point_node[matched_point]],
                                node_lon[join_node], node_lat[join_node])

    u = np.concatenate([base.u[kept], part_u, point_node[matched_point]])
    v = np.concatenate([base.v[kept], part_v, join_node])
    length = np.concatenate([base.length[kept], part_len, connector_len])
    connector = np.concatenate([np.zeros(kept.sum() + len(part_u), dtype=bool), np.ones(len(join_node), dtype=bool)])
    u, v, length, connector = _simple(u, v, length, connector)

    labels = np.concatenate([
        np.char.add("n", base.refs.astype(str)) if n_base else np.zeros(0, dtype=str),
        np.char.add("p", np.arange(1, n_split + 1).astype(str)) if n_split else np.zeros(0, dtype=str),
        *[np.char.add(p.prefix, p.ids.astype(str)) if len(p.ids) else np.zeros(0, dtype=str) for p in points],
    ]).astype(object)
    node_of, attached, offset = {}, {}, 0
    is_attached = np.zeros(n_points, dtype=bool)
    is_attached[matched_point] = True
    for p in points:
        node_of[p.prefix] = point_node[offset:offset + len(p.ids)]
        attached[p.prefix] = is_attached[offset:offset + len(p.ids)]
        offset += len(p.ids)
    return Graph(labels, node_lon, node_lat, u, v, length, connector, node_of, attached, projection)


def _simple(u, v, length, connector):
    """One undirected edge per pair of nodes (the shortest, if several), none from a node to itself, and no
    zero length (csgraph would read it as no edge)."""
    keep = u != v
    u, v, length, connector = u[keep], v[keep], length[keep], connector[keep]
    lo, hi = np.minimum(u, v), np.maximum(u, v)
    order = np.lexsort((length, hi, lo))
    lo, hi, length, connector = lo[order], hi[order], length[order], connector[order]
    first = np.r_[True, (lo[1:] != lo[:-1]) | (hi[1:] != hi[:-1])] if len(lo) else np.zeros(0, dtype=bool)
    return lo[first], hi[first], np.maximum(length[first], EPSILON_M), connector[first]


# ------------------------------------------------------------------------------------------------ isochrones

@dataclass
class Reach:
    """The parts of the network's segments within ``within`` metres of the sources, in the local plane, with
    the source (node index) each part is nearest to."""

    ax: np.ndarray
    ay: np.ndarray
    bx: np.ndarray
    by: np.ndarray
    owner: np.ndarray


def reach(graph: Graph, dist: np.ndarray, source: np.ndarray, within: float) -> Reach:
    """Which stretches of street lie within ``within`` metres of walking (connectors left out: they are the
    short walk from a door to the street, not streets)."""
    street = ~graph.connector
    a, b, length = graph.u[street], graph.v[street], graph.length[street]
    da, db = dist[a], dist[b]
    x, y = graph.projection.xy(graph.lon, graph.lat)
    with np.errstate(invalid="ignore"):
        # How far along the segment (as a share of it) walking reaches from each end: 0 when it does not.
        sa = np.where(da <= within, np.clip((within - da) / length, 0, 1), 0.0)
        sb = np.where(db <= within, np.clip((within - db) / length, 0, 1), 0.0)
        # Reached whole: the part nearer a goes to a's source, the rest to b's (they meet where the walks
        # from both ends are equal; inf - inf cannot happen here, as a whole segment is reached from an end).
        meet = np.clip((db - da + length) / (2 * length), 0, 1)
    whole = sa + sb >= 1
    end_a = np.where(whole, meet, sa)  # [0, end_a] belongs to a's source
    start_b = np.where(whole, meet, 1 - sb)  # [start_b, 1] to b's
    from_a, from_b = end_a > 0, start_b < 1
    pa = np.concatenate([a[from_a], a[from_b]])
    pb = np.concatenate([b[from_a], b[from_b]])
    s0 = np.concatenate([np.zeros(from_a.sum()), start_b[from_b]])
    s1 = np.concatenate([end_a[from_a], np.ones(from_b.sum())])
    owner = np.concatenate([source[a[from_a]], source[b[from_b]]])
    return Reach(x[pa] + s0 * (x[pb] - x[pa]), y[pa] + s0 * (y[pb] - y[pa]),
                 x[pa] + s1 * (x[pb] - x[pa]), y[pa] + s1 * (y[pb] - y[pa]), owner)


def isochrones(graph: Graph, reached: Reach, *, width_m: float = 30.0, simplify_m: float = 3.0) -> Mapping[int, dict]:
    """One polygon (GeoJSON, WGS84) per source: the streets reached from it, ``width_m`` either side. The
    outline follows the network, not a circle around the source."""
    out = {}
    if len(reached.owner) == 0:
        return out
    lines = shapely.linestrings(np.stack([np.column_stack([reached.ax, reached.ay]),
                                          np.column_stack([reached.bx, reached.by])], axis=1))
    for owner in np.unique(reached.owner):
        if owner < 0:
            continue
        mine = shapely.multilinestrings(lines[reached.owner == owner])
        area = shapely.buffer(mine, width_m, quad_segs=3).simplify(simplify_m)
        out[int(owner)] = shapely.geometry.mapping(graph.projection.to_lonlat_geometry(area))
    return out
