"""Layers, placement and address endpoints: GeoJSON out, scoped, errors for bad input."""

import pytest

from jiedao.geo.gcj02 import wgs84_to_gcj02


def features(response):
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/geo+json"
    data = response.json()
    assert data["type"] == "FeatureCollection"
    return data["features"]


def test_operator_gets_every_layer_of_their_subdistrict_as_geojson(world, login):
    client = login(world.operator)
    grids = features(client.get("/api/v1/geo/layers/grids"))
    assert {f["properties"]["code"] for f in grids} == {world.g11.code, world.g12.code, world.g21.code, world.g22.code}
    assert all(f["geometry"]["type"] == "Polygon" for f in grids)
    buildings = features(client.get("/api/v1/geo/layers/buildings"))
    b11 = next(f for f in buildings if f["id"] == world.b11.pk)
    assert b11["geometry"] == {"type": "Point", "coordinates": [world.b11.lon, world.b11.lat]}
    assert b11["properties"]["address"] == "兰溪路200弄5号"
    roads = features(client.get("/api/v1/geo/layers/roads"))
    assert {f["properties"]["name"] for f in roads} == {"兰溪路", "梅岭北路"}


def test_grid_worker_gets_only_the_buildings_of_their_grid(world, login):
    buildings = features(login(world.grid_worker).get("/api/v1/geo/layers/buildings"))
    assert [f["id"] for f in buildings] == [world.b11.pk]


def test_operator_of_another_subdistrict_gets_none_of_this_ones_places(world, login):
    client = login(world.other_operator)
    assert features(client.get("/api/v1/geo/layers/buildings")) == []
    assert features(client.get("/api/v1/geo/layers/grids", {"subdistrict": world.sub.pk})) == []


def test_gcj02_output_is_shifted_at_the_edge_and_storage_stays_wgs84(world, login):
    client = login(world.operator)
    plain = features(client.get("/api/v1/geo/layers/buildings"))
    shifted = features(client.get("/api/v1/geo/layers/buildings", {"crs": "gcj02"}))
    by_id = {f["id"]: f["geometry"]["coordinates"] for f in shifted}
    for f in plain:
        lon, lat = f["geometry"]["coordinates"]
        assert by_id[f["id"]] == pytest.approx(list(wgs84_to_gcj02(lon, lat)))
        assert by_id[f["id"]] != [lon, lat]
    world.b11.refresh_from_db()
    stored = next(f for f in plain if f["id"] == world.b11.pk)["geometry"]["coordinates"]
    assert [world.b11.lon, world.b11.lat] == stored


def test_unknown_layer_and_unknown_crs_are_clear_422s(world, login):
    client = login(world.operator)
    response = client.get("/api/v1/geo/layers/rivers")
    assert response.status_code == 422
    assert "未知图层：rivers" in response.json()["detail"]
    response = client.get("/api/v1/geo/layers/grids", {"crs": "bd09"})
    assert response.status_code == 422
    assert response.json()["detail"] == "坐标系只能是 wgs84 或 gcj02"


def test_layers_are_refused_to_residents(world, login):
    assert login(world.resident).get("/api/v1/geo/layers/grids").status_code == 403


def test_place_endpoint_names_the_grid_community_and_area(world, login):
    body = login(world.operator).get("/api/v1/geo/place", {"lon": "121.4075", "lat": "31.2325"}).json()
    assert body == {
        "grid_id": world.g12.pk, "grid_code": world.g12.code, "grid": world.g12.name,
        "community": "曹杨一村", "area": "武宁片区",
    }


def test_place_endpoint_outside_every_grid_returns_nulls(world, login):
    body = login(world.operator).get("/api/v1/geo/place", {"lon": "121.50", "lat": "31.30"}).json()
    assert body["grid_id"] is None


@pytest.mark.parametrize(("lon", "lat", "message"), [
    ("abc", "31.23", "坐标必须是数字"),
    ("181", "31.23", "经度超出范围"),
    ("121.4", "-91", "纬度超出范围"),
    ("nan", "31.2", "坐标不能为空或无穷大"),
])
def test_place_endpoint_rejects_malformed_coordinates(world, login, lon, lat, message):
    response = login(world.operator).get("/api/v1/geo/place", {"lon": lon, "lat": lat})
    assert response.status_code == 422
    assert message in response.json()["detail"]


def test_address_endpoint_parses_and_resolves_within_scope(world, login):
    from jiedao.geo import address

    address._indexes.clear()
    body = login(world.operator).get("/api/v1/geo/address", {"q": "上海市普陀区兰溪路200弄6号302室"}).json()
    assert (body["road"], body["lane"], body["number"], body["room"]) == ("兰溪路", "200", "6", "302")
    assert body["building_id"] == world.b12.pk and body["grid_id"] == world.g12.pk
    body = login(world.grid_worker).get("/api/v1/geo/address", {"q": "兰溪路200弄6号"}).json()
    assert body["building_id"] is None
    assert body["message"] == "地址已解析，但没有找到对应的楼栋"


def test_address_endpoint_reports_an_address_that_resolves_to_nothing(world, login):
    body = login(world.operator).get("/api/v1/geo/address", {"q": "某某大厦对面"}).json()
    assert body["building_id"] is None
    assert body["message"] == "无法识别地址中的道路或小区"
