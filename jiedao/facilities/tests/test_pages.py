"""The pages: the map with its summary and gaps, the coverage tables, site choice, the register and its import,
the network; and who may open each."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jiedao.facilities.models import Facility, WalkNetwork
from jiedao.facilities.tests.conftest import at

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def lane(town, world):
    """The street; a 助餐点 at 100 m; buildings in 曹杨一村 (0 m) and 兰溪园 (900 m, out of its circle)."""
    town.street()
    near = town.building(0, (70, 30))
    far = town.building(900, (80, 81), grid=world.g21)
    meal = town.facility("meal_point", 100, name="兰溪路长者食堂")
    return near, far, meal


def test_the_map_page_shows_the_rate_the_communities_and_the_gaps(lane, world, login):
    _near, far, _meal = lane
    response = login(world.operator).get("/facilities/", {"type": "meal_point"})
    assert response.status_code == 200
    assert response.context["result"].total.elderly_rate == 33.3  # the 70-year-old of three aged 60+
    assert [g["id"] for g in response.context["gaps"] if g["residents"]] == [far.pk]
    assert response.context["config"]["query"]["type"] == "meal_point"
    assert "<td>兰溪园</td>" in response.content.decode()


def test_a_social_worker_sees_their_communitys_buildings_and_gaps_only(lane, world, login):
    near, _far, _meal = lane
    response = login(world.social_worker).get("/facilities/", {"type": "meal_point"})
    assert [t.key for t in response.context["result"].by_community] == [world.c2.pk]
    assert near.pk not in {g["id"] for g in response.context["gaps"]}


@pytest.mark.parametrize("url", ["/facilities/", "/facilities/coverage/", "/facilities/coverage/meal_point/",
                                 "/facilities/sites/", "/facilities/register/", "/facilities/network/"])
def test_roles_without_the_facilities_view_are_refused_every_page(lane, world, login, url):
    assert login(world.grid_worker).get(url).status_code == 403
    assert login(world.handler).get(url).status_code == 403


def test_another_subdistricts_operator_cannot_open_ours(lane, world, login):
    assert login(world.other_operator).get("/facilities/", {"subdistrict": world.sub.pk}).status_code == 404
    assert login(world.other_operator).get(f"/facilities/register/{lane[2].pk}/").status_code == 404


def test_the_coverage_table_has_every_type_and_narrows_to_a_community(lane, world, login):
    client = login(world.operator)
    response = client.get("/facilities/coverage/")
    meal = next(r for r in response.context["rows"] if r["type"].code == "meal_point")
    assert meal["open"] == 1 and meal["own"].elderly == 3
    narrowed = client.get("/facilities/coverage/", {"community": world.c2.pk}).context["rows"]
    assert next(r for r in narrowed if r["type"].code == "meal_point")["own"].elderly == 2


def test_a_type_page_lists_its_gaps_and_an_unknown_type_is_not_found(lane, world, login):
    client = login(world.operator)
    response = client.get("/facilities/coverage/meal_point/", {"circle": "200m"})
    assert response.context["within"] == 200 and response.context["gap_elderly"] == 2
    assert client.get("/facilities/coverage/no_such_type/").status_code == 404


def test_the_sites_page_chooses_sites_and_answers_a_what_if(lane, world, login):
    near, far, meal = lane
    client = login(world.operator)
    response = client.get("/facilities/sites/", {"type": "meal_point", "k": 2, "kind": "buildings"})
    assert response.status_code == 200
    picks = response.context["result"].picks
    assert picks[0].gain_elderly == 2 and picks[0].buildings == [far.pk]
    assert response.context["config"]["picks"][0]["covers"]
    lon, lat = at(900)
    what = client.get("/facilities/sites/", {"what_if": 1, "type": "meal_point", "add": f"{lon},{lat},新点",
                                             "close": [meal.pk]})
    result = what.context["what_if"]
    assert (result.before.covered_elderly, result.after.covered_elderly) == (1, 2)
    assert {b["id"] for b in result.lost} >= {near.pk}


def test_the_sites_page_says_what_is_wrong_with_the_form(lane, world, login):
    response = login(world.operator).get("/facilities/sites/", {"type": "meal_point", "k": 50, "kind": "buildings"})
    assert response.status_code == 400 and response.context["form"].errors["k"]
    typed = login(world.operator).get("/facilities/sites/", {"type": "meal_point", "k": 1, "kind": "points",
                                                             "points": "31.23,121.40"})
    assert typed.status_code == 400 and "填反" in typed.content.decode()


def test_the_register_lists_and_filters_and_only_an_administrator_may_add(lane, world, login, admin):
    response = login(world.operator).get("/facilities/register/", {"type": "meal_point"})
    assert [r["facility"].name for r in response.context["rows"]] == ["兰溪路长者食堂"]
    assert not response.context["can_manage"]
    assert login(world.operator).get("/facilities/register/new/").status_code == 403
    assert login(world.operator).get("/facilities/register/", {"type": "养鸡场"}).status_code == 400


def test_an_administrator_registers_a_facility_with_the_form_and_a_mistake_is_shown(lane, world, admin, login):
    client = login(admin)
    lon, lat = at(500)
    swapped = client.post("/facilities/register/new/", {"type": "health_station", "name": "新卫生站",
                                                         "lon": lat, "lat": lon, "status": "open"})
    assert swapped.status_code == 400 and "填反" in swapped.content.decode()
    created = client.post("/facilities/register/new/", {"type": "health_station", "name": "新卫生站",
                                                         "lon": lon, "lat": lat, "status": "open"})
    facility = Facility.objects.get(name="新卫生站")
    assert created.status_code == 302 and created["Location"] == f"/facilities/register/{facility.pk}/"


def test_an_administrator_closes_a_facility_on_its_page(lane, world, admin, login):
    meal = lane[2]
    client = login(admin)
    page = client.get(f"/facilities/register/{meal.pk}/")
    assert page.context["form"].initial["type"] == "meal_point"
    data = {k: v if v is not None else "" for k, v in page.context["form"].initial.items() if k != "id"}
    data.update(status="closed", closed_on="2025-12-31")
    response = client.post(f"/facilities/register/{meal.pk}/", data)
    assert response.status_code == 302
    meal.refresh_from_db()
    assert meal.status == "closed" and str(meal.closed_on) == "2025-12-31"
    assert login(world.operator).post(f"/facilities/register/{meal.pk}/", data).status_code == 403


def test_an_import_is_checked_then_confirmed_and_its_errors_downloaded(lane, world, admin, login):
    client = login(admin)
    data = "类型,名称,经度,纬度\n社区助餐点,枣阳路助餐点,121.405,31.234\n养鸡场,某处,121.405,31.234\n".encode()
    checked = client.post("/facilities/import/", {"file": SimpleUploadedFile("设施.csv", data)})
    assert checked.status_code == 200 and checked.context["report"].created == 1
    assert not Facility.objects.filter(name="枣阳路助餐点").exists()
    token = checked.context["token"]
    errors = client.get(f"/facilities/import/{token}/errors.xlsx")
    assert errors.status_code == 200 and errors["Content-Type"].startswith("application/vnd.openxmlformats")
    assert login(world.operator).post(f"/facilities/import/{token}/confirm/").status_code == 403
    confirmed = login(admin).post(f"/facilities/import/{token}/confirm/")
    assert confirmed.status_code == 302 and Facility.objects.filter(name="枣阳路助餐点").exists()


def test_an_import_token_is_the_uploaders_alone(lane, world, admin, login):
    from jiedao.core.roles import Role, ScopeLevel
    from jiedao.testing import make_user

    client = login(admin)
    data = "类型,名称,经度,纬度\n社区助餐点,枣阳路助餐点,121.405,31.234\n".encode()
    token = client.post("/facilities/import/", {"file": SimpleUploadedFile("设施.csv", data)}).context["token"]
    other = make_user("other_admin", role=Role.ADMIN, subdistrict=world.sub, level=ScopeLevel.SUBDISTRICT)
    assert login(other).post(f"/facilities/import/{token}/confirm/").status_code == 404


def test_the_network_page_imports_an_osm_extract_and_says_what_is_wrong_with_a_bad_one(lane, world, admin, login):
    client = login(admin)
    bad = client.post("/facilities/network/", {"action": "osm", "margin": 1000, "file": SimpleUploadedFile(
        "roads.osm", (FIXTURES / "no_walkable.osm").read_bytes())})
    assert bad.status_code == 400 and "没有可步行的道路" in bad.content.decode()
    good = client.post("/facilities/network/", {"action": "osm", "margin": 3000, "file": SimpleUploadedFile(
        "tiny.osm", (FIXTURES / "tiny.osm").read_bytes())})
    assert good.status_code == 302
    assert WalkNetwork.objects.get(subdistrict=world.sub).source == "osm"
    page = client.get("/facilities/network/")
    assert "© OpenStreetMap contributors" in page.content.decode()
