"""Reads of the safety index (平安指数) for pages and the API. The index is figures per place, never people;
the events behind a score are labelled by their number and kind and link to their own pages, where the
reader's own permissions apply."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from jiedao.core.access import ensure_perm, get_in_scope
from jiedao.core.roles import Perm
from jiedao.geo.models import Community, Grid
from jiedao.inspections.models import DEFAULT_FACTORS, FALLBACK, TREND, SafetyWeight
from jiedao.inspections.safety import index
from jiedao.inspections.safety.index import AreaScore, MonthIndex


def _subdistrict_id(user) -> int:
    ensure_perm(user, Perm.VIEW_INSPECTIONS)
    if user.subdistrict_id is None:
        raise PermissionDenied(_("您的账号未关联街道"))
    return user.subdistrict_id


EARLIEST_YEAR = 2000  # 一网统管 began in 2018; records imported from before are still counted


def parse_month(value: str | None) -> dt.date:
    """``YYYY-MM`` → its first day; empty: the current month."""
    if not value:
        return timezone.localdate().replace(day=1)
    try:
        month = dt.datetime.strptime(value, "%Y-%m").date()
    except ValueError as exc:
        raise ValidationError({"month": _("月份格式应为 YYYY-MM，例如 2026-03")}) from exc
    if month > timezone.localdate():
        raise ValidationError({"month": _("不能查看尚未开始的月份")})
    if month.year < EARLIEST_YEAR:  # a closed month is stored once looked at: none from before the platform
        raise ValidationError({"month": _("只能查看 %(y)s 年以来的月份") % {"y": EARLIEST_YEAR}})
    return month


def month_index(*, user, month: dt.date, keep_events: bool = False) -> MonthIndex:
    """The index of one month for the reader's subdistrict: every 居委 (ranked) and grid."""
    [result] = index.compute(subdistrict_id=_subdistrict_id(user), month=month, keep_events=keep_events)
    return result


def community_score(*, user, community_id: int, month: dt.date) -> tuple[Community, AreaScore, list[AreaScore]]:
    """One 居委's score with its factors and events, and its grids' scores."""
    community = get_in_scope(Community.objects.all(), user=user, pk=community_id)
    result = month_index(user=user, month=month, keep_events=True)
    score = next(a for a in result.communities if a.id == community.pk)
    return community, score, [g for g in result.grids if g.community_id == community.pk]


def grid_score(*, user, grid_id: int, month: dt.date) -> tuple[Grid, AreaScore]:
    grid = get_in_scope(Grid.objects.select_related("community"), user=user, pk=grid_id)
    result = month_index(user=user, month=month, keep_events=True)
    return grid, next(a for a in result.grids if a.id == grid.pk)


def trend(*, user, month: dt.date, months: int = 12) -> list[MonthIndex]:
    """The last ``months`` months up to ``month`` (counts only), oldest first: the leader's trend."""
    if not 1 <= months <= 36:
        raise ValidationError({"months": _("月数须在 1 到 36 之间")})
    return index.compute(subdistrict_id=_subdistrict_id(user), month=month, count=months, keep_events=False)


def map_features(*, user, result: MonthIndex) -> dict:
    """The 居委 outlines with their scores as GeoJSON (GCJ-02 when the map's tiles need it)."""
    scores = {a.id: a for a in result.communities}
    features = []
    for c in Community.objects.filter(subdistrict_id=_subdistrict_id(user), geometry__isnull=False):
        a = scores.get(c.pk)
        if a is None:
            continue
        geometry = c.geometry
        if settings.MAP_TILE_CRS == "gcj02":
            geometry = _to_gcj02(geometry)
        features.append({"type": "Feature", "geometry": geometry, "properties": {
            "id": c.pk, "name": c.name, "score": a.score, "change": a.change}})
    return {"type": "FeatureCollection", "features": features}


def _to_gcj02(geometry: dict) -> dict:
    from jiedao.geo.gcj02 import wgs84_to_gcj02

    def walk(coords):
        if coords and isinstance(coords[0], (int, float)):
            return list(wgs84_to_gcj02(coords[0], coords[1]))
        return [walk(c) for c in coords]

    return {**geometry, "coordinates": walk(geometry["coordinates"])}


def weights(*, user) -> list[dict]:
    """Every factor's weight row as it applies (its row, else the default), for the settings page."""
    ensure_perm(user, Perm.CONFIGURE_INSPECTIONS)
    specs, trend_spec = index.factor_specs(subdistrict_id=user.subdistrict_id)
    rows = {w.code: w for w in SafetyWeight.objects.filter(subdistrict_id=user.subdistrict_id)}
    out = []
    for s in [*specs, trend_spec]:
        default = DEFAULT_FACTORS.get(s.code, FALLBACK)
        out.append({"code": s.code, "name": s.name, "source": s.source, "definition": s.definition,
                    "weight": s.weight, "saturation": s.saturation, "enabled": s.enabled,
                    "installed": s.installed, "default_weight": default[0], "default_saturation": default[1],
                    "custom": s.code in rows, "is_trend": s.code == TREND})
    return out
