"""Point-in-grid placement (网格定位): which 网格 a WGS84 point lies in.

An STRtree over the grid polygons answers a whole array of points in one vectorised query, so intake,
imports and the demo place points in bulk.
"""

from dataclasses import dataclass

import numpy as np
import shapely
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from jiedao.core.cache import ProcessCache
from jiedao.geo.models import Grid


def validate_lonlat(lon, lat) -> tuple[float, float]:
    """Check one WGS84 coordinate pair; users get a message naming what is wrong."""
    try:
        lon_f, lat_f = float(lon), float(lat)
    except (TypeError, ValueError) as exc:
        raise ValidationError(_("坐标必须是数字：经度 %(lon)s，纬度 %(lat)s") % {"lon": lon, "lat": lat}) from exc
    if not (np.isfinite(lon_f) and np.isfinite(lat_f)):
        raise ValidationError(_("坐标不能为空或无穷大"))
    if not -180 <= lon_f <= 180:
        raise ValidationError(_("经度超出范围（-180 到 180）：%(lon)s") % {"lon": lon})
    if not -90 <= lat_f <= 90:
        raise ValidationError(_("纬度超出范围（-90 到 90）：%(lat)s") % {"lat": lat})
    return lon_f, lat_f


@dataclass
class GridIndex:
    grid_ids: np.ndarray
    tree: shapely.STRtree

    @classmethod
    def from_grids(cls, grids) -> "GridIndex":
        ids, polys = [], []
        for grid_id, geometry in grids:
            if geometry:
                ids.append(grid_id)
                polys.append(shapely.geometry.shape(geometry))
        return cls(np.asarray(ids, dtype=np.int64), shapely.STRtree(polys))

    def place(self, lons, lats) -> np.ndarray:
        """Grid id for each point, -1 where no grid contains it (first match on a shared edge)."""
        points = shapely.points(np.asarray(lons, dtype=float), np.asarray(lats, dtype=float))
        out = np.full(len(points), -1, dtype=np.int64)
        if len(self.grid_ids) == 0:
            return out
        point_idx, grid_idx = self.tree.query(points, predicate="intersects")
        # A point on a shared edge hits several grids: the first grid listed (lowest code) wins. The
        # tree returns hits in traversal order, so sort them by (point, grid) and keep each point's first.
        order = np.lexsort((grid_idx, point_idx))
        point_idx, grid_idx = point_idx[order], grid_idx[order]
        first = np.r_[True, point_idx[1:] != point_idx[:-1]] if len(point_idx) else np.zeros(0, dtype=bool)
        out[point_idx[first]] = self.grid_ids[grid_idx[first]]
        return out

    def place_one(self, lon: float, lat: float) -> int | None:
        grid_id = int(self.place([lon], [lat])[0])
        return None if grid_id < 0 else grid_id


# Each server process keeps the index of each subdistrict (None: all grids); a save of a grid in this
# process clears it at once, and the TTL bounds how long another process (or a bulk write, which sends no
# signal) can go on using an old one.
_grid_indexes: ProcessCache[GridIndex] = ProcessCache(ttl=60, cleared_by=[Grid])


def grid_index(subdistrict_id: int | None = None) -> GridIndex:
    """The (cached) index of one subdistrict's grids, or of all grids."""
    return _grid_indexes.get(subdistrict_id, lambda: _build_grid_index(subdistrict_id))


def _build_grid_index(subdistrict_id: int | None) -> GridIndex:
    qs = Grid.objects.all()
    if subdistrict_id is not None:
        qs = qs.filter(subdistrict_id=subdistrict_id)
    return GridIndex.from_grids(qs.order_by("code").values_list("id", "geometry"))


def place_point(*, lon, lat, subdistrict_id: int | None = None) -> Grid | None:
    """The grid containing the point, or None when it lies outside every grid."""
    lon_f, lat_f = validate_lonlat(lon, lat)
    grid_id = grid_index(subdistrict_id).place_one(lon_f, lat_f)
    return Grid.objects.select_related("community__area").get(pk=grid_id) if grid_id else None
