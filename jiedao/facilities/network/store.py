"""Saving a walking network to the database and reading it back as arrays."""

import numpy as np
from django.db import transaction

from jiedao.facilities.models import WalkEdge, WalkNetwork, WalkNode
from jiedao.facilities.network.graph import BaseGraph
from jiedao.facilities.network.lines import NetworkData

BATCH = 5000


@transaction.atomic
def save_network(*, subdistrict_id: int, data: NetworkData, source: str, name: str, attribution: str = "",
                 by=None) -> WalkNetwork:
    """Replace the subdistrict's walking network with ``data``."""
    WalkNetwork.objects.filter(subdistrict_id=subdistrict_id).delete()
    g = data.graph
    components = g.components()
    sizes = np.bincount(components) if len(components) else np.zeros(0, dtype=np.int64)
    notes = {**data.notes, "parts": len(sizes), "largest_part_nodes": int(sizes[0]) if len(sizes) else 0,
             "isolated_nodes": int(np.count_nonzero(sizes[1:] < 3)) if len(sizes) > 1 else 0}
    network = WalkNetwork.objects.create(
        subdistrict_id=subdistrict_id, source=source, name=name[:200], attribution=attribution,
        node_count=g.n_nodes, edge_count=len(g.u), length_km=round(float(g.length.sum()) / 1000, 3),
        notes=notes, created_by=by,
    )
    WalkNode.objects.bulk_create(
        [WalkNode(network=network, ref=int(r), lon=float(x), lat=float(y))
         for r, x, y in zip(g.refs.tolist(), g.lon.tolist(), g.lat.tolist(), strict=True)],
        batch_size=BATCH,
    )
    pk_of = dict(WalkNode.objects.filter(network=network).values_list("ref", "pk"))
    pks = np.array([pk_of[r] for r in g.refs.tolist()], dtype=np.int64)
    WalkEdge.objects.bulk_create(
        [WalkEdge(network=network, a_id=int(pks[a]), b_id=int(pks[b]), length_m=round(float(length), 3),
                  kind=kind[:24], name=name_[:60])
         for a, b, length, kind, name_ in zip(g.u.tolist(), g.v.tolist(), g.length.tolist(), data.kind, data.name,
                                              strict=True)],
        batch_size=BATCH,
    )
    return network


def load_network(network_id: int) -> BaseGraph:
    """The stored network as arrays (lengths as stored, so that every reader uses the same numbers)."""
    nodes = np.array(list(WalkNode.objects.filter(network_id=network_id).order_by("pk")
                          .values_list("pk", "ref", "lon", "lat")), dtype=float).reshape(-1, 4)
    edges = np.array(list(WalkEdge.objects.filter(network_id=network_id).values_list("a_id", "b_id", "length_m")),
                     dtype=float).reshape(-1, 3)
    pks = nodes[:, 0].astype(np.int64)
    u = np.searchsorted(pks, edges[:, 0].astype(np.int64))
    v = np.searchsorted(pks, edges[:, 1].astype(np.int64))
    return BaseGraph.from_arrays(nodes[:, 1].astype(np.int64), nodes[:, 2], nodes[:, 3], u, v, edges[:, 2])
