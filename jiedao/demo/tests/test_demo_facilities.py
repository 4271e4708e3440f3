"""The demo's facilities and walking network for Caoyang: the plan's facilities, a connected network every
building joins, and a 5 分钟基本公共服务圈 that grows over the plan's years."""

import datetime as dt
import time

import pytest

from jiedao.core.contributions import planning_elements
from jiedao.demo import caoyang
from jiedao.demo import facilities as demo_facilities
from jiedao.demo.builder import DemoBuilder
from jiedao.facilities.engine import engine_for
from jiedao.facilities.models import BuildingAccess, Facility, FacilityType, WalkNetwork


@pytest.fixture
def demo_caoyang(db):
    builder = DemoBuilder(scale=0.1, log=lambda line: None)
    sub = builder.build_subdistrict(caoyang.SUBDISTRICT, caoyang.AREAS, caoyang.GRID_SPLIT, caoyang.ROADS,
                                    caoyang.ROAD_ALIASES, caoyang.BUILDINGS_PER_COMMUNITY)
    builder.build_households(sub)
    started = time.perf_counter()
    demo_facilities.build(builder=builder, subdistrict=sub)
    return sub, builder, time.perf_counter() - started


def test_the_demo_registers_the_plans_facilities(demo_caoyang):
    sub, builder, _seconds = demo_caoyang
    names = set(Facility.objects.filter(subdistrict=sub).values_list("name", flat=True))
    assert {"百禧公园", "环浜绿地", "纺织养老院", "曹杨新村街道综合为老服务中心", "曹杨新村长者照护之家"} <= names
    by_2020 = Facility.objects.filter(subdistrict=sub, opened_on__lte=dt.date(2020, 12, 31))
    # The plan's review of 2016–2020: 综合为老服务中心及分中心 5, 长者食堂及助餐点 7.
    assert by_2020.filter(type__code__in=["elderly_hub", "elderly_subcentre"]).count() == 5
    assert by_2020.filter(type__code="meal_point").count() == 7
    assert Facility.objects.get(name="纺织养老院").status == "planned"
    assert Facility.objects.filter(subdistrict=sub, type__code="party_station").count() == 21
    assert not Facility.objects.filter(subdistrict=sub, community=None).exists()
    assert set(Facility.objects.filter(subdistrict=sub).values_list("synthetic", flat=True)) == {True}
    assert builder.counts["facilities"] == len(names)


def test_every_demo_building_and_facility_joins_one_connected_network(demo_caoyang):
    sub, _builder, seconds = demo_caoyang
    network = WalkNetwork.objects.get(subdistrict=sub)
    assert network.notes["parts"] == 1
    kinds = set(network.edges.values_list("kind", flat=True))
    assert kinds == {"road", "estate_path"}
    engine = engine_for(sub.pk)
    assert engine.building_attached.all() and engine.facility_attached.all()
    stored = BuildingAccess.objects.filter(subdistrict=sub).count()
    assert stored == len(engine.building_ids) * FacilityType.objects.count()
    assert seconds < 10


def test_the_five_minute_circle_grows_over_the_plan_and_is_nearly_complete_by_its_end(demo_caoyang):
    sub, _builder, _seconds = demo_caoyang
    element = planning_elements.get("facilities.households_within_5min")
    counts = [element.compute(subdistrict_id=sub.pk, start=dt.date(y, 1, 1), end=dt.date(y, 12, 31))
              for y in range(2020, 2026)]
    assert counts == sorted(counts) and counts[0] < counts[-1]
    from jiedao.registry.selectors import households_on

    assert counts[-1] / households_on(subdistrict_id=sub.pk, day=dt.date(2025, 12, 31)) > 0.95


def test_building_the_demo_again_gives_the_same_facilities(demo_caoyang):
    sub, builder, _seconds = demo_caoyang

    def rows():
        return list(Facility.objects.filter(subdistrict=sub).order_by("type__code", "name")
                    .values_list("type__code", "name", "lon", "lat", "status", "opened_on"))

    first = rows()
    demo_facilities.build(builder=builder, subdistrict=sub)
    assert rows() == first


def test_a_reset_removes_the_facilities_rows(demo_caoyang):
    sub, _builder, _seconds = demo_caoyang
    demo_facilities.reset(subdistricts=[sub])
    assert not Facility.objects.filter(subdistrict=sub).exists()
    assert not WalkNetwork.objects.filter(subdistrict=sub).exists()
    assert not BuildingAccess.objects.filter(subdistrict=sub).exists()
