import pytest
from pyproj import Geod

from jiedao.geo.gcj02 import gcj02_to_wgs84, wgs84_to_gcj02

GEOD = Geod(ellps="WGS84")
CAOYANG = (121.41, 31.24)  # 曹杨新村, WGS84


def metres_between(a: tuple[float, float], b: tuple[float, float]) -> float:
    return GEOD.inv(a[0], a[1], b[0], b[1])[2]


def test_a_shanghai_point_moves_a_few_hundred_metres():
    shifted = wgs84_to_gcj02(*CAOYANG)
    assert 100 < metres_between(CAOYANG, shifted) < 1000


def test_in_shanghai_the_shift_is_to_the_east_and_south():
    # Published reference: GCJ-02 in Shanghai lies about 0.0045° east and 0.002° south of WGS84.
    lon, lat = wgs84_to_gcj02(*CAOYANG)
    assert 0.003 < lon - CAOYANG[0] < 0.006
    assert -0.003 < lat - CAOYANG[1] < -0.001


@pytest.mark.parametrize("point", [(116.39, 39.91), (87.62, 43.82), (126.64, 45.75), (110.35, 20.02), (91.11, 29.65)])
def test_points_across_china_move_between_100_and_1000_metres(point):
    assert 100 < metres_between(point, wgs84_to_gcj02(*point)) < 1000


def test_nearby_points_move_by_nearly_the_same_amount():
    a, b = CAOYANG, (CAOYANG[0] + 0.001, CAOYANG[1] + 0.001)
    ga, gb = wgs84_to_gcj02(*a), wgs84_to_gcj02(*b)
    assert abs((ga[0] - a[0]) - (gb[0] - b[0])) < 1e-5
    assert abs((ga[1] - a[1]) - (gb[1] - b[1])) < 1e-5


@pytest.mark.parametrize("point", [(2.35, 48.85), (-74.0, 40.71), (151.21, -33.87), (-0.13, 51.51), (0.0, 0.0),
                                   (37.62, 55.75)])
def test_points_outside_china_are_unchanged(point):
    assert wgs84_to_gcj02(*point) == point
    assert gcj02_to_wgs84(*point) == point


@pytest.mark.parametrize("point", [CAOYANG, (121.47, 31.23), (116.39, 39.91), (87.62, 43.82), (113.26, 23.13)])
def test_the_inverse_round_trips_within_a_millionth_of_a_degree(point):
    back = gcj02_to_wgs84(*wgs84_to_gcj02(*point))
    assert abs(back[0] - point[0]) < 1e-6
    assert abs(back[1] - point[1]) < 1e-6


def test_the_inverse_undoes_the_shift_rather_than_repeating_it():
    shifted = wgs84_to_gcj02(*CAOYANG)
    assert metres_between(gcj02_to_wgs84(*shifted), CAOYANG) < 0.2
    assert metres_between(gcj02_to_wgs84(*CAOYANG), CAOYANG) > 100
