"""Reads of the place hierarchy, always within the user's scope, as rows or GeoJSON."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from jiedao.core.models import Subdistrict, User
from jiedao.core.scope import scope_of
from jiedao.geo.models import Area, Building, Community, Estate, Grid, Road

# Layer name → (model, select_related, properties of each feature). The map and the API share this.
LAYERS = {
    "subdistricts": (Subdistrict, (), ("code", "name", "district")),
    "areas": (Area, (), ("code", "name")),
    "communities": (Community, ("area",), ("code", "name", "area_id")),
    "grids": (Grid, ("community",), ("code", "name", "community_id")),
    "estates": (Estate, (), ("code", "name", "community_id")),
    "roads": (Road, (), ("name",)),
    "buildings": (Building, ("road",), ("code", "address", "estate_id", "grid_id", "community_id", "floors")),
}


def layer_queryset(*, user: User, layer: str, subdistrict_id: int | None = None):
    if layer not in LAYERS:
        raise ValidationError(
            _("未知图层：%(layer)s（可选：%(choices)s）") % {"layer": layer, "choices": "、".join(LAYERS)}
        )
    model, related, _props = LAYERS[layer]
    qs = model.objects.within(scope_of(user)).select_related(*related)
    if subdistrict_id is not None:
        qs = qs.filter(**{model.scope_subdistrict: subdistrict_id})
    return qs


def _geometry(obj) -> dict | None:
    if isinstance(obj, Building):
        return {"type": "Point", "coordinates": [obj.lon, obj.lat]}
    if isinstance(obj, Subdistrict):
        return obj.boundary
    return obj.geometry


def layer_geojson(*, user: User, layer: str, subdistrict_id: int | None = None) -> dict:
    """One layer as a GeoJSON FeatureCollection (RFC 7946, WGS84 longitude/latitude)."""
    _model, _related, props = LAYERS[layer] if layer in LAYERS else (None, None, ())
    qs = layer_queryset(user=user, layer=layer, subdistrict_id=subdistrict_id)
    features = [
        {
            "type": "Feature",
            "id": obj.pk,
            "geometry": _geometry(obj),
            "properties": {"layer": layer, **{p: getattr(obj, p) for p in props}},
        }
        for obj in qs
    ]
    return {"type": "FeatureCollection", "features": features}


def subdistricts_for(*, user: User):
    return Subdistrict.objects.within(scope_of(user))


def place_counts(*, subdistrict_id: int) -> dict[str, int]:
    """How many 居委会, grids and buildings the subdistrict has (aggregate figures, no user: planning's
    data elements in ``geo.contributions``)."""
    return {
        "communities": Community.objects.filter(subdistrict_id=subdistrict_id).count(),
        "grids": Grid.objects.filter(subdistrict_id=subdistrict_id).count(),
        "buildings": Building.objects.filter(subdistrict_id=subdistrict_id).count(),
    }
