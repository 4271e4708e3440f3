"""The command-line shells (jiedao import-walk-network, build-walk-network, import-facilities), an .osm.pbf
extract, and the engine noticing changes made behind its back."""

import io
from pathlib import Path

import osmium
import pytest
from django.core.management import CommandError, call_command

from jiedao.facilities.engine import engine_for
from jiedao.facilities.models import Facility, WalkNetwork
from jiedao.testing import square

FIXTURES = Path(__file__).parent / "fixtures"


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def pbf(tmp_path):
    """The tiny extract written as .osm.pbf by osmium, as a real extract comes."""
    path = tmp_path / "tiny.osm.pbf"
    writer = osmium.SimpleWriter(str(path))
    for obj in osmium.FileProcessor(str(FIXTURES / "tiny.osm")):
        if obj.is_node():
            writer.add_node(obj)
        elif obj.is_way():
            writer.add_way(obj)
    writer.close()
    return path


def test_an_osm_pbf_extract_is_imported_from_the_command_line(world, pbf):
    world.sub.boundary = square(121.4040, 31.2340, 0.003)
    world.sub.save()
    out = run("import_walk_network", world.sub.code, str(pbf), "--margin", "100")
    assert "6 个节点" in out and "highway=motorway 1" in out
    assert WalkNetwork.objects.get(subdistrict=world.sub).attribution == "© OpenStreetMap contributors"


def test_a_bad_network_file_fails_the_command_with_the_reason(world):
    with pytest.raises(CommandError, match="没有可步行的道路"):
        run("import_walk_network", world.sub.code, str(FIXTURES / "no_walkable.osm"))
    with pytest.raises(CommandError, match="没有代码为"):
        run("build_walk_network", "999999999")


def test_facilities_are_checked_and_imported_from_the_command_line(world, tmp_path):
    data = tmp_path / "设施.csv"
    data.write_text("类型,名称,经度,纬度\n社区助餐点,枣阳路助餐点,121.405,31.234\n", encoding="utf-8")
    assert "将新增 1" in run("import_facilities", world.sub.code, str(data), "--check")
    assert not Facility.objects.exists()
    assert "已新增 1" in run("import_facilities", world.sub.code, str(data))
    data.write_text("类型,名称,经度,纬度\n养鸡场,某处,121.405,31.234\n", encoding="utf-8")
    with pytest.raises(CommandError, match="1 行有问题"):
        run("import_facilities", world.sub.code, str(data))


def test_the_engine_notices_a_change_that_sent_no_signal(town, world):
    town.street()
    town.building(0, (70,))
    facility = town.facility("meal_point", 100)
    before = engine_for(world.sub.pk)
    assert before.open_mask(type_id=facility.type_id).sum() == 1
    from django.utils import timezone

    Facility.objects.filter(pk=facility.pk).update(status="closed", updated_at=timezone.now())  # a bulk write
    after = engine_for(world.sub.pk)
    assert after is not before and after.open_mask(type_id=facility.type_id).sum() == 0


def test_refresh_access_stores_what_a_bulk_write_changed(town, world):
    from jiedao.facilities.models import BuildingAccess

    town.street()
    building = town.building(0, (70,))
    facility = town.facility("meal_point", 100)
    assert BuildingAccess.objects.get(building=building, type=facility.type).facility_id == facility.pk
    Facility.objects.filter(pk=facility.pk).update(status="closed")
    assert "曹杨新村街道" in run("refresh_access", world.sub.code)
    assert BuildingAccess.objects.get(building=building, type=facility.type).facility_id is None
    with pytest.raises(CommandError, match="999999999"):
        run("refresh_access", "999999999")
