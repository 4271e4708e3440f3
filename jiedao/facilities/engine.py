"""The access engine (可达性计算): a subdistrict's walking graph with its buildings and facilities attached,
and the distances computed on it.

An ``Engine`` is built from the database once and kept per process (``engine_for``) until what it was built
from changes: the network, the facilities (their count and latest change), the buildings or the connector
limit. The computations themselves are array work on the graph (``network.graph``): one multi-source
Dijkstra per facility type gives every building its nearest open facility of that type.
"""

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
from django.db.models import Count, Max

from jiedao.core.cache import ProcessCache
from jiedao.facilities.coverage import Groups
from jiedao.facilities.models import AccessSettings, Facility, FacilityType, WalkNetwork
from jiedao.facilities.network.graph import NOT_REACHED, BaseGraph, Graph, Points, attach
from jiedao.facilities.network.store import load_network
from jiedao.geo.models import Building

UNREACHABLE = np.inf


@dataclass
class Nearest:
    """For each building (in ``Engine.building_ids`` order): metres to the nearest facility among the
    sources (inf: none reachable) and that facility's id (0: none)."""

    distance: np.ndarray
    facility: np.ndarray


@dataclass
class Engine:
    subdistrict_id: int
    signature: str
    network: WalkNetwork | None
    graph: Graph
    settings: AccessSettings
    building_ids: np.ndarray
    building_community: np.ndarray
    building_area: np.ndarray
    building_lon: np.ndarray
    building_lat: np.ndarray
    facility_ids: np.ndarray
    facility_type: np.ndarray  # FacilityType pk
    facility_status: np.ndarray  # str
    facility_opened: list  # date or None
    facility_closed: list
    facility_lon: np.ndarray
    facility_lat: np.ndarray
    base: BaseGraph = field(repr=False)
    types: dict[int, FacilityType] = field(default_factory=dict)
    # Results kept with the engine (nearest facilities per type, isochrones): rebuilt with it on any change.
    memo: dict = field(default_factory=dict, repr=False)

    # ------------------------------------------------------------------ lookups
    @property
    def building_nodes(self) -> np.ndarray:
        return self.graph.node_of["b"]

    @property
    def facility_nodes(self) -> np.ndarray:
        return self.graph.node_of["f"]

    @property
    def building_attached(self) -> np.ndarray:
        return self.graph.attached["b"]

    @property
    def facility_attached(self) -> np.ndarray:
        return self.graph.attached["f"]

    @property
    def communities(self) -> Groups:
        """The buildings' 居委, found once."""
        if "communities" not in self.memo:
            self.memo["communities"] = Groups.of(self.building_community)
        return self.memo["communities"]

    @property
    def areas(self) -> Groups:
        """The buildings' 片区, found once."""
        if "areas" not in self.memo:
            self.memo["areas"] = Groups.of(self.building_area)
        return self.memo["areas"]

    def type_by_code(self, code: str) -> FacilityType | None:
        return next((t for t in self.types.values() if t.code == code), None)

    def open_mask(self, *, type_id: int, day: dt.date | None = None) -> np.ndarray:
        """Facilities of the type open now (status 运营中), or open on ``day`` (``Facility.open_on``)."""
        of_type = self.facility_type == type_id
        if day is None:
            return of_type & (self.facility_status == Facility.Status.OPEN)
        open_then = np.array([
            Facility(status=s, opened_on=o, closed_on=c).open_on(day)
            for s, o, c in zip(self.facility_status, self.facility_opened, self.facility_closed, strict=True)
        ], dtype=bool) if len(self.facility_ids) else np.zeros(0, dtype=bool)
        return of_type & open_then

    # ------------------------------------------------------------- distances
    def nearest(self, facilities: np.ndarray, *, extra_nodes: np.ndarray | None = None,
                graph: Graph | None = None) -> Nearest:
        """Each building's nearest among the facilities selected by the mask ``facilities`` (and
        ``extra_nodes``, nodes of hypothetical sites, reported as facility id -1)."""
        graph = graph or self.graph
        f_nodes = graph.node_of["f"][facilities]
        sources = f_nodes if extra_nodes is None else np.concatenate([f_nodes, extra_nodes])
        dist, source = graph.nearest(sources)
        b_nodes = graph.node_of["b"]
        node_to_facility = np.zeros(graph.n_nodes, dtype=np.int64)
        node_to_facility[f_nodes] = self.facility_ids[facilities]
        if extra_nodes is not None:
            node_to_facility[extra_nodes] = -1
        src = source[b_nodes]
        facility = np.where(src == NOT_REACHED, 0, node_to_facility[np.maximum(src, 0)])
        return Nearest(dist[b_nodes], facility)

    def nearest_of_type(self, type_id: int, *, day: dt.date | None = None) -> Nearest:
        return self.nearest(self.open_mask(type_id=type_id, day=day))

    def speed_for(self, facility_type: FacilityType) -> float:
        return self.settings.speed_for(facility_type)

    def with_points(self, lon, lat) -> tuple[Graph, np.ndarray, np.ndarray]:
        """The graph with extra points attached (hypothetical sites): the new graph, their nodes and whether
        each joined the network."""
        points = [Points.of("b", self.building_ids, self.building_lon, self.building_lat),
                  Points.of("f", self.facility_ids, self.facility_lon, self.facility_lat),
                  Points.of("c", np.arange(len(lon)), lon, lat)]
        graph = attach(self.base, points, max_connector_m=self.settings.max_connector_m)
        return graph, graph.node_of["c"], graph.attached["c"]


def signature(subdistrict_id: int) -> str:
    """What an engine (and the stored distances) was computed from; a change means computing again."""
    network = WalkNetwork.objects.filter(subdistrict_id=subdistrict_id).values_list("pk", "created_at").first()
    facilities = Facility.objects.filter(subdistrict_id=subdistrict_id).aggregate(n=Count("pk"), at=Max("updated_at"))
    buildings = Building.objects.filter(subdistrict_id=subdistrict_id).aggregate(n=Count("pk"), last=Max("pk"))
    settings = AccessSettings.for_subdistrict(subdistrict_id)
    return (f"net:{network[0] if network else 0}@{network[1].timestamp() if network else 0}"
            f"|fac:{facilities['n']}@{facilities['at'].timestamp() if facilities['at'] else 0}"
            f"|bld:{buildings['n']}/{buildings['last'] or 0}|max:{settings.max_connector_m:g}")


def build_engine(subdistrict_id: int) -> Engine:
    sig = signature(subdistrict_id)
    network = WalkNetwork.objects.filter(subdistrict_id=subdistrict_id).first()
    base = load_network(network.pk) if network else BaseGraph.from_arrays([], [], [], [], [], [])
    settings = AccessSettings.for_subdistrict(subdistrict_id)
    b = list(Building.objects.filter(subdistrict_id=subdistrict_id).order_by("pk")
             .values_list("pk", "community_id", "community__area_id", "lon", "lat"))
    f = list(Facility.objects.filter(subdistrict_id=subdistrict_id).order_by("pk")
             .values_list("pk", "type_id", "status", "opened_on", "closed_on", "lon", "lat"))
    b_arr = np.array([row for row in b], dtype=float).reshape(-1, 5)
    f_ids = np.array([row[0] for row in f], dtype=np.int64)
    f_lon = np.array([row[5] for row in f], dtype=float)
    f_lat = np.array([row[6] for row in f], dtype=float)
    points = [Points.of("b", b_arr[:, 0].astype(np.int64), b_arr[:, 3], b_arr[:, 4]),
              Points.of("f", f_ids, f_lon, f_lat)]
    graph = attach(base, points, max_connector_m=settings.max_connector_m)
    return Engine(
        subdistrict_id=subdistrict_id, signature=sig, network=network, graph=graph, settings=settings,
        building_ids=b_arr[:, 0].astype(np.int64), building_community=b_arr[:, 1].astype(np.int64),
        building_area=b_arr[:, 2].astype(np.int64), building_lon=b_arr[:, 3], building_lat=b_arr[:, 4],
        facility_ids=f_ids, facility_type=np.array([row[1] for row in f], dtype=np.int64),
        facility_status=np.array([row[2] for row in f], dtype=object),
        facility_opened=[row[3] for row in f], facility_closed=[row[4] for row in f],
        facility_lon=f_lon, facility_lat=f_lat, base=base,
        types={t.pk: t for t in FacilityType.objects.all()},
    )


# Each process keeps the engine of each subdistrict it serves. A save in this process clears it at once; the
# signature, checked on every use, catches what another process changed (and a bulk write that touches
# updated_at); the TTL bounds how long any other bulk write goes unseen.
_engines: ProcessCache[Engine] = ProcessCache(
    ttl=300, cleared_by=[Facility, FacilityType, WalkNetwork, AccessSettings, Building])


def forget(subdistrict_id: int) -> None:
    """Build the subdistrict's engine afresh on its next use (after changes made behind the module's back)."""
    _engines.clear(subdistrict_id)


def engine_for(subdistrict_id: int) -> Engine:
    """The subdistrict's engine, built again when what it was built from has changed."""
    engine = _engines.get(subdistrict_id, lambda: build_engine(subdistrict_id))
    if engine.signature != signature(subdistrict_id):
        _engines.clear(subdistrict_id)
        engine = _engines.get(subdistrict_id, lambda: build_engine(subdistrict_id))
    return engine
