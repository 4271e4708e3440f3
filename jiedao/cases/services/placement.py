"""Placing a case: in a grid, 居委 and 片区 from its coordinates or its address at intake (``place_case``),
or by hand when intake could not (``place_by_hand``, the "place" step of the loop)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from jiedao.cases.models import Case
from jiedao.core.cache import ProcessCache

# Per subdistrict, kept by each process for a minute like the placement and address indexes they serve.
_grid_places: ProcessCache[dict[int, tuple[int, int]]] = ProcessCache(ttl=60)
_buildings: ProcessCache[dict[int, tuple]] = ProcessCache(ttl=60)


def place_case(*, case: Case) -> None:
    """Put the case in a grid, 居委 and 片区: from its coordinates, else from its building (given with a linked
    household) or its address; when nothing works the case is kept and flagged for manual placement
    (待人工定位)."""
    from jiedao.geo.address import address_index
    from jiedao.geo.placement import grid_index

    grid_id = None
    building_id = case.building_id  # a linked household's building: surer than parsing the address
    if case.lat is not None and case.lon is not None:
        grid_id = grid_index(case.subdistrict_id).place_one(case.lon, case.lat)
    if case.address and building_id is None:
        _parsed, building_id = address_index(case.subdistrict_id).parse_and_resolve(case.address)
    if building_id is not None:
        building_grid, lat, lon = _building_place(case.subdistrict_id, building_id)
        case.building_id = building_id
        # The household's own building places a linked case even against a phone's point (a visit's GPS
        # can be far off); an address's building only where the point gave no grid.
        grid_id = (building_grid or grid_id) if case.household_id else (grid_id or building_grid)
        if case.lat is None:
            case.lat, case.lon = lat, lon
    if grid_id is None:
        case.needs_placement = True
        return
    places = _places_of_grids(case.subdistrict_id)
    if grid_id not in places:  # a grid drawn in the last minute: read again
        _grid_places.clear(case.subdistrict_id)
        places = _places_of_grids(case.subdistrict_id)
    community_id, area_id = places[grid_id]
    case.grid_id, case.community_id, case.area_id = grid_id, community_id, area_id
    case.needs_placement = False


def _places_of_grids(subdistrict_id: int) -> dict[int, tuple[int, int]]:
    """grid id → (居委 id, 片区 id) of the subdistrict's grids."""
    from jiedao.geo.models import Grid

    def load():
        rows = Grid.objects.filter(subdistrict_id=subdistrict_id).values_list("pk", "community_id",
                                                                              "community__area_id")
        return {pk: (c, a) for pk, c, a in rows}

    return _grid_places.get(subdistrict_id, load)


def _building_place(subdistrict_id: int, building_id: int) -> tuple[int | None, float | None, float | None]:
    """A building's (grid id, lat, lon), from the copy of the subdistrict's buildings; a building missing
    from it (added in the last minute) is read."""
    from jiedao.geo.models import Building

    def load():
        rows = Building.objects.filter(subdistrict_id=subdistrict_id).values_list("pk", "grid_id", "lat", "lon")
        return {pk: (grid, lat, lon) for pk, grid, lat, lon in rows.iterator()}

    found = _buildings.get(subdistrict_id, load).get(building_id)
    if found is None:
        found = Building.objects.filter(pk=building_id).values_list("grid_id", "lat", "lon").first() \
            or (None, None, None)
    return found


def place_by_hand(*, case: Case, params: dict) -> dict:
    """人工定位: put the case in the grid at a point picked on the map (``lat``, ``lon``) or in the grid given
    by id or code (``grid``); returns the timeline event's data."""
    from jiedao.geo.models import Grid

    grid = None
    if params.get("lat") is not None and params.get("lon") is not None:
        from jiedao.geo.placement import grid_index, validate_lonlat

        lon, lat = validate_lonlat(params["lon"], params["lat"])
        grid_id = grid_index(case.subdistrict_id).place_one(lon, lat)
        if grid_id is None:
            raise ValidationError({"location": _("该位置不在本街道的任何网格内")})
        grid = Grid.objects.select_related("community").get(pk=grid_id)
        case.lat, case.lon = lat, lon
    elif params.get("grid"):
        value = params["grid"]
        qs = Grid.objects.filter(subdistrict_id=case.subdistrict_id).select_related("community")
        grid = (qs.filter(pk=value).first() if str(value).isdigit() else None) or qs.filter(code=value).first()
        if grid is None:
            raise ValidationError({"grid": _("未知的网格：%(g)s") % {"g": value}})
    else:
        raise ValidationError({"grid": _("请在地图上选点或选择网格")})
    case.grid_id, case.community_id, case.area_id = grid.pk, grid.community_id, grid.community.area_id
    case.needs_placement = False
    return {"grid": grid.code}
