"""The JSON API: the exported network reproduces every distance, the documented shapes, and who may read what."""

import heapq
from collections import defaultdict

import pytest

from jiedao.facilities.models import Facility
from jiedao.facilities.network.lines import Line
from jiedao.facilities.tests.conftest import at

API = "/api/v1/facilities"


@pytest.fixture
def town_api(town, world):
    """The street with a 助餐点 and a 党群服务站, buildings in both 居委, and an island no one can walk to."""
    town.street(1200, Line([at(300, 400), at(500, 400)], "estate_path", "孤立小路"))
    buildings = [town.building(0, (70,)), town.building(450, (30, 65)), town.building(900, (80,), grid=world.g21),
                 town.building(400, (66,), grid=world.g21, y=410)]
    facilities = [town.facility("meal_point", 100), town.facility("meal_point", 1100, name="杏山路助餐点"),
                  town.facility("party_station", 600), town.facility("meal_point", 700, name="规划助餐点",
                                                                      status=Facility.Status.PLANNED)]
    return buildings, facilities


def dijkstra(network: dict, source_prefix: str) -> dict[str, float]:
    """Plain Dijkstra on the exported GeoJSON from every node whose id starts with ``source_prefix``: an
    independent check of the server's distances (no scipy, no shared code)."""
    adjacent = defaultdict(list)
    for feature in network["features"]:
        p = feature["properties"]
        adjacent[p["from"]].append((p["to"], p["length_m"]))
        adjacent[p["to"]].append((p["from"], p["length_m"]))
    best: dict[str, float] = {}
    queue = [(0.0, node) for node in adjacent if node.startswith(source_prefix)]
    heapq.heapify(queue)
    while queue:
        d, node = heapq.heappop(queue)
        if node in best:
            continue
        best[node] = d
        for other, length in adjacent[node]:
            if other not in best:
                heapq.heappush(queue, (d + length, other))
    return best


def test_distances_from_the_api_match_a_shortest_path_computation_on_the_exported_network(town_api, world, login):
    _buildings, (meal, meal2, _party, planned) = town_api
    client = login(world.operator)
    network = client.get(f"{API}/network.geojson").json()
    assert {tuple(sorted(f["properties"])) for f in network["features"]} == {("from", "length_m", "to")}
    assert all(f["geometry"]["type"] == "LineString" for f in network["features"])
    # Sources: the open 助餐点 only (the planned one is on the graph too, but not open).
    for f in network["features"]:
        for end in ("from", "to"):
            if f["properties"][end] == f"f{planned.pk}":
                f["properties"][end] = "planned"
    open_meal = {f"f{meal.pk}", f"f{meal2.pk}"}
    relabelled = {"type": "FeatureCollection", "features": [
        {**f, "properties": {**f["properties"], **{end: "S" + f["properties"][end] for end in ("from", "to")
                                                   if f["properties"][end] in open_meal}}}
        for f in network["features"]]}
    expected = dijkstra(relabelled, "S")
    coverage = client.get(f"{API}/coverage", {"type": "meal_point", "within": 500}).json()
    assert coverage["type"] == "meal_point" and coverage["within_m"] == 500
    assert len(coverage["buildings"]) >= 4
    for row in coverage["buildings"]:
        node = f"b{row['building']}"
        if node in expected:
            assert row["distance_m"] == pytest.approx(expected[node], abs=0.11)
            assert row["covered"] == (expected[node] <= 500)
        else:
            assert row["distance_m"] is None and row["facility"] is None and not row["covered"]


def test_coverage_reports_an_unreachable_building_as_null_and_sums_by_community(town_api, world, login):
    (_near, _middle, _far, island), _facilities = town_api
    coverage = login(world.operator).get(f"{API}/coverage", {"type": "meal_point"}).json()
    row = next(b for b in coverage["buildings"] if b["building"] == island.pk)
    assert row == {"building": island.pk, "facility": None, "distance_m": None, "covered": False}
    c2 = next(c for c in coverage["by_community"] if c["id"] == world.c2.pk)
    assert c2["name"] == "兰溪园" and c2["unreachable_buildings"] >= 1
    assert c2["residents_60_plus"] == 2 and c2["covered_residents_60_plus"] == 1  # the 80-year-old at 210 m


def test_facilities_are_points_with_id_type_name_and_status(town_api, world, login):
    data = login(world.operator).get(f"{API}/facilities.geojson", {"type": "meal_point"}).json()
    props = {f["properties"]["name"]: f["properties"] for f in data["features"]}
    assert set(props) == {"社区助餐点100", "杏山路助餐点", "规划助餐点"}
    assert {k: props["规划助餐点"][k] for k in ("type", "status")} == {"type": "meal_point", "status": "planned"}
    assert data["features"][0]["geometry"]["type"] == "Point"


def test_isochrones_are_polygons_per_open_facility(town_api, world, login):
    _b, (meal, meal2, _p, _planned) = town_api
    data = login(world.operator).get(f"{API}/isochrones.geojson", {"type": "meal_point", "circle": "200m"}).json()
    assert {f["properties"]["facility"] for f in data["features"]} == {meal.pk, meal2.pk}
    assert all(f["geometry"]["type"] in ("Polygon", "MultiPolygon") for f in data["features"])


def test_a_social_worker_gets_their_own_buildings_and_not_the_connectors_of_others(town_api, world, login):
    (near, _middle, far, _island), _f = town_api
    client = login(world.social_worker)  # 兰溪园 (c2)
    ids = {b["building"] for b in client.get(f"{API}/coverage", {"type": "meal_point"}).json()["buildings"]}
    assert far.pk in ids and near.pk not in ids
    nodes = {f["properties"][end] for f in client.get(f"{API}/network.geojson").json()["features"]
             for end in ("from", "to")}
    assert f"b{far.pk}" in nodes and f"b{near.pk}" not in nodes
    assert {c["id"] for c in client.get(f"{API}/coverage", {"type": "meal_point"}).json()["by_community"]} == {
        world.c2.pk}


@pytest.mark.parametrize("persona", ["grid_worker", "handler", "auditor", "resident"])
def test_roles_without_the_facilities_view_are_refused(town_api, world, login, persona):
    client = login(getattr(world, persona))
    assert client.get(f"{API}/coverage", {"type": "meal_point"}).status_code == 403
    assert client.get(f"{API}/network.geojson").status_code == 403


def test_another_subdistrict_is_answered_as_not_found(town_api, world, login):
    client = login(world.other_operator)
    assert client.get(f"{API}/coverage", {"type": "meal_point", "subdistrict": world.sub.pk}).status_code == 404
    assert client.get(f"{API}/facilities/{town_api[1][0].pk}").status_code == 404


def test_bad_parameters_are_422_naming_the_problem(town_api, world, login):
    client = login(world.operator)
    assert client.get(f"{API}/coverage", {"type": "养鸡场"}).status_code == 422
    response = client.get(f"{API}/coverage", {"type": "meal_point", "within": -5})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "within"
    assert client.get(f"{API}/coverage", {"type": "meal_point", "circle": "7min"}).status_code == 422


def test_sites_and_what_if(town_api, world, login):
    client = login(world.operator)
    response = client.post(f"{API}/sites", {"type": "meal_point", "within_m": 150, "k": 2,
                                            "candidates": {"kind": "buildings"}}, content_type="application/json")
    assert response.status_code == 200, response.content
    picks = response.json()["picks"]
    assert picks and picks[0]["gain_residents_60_plus"] >= 1 and picks[0]["building"]
    lon, lat = at(450)
    response = client.post(f"{API}/what-if", {"type": "meal_point", "within_m": 150, "add": [{"lon": lon, "lat": lat}]},
                           content_type="application/json")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["after"]["covered_residents"] == data["before"]["covered_residents"] + 2
    bad = client.post(f"{API}/what-if", {"type": "meal_point", "add": [{"lon": lat, "lat": lon}]},
                      content_type="application/json")
    assert bad.status_code == 422 and "填反" in bad.json()["detail"]


def test_an_administrator_registers_and_changes_a_facility_and_an_operator_may_not(town_api, world, login, admin):
    lon, lat = at(950)  # in 兰溪园's grid
    body = {"type": "health_station", "name": "杏山路卫生服务站", "lon": lon, "lat": lat, "capacity": 40}
    assert login(world.operator).post(f"{API}/facilities", body, content_type="application/json").status_code == 403
    client = login(admin)
    created = client.post(f"{API}/facilities", body, content_type="application/json")
    assert created.status_code == 201 and created.json()["community"] == world.c2.pk
    again = client.post(f"{API}/facilities", body, content_type="application/json")
    assert again.status_code == 422 and again.json()["errors"][0]["field"] == "name"
    changed = client.patch(f"{API}/facilities/{created.json()['id']}", {"status": "closed", "closed_on": "2025-06-30"},
                           content_type="application/json")
    assert changed.status_code == 200 and changed.json()["status"] == "closed"


def test_an_import_over_the_api_checks_first_when_asked(town_api, world, login, admin):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = "类型,名称,经度,纬度\n社区助餐点,枣阳路助餐点,121.405,31.234\n养鸡场,某处,121.405,31.234\n".encode()
    response = login(admin).post(f"{API}/imports?dry_run=true", {"file": SimpleUploadedFile("设施.csv", data)})
    assert response.status_code == 200, response.content
    report = response.json()
    assert (report["valid"], report["created"], report["dry_run"]) == (1, 1, True)
    assert report["errors"] == [{"row": 3, "column": "类型", "message": report["errors"][0]["message"]}]
    assert not Facility.objects.filter(name="枣阳路助餐点").exists()
