"""Pages of the life circles (生活圈): the map, the coverage tables with the gap list, and where to build next.

Views parse, call the selectors (which check role and scope), and render.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from jiedao.core.forms import apply_errors
from jiedao.core.roles import Perm, has_perm
from jiedao.core.scope import scope_of
from jiedao.facilities import selectors, siting
from jiedao.facilities.circles import CIRCLES, STANDARD, get_circle
from jiedao.facilities.engine import engine_for
from jiedao.facilities.forms import CircleForm, PlaceFilterForm, SitesForm, WhatIfForm
from jiedao.facilities.models import Facility, FacilityType
from jiedao.geo.models import Area, Community

GAPS_SHOWN = 50  # on the page; ?all=1 lists up to GAPS_ALL
GAPS_ALL = 5000


def _subdistrict(request):
    raw = request.GET.get("subdistrict")
    return selectors.working_subdistrict(user=request.user, subdistrict_id=int(raw) if raw and raw.isdigit() else None)


def _places(user, subdistrict):
    scope = scope_of(user)
    return (Area.objects.within(scope).filter(subdistrict=subdistrict, communities__in=Community.objects.within(scope))
            .distinct().order_by("code"),
            Community.objects.within(scope).filter(subdistrict=subdistrict).order_by("code"))


def _reach(subdistrict, form: CircleForm) -> tuple:
    facility_type = form.cleaned_data["type"]
    circle = get_circle(form.cleaned_data.get("circle") or facility_type.circle)
    engine = engine_for(subdistrict.pk)
    return facility_type, circle, selectors.within_m(engine, facility_type, circle), engine.speed_for(facility_type)


def _circle_form(request) -> CircleForm:
    form = CircleForm(request.GET)
    if not form.is_valid():
        form = CircleForm(QueryDict(""))
        form.is_valid()
    return form


@login_required
def map_page(request):
    """生活圈地图: a type's circles as walking isochrones, buildings coloured by their walk, the gaps beside."""
    subdistrict = _subdistrict(request)
    form = _circle_form(request)
    facility_type, circle, within, speed = _reach(subdistrict, form)
    result = selectors.type_coverage(user=request.user, subdistrict=subdistrict, facility_type=facility_type,
                                     within=within)
    gaps = selectors.uncovered_buildings(user=request.user, subdistrict=subdistrict, facility_type=facility_type,
                                         within=within)
    query = {"type": facility_type.code, "within": f"{within:.1f}", "subdistrict": subdistrict.pk}
    config = {
        "api": "/api/v1/facilities/", "geo": "/api/v1/geo/layers/", "query": query,
        "center": [subdistrict.center_lat, subdistrict.center_lon], "within": within, "speed": speed,
        "tileUrl": settings.MAP_TILE_URL, "tileCrs": settings.MAP_TILE_CRS,
        "labels": {
            "facilities": _("设施"), "isochrones": _("步行服务圈"), "buildings": _("楼栋"), "roads": _("道路"),
            "communities": _("居委会"), "covered": _("圈内"), "near": _("超出 2 倍以内"), "far": _("更远"),
            "unreachable": _("不可达"), "planned": _("规划中"), "closed": _("已关闭"), "open": _("运营中"),
            "metres": _("米"), "minutes": _("分钟"), "residents": _("居民"), "elderly": _("60 岁及以上"),
            "approximate": _("示意几何，非测绘数据"), "walk": _("步行"),
            "whatIf": _("假设在此新增"), "whatIfDone": _("新增后覆盖（60 岁及以上 / 居民）"),
        },
        "elderly": facility_type.elderly,
        "whatIfUrl": reverse("facilities:sites"),
    }
    context = {
        "subdistrict": subdistrict, "form": form, "type": facility_type, "circle": circle, "within": within,
        "speed": speed, "result": result, "gaps": gaps[:20], "gap_count": len(gaps), "config": config,
        "elderly_weighted": facility_type.elderly,
    }
    return render(request, "facilities/map.html", context)


@login_required
def coverage(request):
    """覆盖率总表: every type at its own circle and at the standard circles, for the scope (or a 片区 / 居委)."""
    subdistrict = _subdistrict(request)
    areas, communities = _places(request.user, subdistrict)
    places = PlaceFilterForm(request.GET, areas=areas, communities=communities)
    narrowed = places.cleaned_data if places.is_valid() else {}
    rows = selectors.coverage_overview(user=request.user, subdistrict=subdistrict,
                                       community_id=narrowed.get("community"), area_id=narrowed.get("area"))
    engine = engine_for(subdistrict.pk)
    context = {
        "subdistrict": subdistrict, "rows": rows, "places": places,
        "run": selectors.access_run(subdistrict=subdistrict),
        "circles": [CIRCLES[c] for c in STANDARD], "network": engine.network,
        "adult_speed": engine.settings.adult_speed, "elderly_speed": engine.settings.elderly_speed,
    }
    return render(request, "facilities/coverage.html", context)


@login_required
def type_page(request, code: str):
    """一类设施: its coverage per 片区 and 居委 within a circle, and the buildings it does not cover."""
    subdistrict = _subdistrict(request)
    if not FacilityType.objects.filter(code=code).exists():
        raise Http404
    data = request.GET.copy()
    data["type"] = code
    form = CircleForm(data)
    if not form.is_valid():  # an unknown circle: the type's own
        data.pop("circle", None)
        form = CircleForm(data)
        form.is_valid()
    facility_type, circle, within, speed = _reach(subdistrict, form)
    result = selectors.type_coverage(user=request.user, subdistrict=subdistrict, facility_type=facility_type,
                                     within=within)
    gaps = selectors.uncovered_buildings(user=request.user, subdistrict=subdistrict, facility_type=facility_type,
                                         within=within)
    facilities = selectors.facility_list(user=request.user, subdistrict=subdistrict, filters={"type": code})
    context = {
        "subdistrict": subdistrict, "form": form, "type": facility_type, "circle": circle, "within": within,
        "speed": speed, "result": result, "gaps": gaps[:GAPS_ALL if request.GET.get("all") else GAPS_SHOWN],
        "gap_count": len(gaps),
        "gap_residents": sum(g["residents"] for g in gaps), "gap_elderly": sum(g["elderly"] for g in gaps),
        "facilities": facilities, "circles": [(c, c.label) for c in CIRCLES.values()],
    }
    return render(request, "facilities/type.html", context)


@login_required
def sites(request):
    """选址与假设分析: k sites that cover the most uncovered (elderly) residents; a facility added or closed."""
    subdistrict = _subdistrict(request)
    areas, communities = _places(request.user, subdistrict)
    asked = "k" in request.GET
    form = SitesForm(request.GET if asked else None, areas=areas, communities=communities,
                     initial={"type": request.GET.get("type", "meal_point"), "k": 5, "kind": "buildings"})
    result = what_if_result = None
    if asked and form.is_valid():
        d = form.cleaned_data
        try:
            facility_type = d["type"]
            within = selectors.within_m(engine_for(subdistrict.pk), facility_type,
                                        get_circle(d["circle"] or facility_type.circle))
            candidates = siting.candidates_from(
                user=request.user, subdistrict=subdistrict, kind=d["kind"], community_id=d["community"],
                area_id=d["area"], facility_type=d["site_type"], points=d["points"])
            result = siting.choose_sites(user=request.user, subdistrict=subdistrict, facility_type=facility_type,
                                         within=within, k=d["k"], candidates=candidates, weight=d["weight"] or None)
        except ValidationError as exc:
            apply_errors(form, exc, aliases={"site_type": "site_type"})
    what_type = (form.cleaned_data.get("type") if asked and form.is_valid() else None) or _default_type(request)
    facilities = list(Facility.objects.filter(subdistrict=subdistrict, type=what_type).order_by("name"))
    what = WhatIfForm(request.GET if "what_if" in request.GET else None, facilities=facilities,
                      initial={"type": what_type.code})
    if "what_if" in request.GET and what.is_valid():
        d = what.cleaned_data
        try:
            within = selectors.within_m(engine_for(subdistrict.pk), d["type"],
                                        get_circle(d["circle"] or d["type"].circle))
            add = siting.parse_points(d["add"], subdistrict=subdistrict) if d["add"].strip() else []
            what_if_result = siting.what_if(
                user=request.user, subdistrict=subdistrict, facility_type=d["type"], within=within, add=add,
                close=[f.pk for f in d["close"]], open_planned=[f.pk for f in d["open"]])
        except ValidationError as exc:
            apply_errors(what, exc)
    config = None
    if result is not None:
        engine = engine_for(subdistrict.pk)
        position = {b: [round(lat, 6), round(lon, 6)] for b, lon, lat in zip(
            engine.building_ids.tolist(), engine.building_lon.tolist(), engine.building_lat.tolist(), strict=True)}
        config = {"center": [subdistrict.center_lat, subdistrict.center_lon], "geo": "/api/v1/geo/layers/",
                  "subdistrict": subdistrict.pk, "tileUrl": settings.MAP_TILE_URL, "tileCrs": settings.MAP_TILE_CRS,
                  "picks": [{"n": n, "label": p.candidate.label, "lat": p.candidate.lat, "lon": p.candidate.lon,
                             "gain": p.gain_elderly if result.weight == "elderly" else p.gain_residents,
                             "covers": [position[b] for b in p.buildings]}
                            for n, p in enumerate(result.picks, start=1)],
                  "within": result.within_m, "type": result.type.code,
                  "labels": {"pick": _("第 %(n)s 处"), "gain": _("新覆盖")}}
    context = {"subdistrict": subdistrict, "form": form, "result": result, "what": what, "what_if": what_if_result,
               "config": config, "can_see": has_perm(request.user, Perm.VIEW_FACILITIES)}
    status = 400 if (asked and form.errors) or ("what_if" in request.GET and what.errors) else 200
    return render(request, "facilities/sites.html", context, status=status)


def _default_type(request):
    code = request.GET.get("type", "meal_point")
    try:
        return selectors.get_type(code)
    except ValidationError:
        return selectors.get_type("meal_point")
