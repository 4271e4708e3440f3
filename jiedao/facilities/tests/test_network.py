"""Building the walking network: from the geo module's roads and 小区 paths, and from an OpenStreetMap extract."""

from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jiedao.core.models import AuditLog
from jiedao.facilities import services
from jiedao.facilities.models import WalkEdge, WalkNetwork, WalkNode
from jiedao.facilities.network.lines import Line, network_from_lines
from jiedao.facilities.network.osm import read_osm
from jiedao.facilities.tests.conftest import at
from jiedao.geo.models import Estate, Road
from jiedao.testing import square

FIXTURES = Path(__file__).parent / "fixtures"
NEAR_TINY = (121.4040, 31.2340, 121.4070, 31.2370)  # the box the tiny extract's footway square lies in


def test_lines_that_cross_or_end_on_each_other_are_joined_there():
    road = Line([at(0), at(200)], "road", "兰溪路")
    lane = Line([at(50, 80), at(50, 0)], "estate_path", "曹杨一村")  # ends on the road
    crossing = Line([at(150, -50), at(150, 50)], "estate_path", "小路")
    data = network_from_lines([road, lane, crossing])
    g = data.graph
    assert g.n_nodes == 7 and len(g.u) == 6  # the road cut at 50 and 150 m
    assert sorted(round(x) for x in g.length) == [50, 50, 50, 50, 80, 100]
    kinds = {(k, n) for k, n in zip(data.kind, data.name, strict=True)}
    assert kinds == {("road", "兰溪路"), ("estate_path", "曹杨一村"), ("estate_path", "小路")}


def test_a_stretch_where_a_path_runs_along_a_road_is_one_segment_named_for_the_road():
    data = network_from_lines([Line([at(0), at(100)], "estate_path", "围墙边"),
                               Line([at(0), at(100)], "road", "兰溪路")])
    assert len(data.graph.u) == 1 and data.name == ["兰溪路"]


def test_the_walkable_ways_of_an_osm_extract_are_kept_and_the_rest_counted():
    data = read_osm(FIXTURES / "tiny.osm", bbox=NEAR_TINY, margin_m=100)
    assert sorted(data.graph.refs.tolist()) == [1, 2, 3, 4, 5, 6]  # the footway square and the residential street
    assert set(data.kind) == {"footway", "residential"} and "兰溪路" in data.name
    assert data.notes["excluded"] == {"highway=motorway": 1, "highway=construction": 1, "access=private": 1}
    assert data.notes["outside"] == 1  # the path 30 km away
    assert data.notes["cut"] == 1  # the footway whose middle node is missing from the extract


def test_an_osm_file_without_walkable_ways_is_refused_naming_what_it_had():
    with pytest.raises(ValidationError, match=r"没有可步行的道路.*motorway"):
        read_osm(FIXTURES / "no_walkable.osm", bbox=NEAR_TINY)


def test_an_osm_extract_of_somewhere_else_is_refused():
    with pytest.raises(ValidationError, match="没有落在本街道范围内"):
        read_osm(FIXTURES / "tiny.osm", bbox=(120.0, 30.0, 120.01, 30.01), margin_m=100)


def test_a_file_that_is_not_osm_is_refused(tmp_path):
    bad = tmp_path / "roads.osm"
    bad.write_text("这不是 OSM 文件")
    with pytest.raises(ValidationError, match="无法读取"):
        read_osm(bad, bbox=NEAR_TINY)
    with pytest.raises(ValidationError, match=r"\.osm\.pbf"):
        read_osm(tmp_path / "roads.shp", bbox=NEAR_TINY)


def test_an_imported_extract_replaces_the_network_and_is_audited(world, admin):
    world.sub.boundary = square(121.4040, 31.2340, 0.003)
    world.sub.save()
    services.build_network_from_geo(subdistrict=world.sub, by=admin, paths=[Line([at(0), at(100)], "road")],
                                    estate_outlines=False)
    network = services.import_osm_network(subdistrict=world.sub, path=FIXTURES / "tiny.osm", by=admin, margin_m=100)
    assert WalkNetwork.objects.filter(subdistrict=world.sub).get() == network
    assert (network.source, network.attribution, network.node_count) == ("osm", "© OpenStreetMap contributors", 6)
    assert set(WalkNode.objects.filter(network=network).values_list("ref", flat=True)) == {1, 2, 3, 4, 5, 6}
    assert WalkEdge.objects.filter(network=network, kind="residential", name="兰溪路").count() == 3
    assert AuditLog.objects.filter(action="import", object_type="facilities.walknetwork", actor=admin).count() == 2


def test_the_geo_network_takes_the_roads_and_the_estate_outlines(world, admin):
    Road.objects.filter(pk=world.road.pk).update(geometry={"type": "LineString",
                                                            "coordinates": [[121.400, 31.2350], [121.420, 31.2350]]})
    Estate.objects.filter(pk=world.b11.estate_id).update(geometry=square(121.401, 31.2340, 0.002))
    network = services.build_network_from_geo(subdistrict=world.sub, by=admin)
    kinds = set(WalkEdge.objects.filter(network=network).values_list("kind", flat=True))
    assert kinds == {"road", "estate_path"}
    assert network.notes["parts"] == 1  # the outline crosses the road
    assert network.length_km == pytest.approx(1.901 + 0.825, abs=0.005)  # the road and the outline, once each


def test_only_an_administrator_changes_the_network(world):
    with pytest.raises(PermissionDenied):
        services.build_network_from_geo(subdistrict=world.sub, by=world.operator)
    assert not WalkNetwork.objects.exists()
