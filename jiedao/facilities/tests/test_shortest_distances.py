"""Shortest walking distances on small hand-built networks whose answers are known."""

import numpy as np
import pytest
import shapely

from jiedao.facilities.network.graph import BaseGraph, Points, Projection, attach, isochrones, reach

PLANE = Projection(121.41, 31.24)


def network(xy, edges, lengths=None, refs=None):
    """A base graph from node positions in metres on the local plane and (i, j) edges."""
    xy = np.asarray(xy, dtype=float)
    lon, lat = PLANE.lonlat(xy[:, 0], xy[:, 1])
    u, v = zip(*edges, strict=True)
    return BaseGraph.from_arrays(refs or list(range(1, len(xy) + 1)), lon, lat, u, v, lengths)


def points(prefix, ids, xy):
    xy = np.asarray(xy, dtype=float).reshape(-1, 2)
    lon, lat = PLANE.lonlat(xy[:, 0], xy[:, 1])
    return Points.of(prefix, ids, lon, lat)


# A 100 m square 1-2-3-4 with its lengths given exactly.
SQUARE = ([[0, 0], [100, 0], [100, 100], [0, 100]], [(0, 1), (1, 2), (2, 3), (3, 0)], [100, 100, 100, 100])


def test_a_building_joins_the_nearest_point_of_the_nearest_segment_and_walks_the_rest():
    g = attach(network(*SQUARE), [points("b", [1], [[50, -10]]), points("f", [7], [[100, 100]])],
               max_connector_m=300)
    dist, source = g.nearest(g.node_of["f"])
    # 10 m to the street, 50 m to the corner, 100 m up the side; the facility stands on the far corner.
    assert dist[g.node_of["b"][0]] == pytest.approx(160, abs=0.01)
    assert source[g.node_of["b"][0]] == g.node_of["f"][0]


def test_each_building_gets_its_nearest_facility_and_which_one_it_is():
    g = attach(network(*SQUARE), [points("b", [1, 2], [[10, 0], [0, 90]]),
                                  points("f", [7, 8], [[100, 0], [0, 100]])], max_connector_m=300)
    dist, source = g.nearest(g.node_of["f"])
    b1, b2 = g.node_of["b"]
    assert dist[b1] == pytest.approx(90, abs=0.01) and source[b1] == g.node_of["f"][0]
    assert dist[b2] == pytest.approx(10, abs=0.01) and source[b2] == g.node_of["f"][1]


def test_the_walk_follows_the_network_not_the_straight_line():
    # A U-shaped street: the facility is 20 m away across the gap but 220 m away on foot.
    g = attach(network([[0, 0], [0, 100], [20, 100], [20, 0]], [(0, 1), (1, 2), (2, 3)], [100, 20, 100]),
               [points("b", [1], [[0, 0]]), points("f", [7], [[20, 0]])], max_connector_m=5)
    dist, _ = g.nearest(g.node_of["f"])
    assert dist[g.node_of["b"][0]] == pytest.approx(220, abs=0.01)


def test_two_points_on_one_segment_split_it_into_parts_that_add_up_to_its_length():
    g = attach(network([[0, 0], [100, 0]], [(0, 1)], [100]),
               [points("b", [1, 2], [[30, 5], [70, -5]]), points("f", [7], [[0, 0]])], max_connector_m=50)
    street = ~g.connector
    assert g.length[street].sum() == pytest.approx(100)
    assert sorted(np.round(g.length[street], 6)) == [30, 30, 40]
    dist, _ = g.nearest(g.node_of["f"])
    assert dist[g.node_of["b"]] == pytest.approx([35, 75], abs=0.01)


def test_a_building_in_a_part_not_connected_to_any_facility_is_unreachable_not_far():
    g = attach(network([[0, 0], [100, 0], [500, 0], [600, 0]], [(0, 1), (2, 3)], [100, 100]),
               [points("b", [1, 2], [[550, 10], [5000, 0]]), points("f", [7], [[0, 0]])], max_connector_m=300)
    dist, source = g.nearest(g.node_of["f"])
    near_isolated, too_far = g.node_of["b"]
    assert np.isinf(dist[near_isolated]) and source[near_isolated] == -1
    assert g.attached["b"].tolist() == [True, False]  # 4.4 km from any street: not connected at all
    assert np.isinf(dist[too_far])


def test_of_two_segments_between_the_same_nodes_the_shorter_is_walked():
    g = attach(network([[0, 0], [100, 0]], [(0, 1), (1, 0)], [140, 100]),
               [points("b", [1], [[0, 0]]), points("f", [7], [[100, 0]])], max_connector_m=5)
    dist, _ = g.nearest(g.node_of["f"])
    assert dist[g.node_of["b"][0]] == pytest.approx(100, abs=0.01)


def test_a_search_with_a_limit_stops_there():
    g = attach(network(*SQUARE), [points("b", [1, 2], [[0, 10], [100, 100]]), points("c", [0], [[0, 0]])],
               max_connector_m=10)
    rows = g.from_each(g.node_of["c"], limit=150, targets=g.node_of["b"])
    assert rows[0, 0] == pytest.approx(10, abs=0.01) and np.isinf(rows[0, 1])


def test_node_ids_name_stored_nodes_join_points_buildings_and_facilities():
    g = attach(network(*SQUARE, refs=[11, 12, 13, 14]), [points("b", [5], [[50, -10]]), points("f", [9], [[0, 0]])],
               max_connector_m=50)
    assert set(g.labels) == {"n11", "n12", "n13", "n14", "p1", "b5", "f9"}


def test_an_isochrone_follows_the_streets_reached_and_not_a_circle():
    # An L: 300 m east, then 300 m north. From the origin, 400 m of walking reaches the corner and 100 m up.
    g = attach(network([[0, 0], [300, 0], [300, 300]], [(0, 1), (1, 2)], [300, 300]),
               [points("f", [7], [[0, 0]])], max_connector_m=5)
    dist, source = g.nearest(g.node_of["f"])
    reached = reach(g, dist, source, 400)
    lengths = np.hypot(reached.bx - reached.ax, reached.by - reached.ay)
    assert lengths.sum() == pytest.approx(400, abs=0.5)
    polygon = shapely.geometry.shape(isochrones(g, reached, width_m=20)[int(g.node_of["f"][0])])

    def at(x, y):
        lon, lat = PLANE.lonlat(x, y)
        return shapely.Point(float(lon), float(lat))

    assert polygon.contains(at(300, 90))  # up the second street, 390 m walked
    assert not polygon.contains(at(300, 150))  # 450 m walked
    assert not polygon.contains(at(150, 150))  # 212 m as the crow flies, but no street goes there
