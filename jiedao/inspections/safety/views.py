"""平安建设动态评估 pages: the 居委 ranking with the map and the leader's trend, one 居委's or grid's score
with the factors that moved it and the events behind them, and the weights (administrators)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from jiedao.core import charts
from jiedao.core.access import ensure_perm
from jiedao.core.roles import Perm, has_perm
from jiedao.inspections.safety import selectors, services

EVENTS_SHOWN = 30  # per factor on a score's page; the count says how many there are


def _month(request):
    try:
        return selectors.parse_month(request.GET.get("month")), None
    except ValidationError as exc:
        return selectors.parse_month(None), exc.messages[0]


@login_required
def ranking(request):
    """The month's 居委 ranking and the map; the 12-month trend arrives with its own request (``trend``), so
    the ranking shows first when the trend has closed months to count and store (after a deployment)."""
    month, error = _month(request)
    result = selectors.month_index(user=request.user, month=month)
    sub = request.user.subdistrict
    config = {"dataUrl": reverse("safety:map-data") + f"?month={month:%Y-%m}",
              "communityUrl": reverse("safety:community", args=[0]) + f"?month={month:%Y-%m}",
              "trendUrl": reverse("safety:trend") + f"?month={month:%Y-%m}",
              "center": [sub.center_lat, sub.center_lon], "tileUrl": settings.MAP_TILE_URL,
              "labels": {"score": _("平安指数"), "change": _("较上月")}}
    return render(request, "inspections/safety/ranking.html", {
        "result": result, "month": month, "error": error, "config": config,
        "can_configure": has_perm(request.user, Perm.CONFIGURE_INSPECTIONS),
    })


@login_required
def trend(request):
    """The subdistrict's index over the 12 months up to the month, as a chart and a table (an HTML fragment
    the ranking page loads)."""
    month, _error = _month(request)
    months = selectors.trend(user=request.user, month=month, months=12)
    chart = charts.line_chart([(f"{m.month:%y-%m}", m.subdistrict.score) for m in months],
                              title=_("全街道平安指数（近 12 个月）"), unit=_("分"), upper=100)
    return render(request, "inspections/safety/_trend.html", {"chart": chart, "months": months})


@login_required
def map_data(request):
    month, _error = _month(request)
    result = selectors.month_index(user=request.user, month=month)
    return JsonResponse(selectors.map_features(user=request.user, result=result))


@login_required
def community(request, community_id: int):
    month, error = _month(request)
    place, score, grids = selectors.community_score(user=request.user, community_id=community_id, month=month)
    return render(request, "inspections/safety/area.html", {
        "place": place, "score": score, "grids": grids, "month": month, "error": error,
        "shown": EVENTS_SHOWN, "level": _("居委会")})


@login_required
def grid(request, grid_id: int):
    month, error = _month(request)
    place, score = selectors.grid_score(user=request.user, grid_id=grid_id, month=month)
    return render(request, "inspections/safety/area.html", {
        "place": place, "score": score, "grids": [], "month": month, "error": error, "shown": EVENTS_SHOWN,
        "level": _("网格"), "parent": place.community})


@login_required
def weights(request):
    """平安指数权重: each factor's weight and saturation (administrators)."""
    ensure_perm(request.user, Perm.CONFIGURE_INSPECTIONS)
    rows = selectors.weights(user=request.user)
    status = 200
    if request.method == "POST":
        errors = []
        for row in rows:
            prefix = row["code"]
            try:
                weight = float(request.POST.get(f"{prefix}-weight", row["weight"]))
                saturation = float(request.POST.get(f"{prefix}-saturation", row["saturation"]))
            except ValueError:
                errors.append(_("%(name)s：权重和满扣阈值须为数字") % {"name": row["name"]})
                continue
            enabled = request.POST.get(f"{prefix}-enabled") == "on"
            if (weight, saturation, enabled) == (row["weight"], row["saturation"], row["enabled"]):
                continue
            try:
                services.set_weight(by=request.user, code=row["code"], weight=weight, saturation=saturation,
                                    enabled=enabled)
            except ValidationError as exc:
                errors += [f"{row['name']}：{m}" for m in exc.messages]
        if not errors:
            messages.success(request, _("平安指数权重已保存"))
            return redirect("safety:weights")
        for e in errors:
            messages.error(request, e)
        rows, status = selectors.weights(user=request.user), 400
    return render(request, "inspections/safety/weights.html", {"rows": rows}, status=status)
