"""Benchmark: place 100,000 points in ~84 grids (网格定位) with ``GridIndex.place``.

Runs without a database: the grids are 12 × 7 rectangles tiling a 1.5 km × 1.5 km box around 曹杨新村
(121.41E, 31.24N), and the points are uniform in a slightly larger box so that some fall outside.
Prints one line and exits non-zero when the best of three runs is over the limit or a point is misplaced.

    .venv/bin/python bench/place_points.py
"""

import math
import os
import sys
import time
from pathlib import Path

import django
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiedao.settings")
django.setup()

from jiedao.geo.placement import GridIndex  # noqa: E402 - needs django.setup()

LIMIT_S = 0.5
N_POINTS = 100_000
COLS, ROWS = 12, 7  # 84 grids
CENTRE_LON, CENTRE_LAT = 121.41, 31.24
SIDE_M = 1500.0
M_PER_DEG_LAT = 111_320.0


def tiling() -> tuple[list[tuple[int, dict]], float, float, float, float]:
    """The grids as (id, GeoJSON polygon) and the box's west, south, width and height in degrees."""
    height = SIDE_M / M_PER_DEG_LAT
    width = SIDE_M / (M_PER_DEG_LAT * math.cos(math.radians(CENTRE_LAT)))
    west, south = CENTRE_LON - width / 2, CENTRE_LAT - height / 2
    dx, dy = width / COLS, height / ROWS
    grids = []
    for row in range(ROWS):
        for col in range(COLS):
            x0, y0 = west + col * dx, south + row * dy
            ring = [[x0, y0], [x0 + dx, y0], [x0 + dx, y0 + dy], [x0, y0 + dy], [x0, y0]]
            grids.append((row * COLS + col + 1, {"type": "Polygon", "coordinates": [ring]}))
    return grids, west, south, width, height


def main() -> int:
    grids, west, south, width, height = tiling()
    index = GridIndex.from_grids(grids)
    rng = np.random.default_rng(20240601)
    margin = 0.05  # 5 % of the box on each side lies outside every grid
    lons = rng.uniform(west - margin * width, west + (1 + margin) * width, N_POINTS)
    lats = rng.uniform(south - margin * height, south + (1 + margin) * height, N_POINTS)

    best, placed = math.inf, None
    for _ in range(3):
        start = time.perf_counter()
        placed = index.place(lons, lats)
        best = min(best, time.perf_counter() - start)

    # Check the answer against arithmetic on the regular tiling.
    col = np.floor((lons - west) / (width / COLS)).astype(int)
    row = np.floor((lats - south) / (height / ROWS)).astype(int)
    inside = (col >= 0) & (col < COLS) & (row >= 0) & (row < ROWS)
    expected = np.where(inside, row * COLS + col + 1, -1)
    wrong = int(np.count_nonzero(placed != expected))

    print(f"place_points: {N_POINTS:,} points in {best:.2f} s (limit {LIMIT_S:g} s)")
    if wrong:
        print(f"place_points: {wrong:,} points placed in the wrong grid", file=sys.stderr)
        return 2
    return 0 if best <= LIMIT_S else 1


if __name__ == "__main__":
    sys.exit(main())
