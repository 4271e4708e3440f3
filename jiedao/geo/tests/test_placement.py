import math

import numpy as np
import pytest
from django.core.exceptions import ValidationError

from jiedao.geo import placement
from jiedao.geo.placement import GridIndex, grid_index, place_point, validate_lonlat
from jiedao.testing import make_grid, square

LEFT, RIGHT = (10, square(0, 0, 1)), (20, square(1, 0, 1))


@pytest.fixture(autouse=True)
def fresh_cache():
    placement._grid_indexes.clear()
    yield
    placement._grid_indexes.clear()


# --- GridIndex on hand-made squares -----------------------------------------------------------------------


def test_points_inside_a_square_get_its_id():
    index = GridIndex.from_grids([LEFT, RIGHT])
    assert index.place([0.5, 1.5, 0.01, 1.99], [0.5, 0.5, 0.99, 0.01]).tolist() == [10, 20, 10, 20]


def test_points_outside_every_square_get_minus_one():
    index = GridIndex.from_grids([LEFT, RIGHT])
    assert index.place([-0.5, 2.5, 0.5, 1.5], [0.5, 0.5, 1.5, -0.01]).tolist() == [-1, -1, -1, -1]
    assert index.place_one(5, 5) is None


def test_a_point_on_an_outer_edge_belongs_to_its_square():
    index = GridIndex.from_grids([LEFT, RIGHT])
    assert index.place([0.0, 2.0, 0.5], [0.5, 0.5, 1.0]).tolist() == [10, 20, 10]


def test_a_point_on_a_shared_edge_gets_one_of_the_two_the_same_every_time():
    for grids in ([LEFT, RIGHT], [RIGHT, LEFT]):
        index = GridIndex.from_grids(grids)
        answers = {int(index.place([1.0], [0.5])[0]) for _ in range(5)}
        answers |= {index.place_one(1.0, 0.5)}
        answers |= {int(GridIndex.from_grids(grids).place([1.0], [0.5])[0])}
        assert len(answers) == 1
        assert answers <= {10, 20}


def test_on_a_shared_edge_the_grid_listed_first_wins():
    assert GridIndex.from_grids([RIGHT, LEFT]).place_one(1.0, 0.5) == 20
    # A 10 × 10 tiling in a shuffled order: every inner corner touches four squares.
    rng = np.random.default_rng(7)
    grids = [(i * 10 + j, square(i, j, 1)) for i in range(10) for j in range(10)]
    order = rng.permutation(len(grids))
    grids = [grids[k] for k in order]
    xs, ys = np.meshgrid(np.arange(1, 10, dtype=float), np.arange(1, 10, dtype=float))
    got = GridIndex.from_grids(grids).place(xs.ravel(), ys.ravel())
    first_listed = [
        next(gid for gid, _ in grids if {gid // 10, gid // 10 + 1} >= {x} and {gid % 10, gid % 10 + 1} >= {y})
        for x, y in zip(xs.ravel().astype(int), ys.ravel().astype(int), strict=True)
    ]
    assert got.tolist() == first_listed


def test_grids_without_geometry_are_left_out():
    index = GridIndex.from_grids([(1, None), (2, {}), RIGHT])
    assert index.grid_ids.tolist() == [20]
    assert index.place([1.5], [0.5]).tolist() == [20]


def test_an_index_without_grids_places_nothing():
    index = GridIndex.from_grids([])
    assert index.place([0.5, 1.5], [0.5, 0.5]).tolist() == [-1, -1]


def test_many_points_are_placed_in_one_call():
    rng = np.random.default_rng(1)
    lons, lats = rng.uniform(-0.5, 2.5, 2000), rng.uniform(-0.5, 1.5, 2000)
    got = GridIndex.from_grids([LEFT, RIGHT]).place(lons, lats)
    inside = (lats > 0) & (lats < 1)
    expected = np.where(inside & (lons > 0) & (lons < 1), 10, np.where(inside & (lons > 1) & (lons < 2), 20, -1))
    assert np.array_equal(got, expected)


# --- place_point against the database ----------------------------------------------------------------------


def test_a_point_inside_a_grid_returns_that_grid(world):
    assert place_point(lon=121.4075, lat=31.2325) == world.g12
    assert place_point(lon="121.4125", lat="31.2325", subdistrict_id=world.sub.pk) == world.g21


def test_a_point_outside_every_grid_returns_none(world):
    assert place_point(lon=121.50, lat=31.50) is None
    assert place_point(lon=121.4075, lat=31.2325, subdistrict_id=world.other_sub.pk) is None


def test_the_returned_grid_carries_its_community_and_area(world, django_assert_num_queries):
    grid = place_point(lon=121.4075, lat=31.2325)
    with django_assert_num_queries(0):
        assert grid.community.area == world.area1


@pytest.mark.parametrize(
    ("lon", "lat", "message"),
    [("abc", 31.23, "坐标必须是数字：经度 abc，纬度 31.23"), (None, 31.23, "坐标必须是数字：经度 None，纬度 31.23"),
     (121.4, [], "坐标必须是数字：经度 121.4，纬度 []"),
     (200, 31.23, "经度超出范围（-180 到 180）：200"), (-180.5, 31.23, "经度超出范围（-180 到 180）：-180.5"),
     (121.4, 95, "纬度超出范围（-90 到 90）：95"), (float("nan"), 31.23, "坐标不能为空或无穷大"),
     (121.4, "nan", "坐标不能为空或无穷大"), (math.inf, 31.23, "坐标不能为空或无穷大")],
)
def test_malformed_coordinates_are_refused_with_a_chinese_message(world, lon, lat, message):
    with pytest.raises(ValidationError) as info:
        place_point(lon=lon, lat=lat)
    assert info.value.messages == [message]


def test_coordinates_on_the_range_limits_are_accepted():
    assert validate_lonlat(-180, 90) == (-180.0, 90.0)
    assert validate_lonlat("180", "-90") == (180.0, -90.0)


# --- cache ---------------------------------------------------------------------------------------------


def test_the_index_is_cached_between_calls(world):
    assert grid_index(world.sub.pk) is grid_index(world.sub.pk)


def test_saving_a_new_grid_invalidates_the_cache(world):
    before = grid_index(world.sub.pk)
    assert before.place_one(121.4225, 31.2325) is None
    new = make_grid(world.c2, seq=3, geometry=square(121.420, 31.23, 0.005))
    assert grid_index(world.sub.pk).place_one(121.4225, 31.2325) == new.pk
    assert place_point(lon=121.4225, lat=31.2325) == new


def test_moving_a_grid_is_seen_at_once(world):
    assert place_point(lon=121.4075, lat=31.2325) == world.g12
    world.g12.geometry = square(121.430, 31.23, 0.005)
    world.g12.save()
    assert place_point(lon=121.4075, lat=31.2325) is None
    assert place_point(lon=121.4325, lat=31.2325) == world.g12


def test_deleting_a_grid_is_seen_at_once(world):
    extra = make_grid(world.c2, seq=3, geometry=square(121.420, 31.23, 0.005))
    assert place_point(lon=121.4225, lat=31.2325) == extra
    extra.delete()
    assert place_point(lon=121.4225, lat=31.2325) is None
