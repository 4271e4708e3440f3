"""考核指标: every KPI of selectors.METRICS by period and group, each number a link to the cases behind it; the
12-month trend of 立案数 and 结案数, and of 疑似重复采纳率 (the share of duplicate flags the operators merged)."""

import datetime as dt
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from jiedao.cases import selectors, services
from jiedao.cases.forms import BY_CHOICES, KpiCasesForm, KpiForm
from jiedao.cases.views.common import time_left
from jiedao.core import charts
from jiedao.core.access import ensure_perm
from jiedao.core.roles import Perm

NONE_KEY = "none"  # the group of cases with no department / place / category yet
PENDING = "#9aa5b1"  # flags not answered yet: grey beside the answered ones


def _columns() -> list[dict]:
    cols = [{"key": m.key, "label": m.label, "rate": m.numerator is not None, "definition": m.definition}
            for m in selectors.METRICS.values()]
    cols.append({"key": selectors.AVG_HOURS, "label": _("平均处置时长（小时）"), "rate": False, "hours": True,
                 "definition": selectors.DEFINITIONS[selectors.AVG_HOURS]})
    cols.append({"key": selectors.OVERDUE, "label": _("超期在办数"), "rate": False,
                 "definition": selectors.DEFINITIONS[selectors.OVERDUE]})
    return cols


def _cells(metrics: dict, base: dict) -> list[dict]:
    """One cell per column: the value and the drill-down links of its numerator and denominator."""

    def link(metric: str, part: str) -> str:
        return "cases/?" + urlencode({**base, "metric": metric, "part": part})

    cells = []
    for col in _columns():
        value = metrics.get(col["key"])
        if col["rate"]:
            cells.append({"rate": value["rate"], "numerator": value["numerator"],
                          "denominator": value["denominator"], "numerator_url": link(col["key"], "numerator"),
                          "denominator_url": link(col["key"], "denominator")})
        else:
            cells.append({"value": value, "url": link(col["key"], "denominator")})
    return cells


def _month_start(day: dt.date, back: int) -> dt.date:
    y, m = day.year, day.month - back
    while m <= 0:
        y, m = y - 1, m + 12
    return dt.date(y, m, 1)


@login_required
@require_GET
def kpi_page(request):
    ensure_perm(request.user, Perm.VIEW_CASE_KPIS)
    defaults = {"period": "month", "date": timezone.localdate().isoformat(), "by": "department"}
    form = KpiForm({**defaults, **{k: v for k, v in request.GET.items() if v}})
    form.is_valid()
    period, day, by = form.values()
    start, end = selectors.period_bounds(period=period, day=day)
    data = selectors.kpis(user=request.user, start=start, end=end, by=by)
    base = {"period": period, "date": day.isoformat(), "by": by}
    labels = dict(BY_CHOICES)
    rows = []
    for row in data["rows"]:
        key = NONE_KEY if row["key"] is None else row["key"]
        label = row["label"] or _("（未分配）")
        if by == "category" and row["label"]:
            label = _(label)  # category names ship as data with their English (RULES.md)
        rows.append({"label": label, "key": key,
                     "cells": _cells(row["metrics"], {**base, "group": 1, "key": "" if key == NONE_KEY else key})})
    total = _cells(data["total"], base)

    names = [str(r["label"]) for r in rows]
    rate_series = [(str(selectors.METRICS[k].label), [r["metrics"][k]["rate"] for r in data["rows"]])
                   for k in ("on_time_rate", "first_contact_rate")]
    rate_title = _("按时办结率与先行联系率（按%(by)s）") % {"by": labels[by]}
    # 立案数 / 结案数 by month over the 12 months ending with the chosen period's month.
    months = [_month_start(day, back) for back in range(11, -1, -1)]
    counts = selectors.monthly_counts(user=request.user, months=months)
    month_labels = [m.strftime("%Y-%m") for m in months]
    trend_series = [(str(selectors.METRICS[k].label), counts[k]) for k in ("registered", "closed")]
    trend_title = _("近 12 个月立案数与结案数")
    # 疑似重复采纳率 over the same months: how often the operators agree with the duplicate flag.
    acceptance = services.duplicate_acceptance(user=request.user, months=months)
    acceptance_title = _("近 12 个月疑似重复采纳率")
    acceptance_label = str(_("疑似重复采纳率"))
    rates = [m["rate"] for m in acceptance]
    # On screen ECharts draws from the data (cases/kpis.js); the server's SVG charts are for print.
    chart_data = {
        "colours": charts.SERIES_COLOURS,
        "rates": {"title": rate_title, "unit": "%", "max": 100, "categories": names,
                  "series": [{"name": n, "data": v} for n, v in rate_series], "empty": _("暂无数据")},
        "trend": {"title": trend_title, "unit": "", "categories": month_labels,
                  "series": [{"name": n, "data": v} for n, v in trend_series], "empty": _("暂无数据")},
        "acceptance": {
            "title": acceptance_title, "unit": "%", "categories": month_labels if any(a["flagged"] for a in acceptance)
            else [], "rate": {"name": acceptance_label, "data": rates},
            "series": [{"name": str(_("合并")), "data": [a["accepted"] for a in acceptance]},
                       {"name": str(_("不是重复")), "data": [a["rejected"] for a in acceptance]},
                       {"name": str(_("待判定")), "data": [a["pending"] for a in acceptance], "colour": PENDING}],
            "empty": _("近 12 个月没有疑似重复标记"),
        },
    }
    definitions = [*_columns(), {"label": acceptance_label, "definition":
                                 selectors.DEFINITIONS[selectors.DUPLICATE_ACCEPTANCE]}]
    return render(request, "cases/kpis.html", {
        "form": form, "columns": _columns(), "rows": rows, "total": total, "start": start,
        "end": end - dt.timedelta(seconds=1), "by_label": labels[by], "chart_data": chart_data,
        "rate_title": rate_title, "trend_title": trend_title, "acceptance_title": acceptance_title,
        "acceptance": [{"label": label, **a} for label, a in zip(month_labels, acceptance, strict=True)],
        "definitions": definitions,
        "rate_chart": charts.grouped_bars(names, rate_series, unit="%", top=100, title=rate_title),
        "trend_chart": charts.grouped_bars(month_labels, trend_series, title=trend_title, integer=True),
        "acceptance_chart": charts.grouped_bars(month_labels, [(acceptance_label, rates)], unit="%", top=100,
                                                title=acceptance_title),
    })


@login_required
@require_GET
def kpi_cases(request):
    """指标下钻: the list of cases behind one number of the KPI page."""
    ensure_perm(request.user, Perm.VIEW_CASE_KPIS)
    form = KpiCasesForm(request.GET)
    if not form.is_valid():
        return render(request, "cases/kpi_cases.html", {"form": form, "error": _("参数无效")}, status=400)
    period, day, by = form.values()
    start, end = selectors.period_bounds(period=period, day=day)
    d = form.cleaned_data
    group = bool(d["group"])
    try:
        cases = selectors.kpi_cases(user=request.user, metric=d["metric"], part=d["part"] or "numerator", start=start,
                                    end=end, by=by if group else "", key=d["key"] if group else None)
    except ValidationError as exc:
        return render(request, "cases/kpi_cases.html", {"form": form, "error": "；".join(exc.messages)},
                      status=400)
    now = timezone.now()
    page = Paginator(cases, 50).get_page(request.GET.get("page"))
    metric = selectors.METRICS.get(d["metric"])
    label = metric.label if metric else {selectors.AVG_HOURS: _("平均处置时长"),
                                         selectors.OVERDUE: _("超期在办数")}.get(d["metric"], d["metric"])
    query = urlencode({k: v for k, v in request.GET.items() if k != "page"})
    back = urlencode({"period": period, "date": day.isoformat(), "by": by})
    return render(request, "cases/kpi_cases.html", {
        "form": form, "page": page, "rows": [{"case": c, "due": time_left(c, now)} for c in page],
        "label": label, "part": d["part"] or "numerator", "rate": bool(metric and metric.numerator is not None),
        "start": start, "end": end - dt.timedelta(seconds=1), "query": query, "back": back,
    })
