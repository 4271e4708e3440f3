"""Charts as inline SVG, drawn on the server: no JavaScript, no CDN, and they print (and go into the PDF)
as they show.

Python works out the geometry; the templates in ``core/templates/core/charts/`` write the markup,
autoescaped, as healthchecks draws its badges (``hc/lib/badges.py``). Every chart is an
``<svg class="chart" role="img">`` whose ``<title>`` and ``aria-label`` name it. Colours that carry a
meaning of their own (planning's status colours) come from the caller: core knows no app above it.
"""

import math
from collections.abc import Mapping, Sequence
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

SERIES_COLOURS = ("#1d4ed8", "#d97706", "#166534", "#b42318")
LINE_COLOUR = "#1d4ed8"

Number = Decimal | float | int


def grouped_bars(labels: Sequence[str], series: Sequence[tuple[str, Sequence[Number | None]]], *, title: str,
                 unit: str = "", top: float | None = None, integer: bool = False, width: int = 640,
                 height: int = 260) -> SafeString:
    """Bars of one or more series side by side for each label, with a legend; a None value draws no bar.

    ``top``: the scale's maximum (100 for rates), else the largest value. ``integer``: counts, so the
    scale's four steps are whole numbers.
    """
    known = [float(v) for _name, values in series for v in values if v is not None]
    if not labels or not known:
        return _empty(width, title)
    hi = top if top is not None else nice_top(max(known), integer=integer)
    left, right, top_pad, bottom = 48, 12, 48, 36
    plot_w, plot_h = width - left - right, height - top_pad - bottom
    slot = plot_w / len(labels)
    bar_w = max(2.0, min(28.0, slot * 0.8 / len(series)))
    fits = max(2, int(slot // 11))  # characters of 11 px that fit under a bar group

    def y(v: float) -> float:
        return top_pad + plot_h - v / hi * plot_h

    ticks = [{"y": _n(y(v)), "text_y": _n(y(v) + 4), "text": f"{_n(v)}{unit}"} for v in (hi * k / 4 for k in range(5))]
    groups = []
    for i, label in enumerate(labels):
        x0 = left + slot * i + (slot - bar_w * len(series)) / 2
        bars = [{"x": _n(x0 + s * bar_w), "y": _n(y(float(v))), "width": _n(bar_w - 1),
                 "height": _n(y(0) - y(float(v))), "colour": _colour(s),
                 "title": f"{label} · {name}: {_n(float(v))}{unit}"}
                for s, (name, values) in enumerate(series) if (v := values[i]) is not None]
        groups.append({"bars": bars, "x": _n(left + slot * (i + 0.5)), "label": label,
                       "text": label if len(label) <= fits else label[:fits - 1] + "…"})
    legend, lx = [], left
    for s, (name, _values) in enumerate(series):
        legend.append({"x": lx, "text_x": lx + 15, "colour": _colour(s), "name": name})
        lx += 30 + 13 * len(name)
    return _render("grouped_bars", width=width, height=height, title=title, left=left, right=width - right,
                   tick_x=left - 6, axis_y=top_pad + plot_h, label_y=height - bottom + 16, ticks=ticks,
                   groups=groups, legend=legend)


_NICE_STEPS = (1, 2, 2.5, 3, 4, 5, 6, 8, 10)


def nice_top(value: float, *, integer: bool = False, steps: int = 4) -> float:
    """The top of a scale of ``steps`` equal steps that holds ``value``, each step a round number
    (1, 2, 2.5, 3, 4, 5, 6 or 8 times a power of ten; whole numbers for counts): 1,012 → 1,200 (300 a
    step), not 1,056 (264 a step)."""
    if value <= 0:
        return float(steps) if integer else 1.0
    raw = value / steps
    power = 10 ** math.floor(math.log10(raw))
    for factor in _NICE_STEPS:
        step = factor * power
        if step >= raw - 1e-9 and (not integer or step == int(step)):
            return step * steps
    return 10 * power * steps


def stacked_bar(counts: Mapping[str, int], *, title: str, labels: Mapping[str, str], colours: Mapping[str, str],
                width: int = 560) -> SafeString:
    """One bar split by how many rows are in each status, with its legend below; empty statuses left out.

    ``labels`` and ``colours`` map each key of ``counts`` to its name and its colour.
    """
    total = sum(counts.values()) or 1
    shown = [(key, n) for key, n in counts.items() if n]
    parts, x = [], 0.0
    for key, n in shown:
        w = width * n / total
        parts.append({"x": _n(x), "width": _n(w), "colour": colours[key], "title": f"{labels[key]}: {n}",
                      "count": n, "text_x": _n(x + w / 2) if w > 18 else None})
        x += w
    legend, lx, ly = [], 0, 40
    for key, n in shown:
        text = f"{labels[key]} {n}"
        step = 26 + 13 * len(text)
        if lx + step > width:
            lx, ly = 0, ly + 18
        legend.append({"x": lx, "y": ly, "box_y": ly - 10, "text_x": lx + 15, "colour": colours[key], "text": text})
        lx += step
    return _render("stacked_bar", width=width, height=ly + 8, title=title, parts=parts, legend=legend)


def line_chart(points: Sequence[tuple[str, Number | None]], *, title: str, unit: str = "",
               target: Number | None = None, baseline: Number | None = None, upper: Number | None = None,
               width: int = 560, height: int = 220) -> SafeString:
    """Values over periods, with the baseline and the target as dashed lines; a None value is a gap in
    the dots (the line joins the values there are). The value axis runs from 0 (or the lowest value) to the
    highest, or to ``upper`` when that is higher (a score out of 100), in round steps (1, 2, 2.5 or 5 × 10ⁿ)."""
    known = [float(v) for _label, v in points if v is not None]
    refs = [float(r) for r in (target, baseline) if r is not None]
    if not known and not refs:
        return _empty(width, title)
    lo, hi = min([*known, *refs, 0.0]), max([*known, *refs, *([] if upper is None else [float(upper)])])
    hi = hi if hi > lo else lo + 1
    step = _nice_step((hi - lo) / 4)
    lo, hi = math.floor(lo / step) * step, math.ceil(hi / step) * step  # the axis ends on round values
    left, right, top, bottom = 56, 12, 12, 36
    plot_w, plot_h = width - left - right, height - top - bottom
    n = max(len(points), 1)

    def y(v: float) -> float:
        return top + plot_h - (v - lo) / (hi - lo) * plot_h

    def x(i: int) -> float:
        return left + (plot_w * (i + 0.5) / n)

    ticks = [{"y": _n(y(v)), "text_y": _n(y(v) + 4), "text": _fmt(v)}
             for v in (lo + step * k for k in range(round((hi - lo) / step) + 1))]
    references = []
    for value, colour, name in ((baseline, "#616e7c", _("基线")), (target, "#b42318", _("目标"))):
        if value is not None:
            yy = _n(y(float(value)))
            references.append({"y": yy, "text_y": _n(float(yy) - 4), "colour": colour,
                               "text": f"{name} {_fmt(float(value))}{unit}"})
    coords = [(x(i), y(float(v))) for i, (_label, v) in enumerate(points) if v is not None]
    polyline = " ".join(f"{_n(a)},{_n(b)}" for a, b in coords) if len(coords) > 1 else ""
    periods = [{"x": _n(x(i)), "label": label,
                "dot": None if v is None else {"y": _n(y(float(v))), "title": f"{label}: {_fmt(float(v))}{unit}"}}
               for i, (label, v) in enumerate(points)]
    return _render("line_chart", width=width, height=height, title=title, left=left, right=width - right,
                   tick_x=left - 6, axis_y=top + plot_h, label_y=height - 12, ticks=ticks, references=references,
                   polyline=polyline, periods=periods, colour=LINE_COLOUR)


def sparkline(values: Sequence[Number | None], *, title: str, width: int = 96, height: int = 22) -> SafeString:
    """A tiny line of the values for tables, None values skipped; nothing at all under two values."""
    known = [(i, float(v)) for i, v in enumerate(values) if v is not None]
    if len(known) < 2:
        return mark_safe("")
    lo, hi = min(v for _i, v in known), max(v for _i, v in known)
    span = hi - lo or 1.0
    n = max(len(values) - 1, 1)
    points = " ".join(f"{_n(2 + (width - 4) * i / n)},{_n(height - 3 - (height - 6) * (v - lo) / span)}"
                      for i, v in known)
    return _render("sparkline", width=width, height=height, title=title, points=points, colour=LINE_COLOUR)


def progress_bar(progress: int | None, *, planned: Number | None = None, title: str = "",
                 width: int = 120) -> SafeString:
    """The reported progress (%) as a bar, green when complete, with a red tick where the plan says it
    should be; titled with the percentage unless ``title`` is given."""
    value = 0 if progress is None else max(0, min(100, int(progress)))
    return _render("progress_bar", width=width, height=16, title=title or f"{value}%",
                   done=_n(width * value / 100), colour="#166534" if value == 100 else LINE_COLOUR,
                   planned=None if planned is None else _n(width * min(100.0, float(planned)) / 100))


def _empty(width: int, title: str) -> SafeString:
    return _render("empty", width=width, height=40, title=title, text=_("暂无数据"))


def _render(name: str, **context) -> SafeString:
    return mark_safe(render_to_string(f"core/charts/{name}.svg", context).strip())


def _colour(series: int) -> str:
    return SERIES_COLOURS[series % len(SERIES_COLOURS)]


def _nice_step(raw: float) -> float:
    """The round step (1, 2, 2.5 or 5 × 10ⁿ) nearest above ``raw``: axis ticks at 0, 25, 50 … rather than
    at 0, 19.88, 39.75 … (four intervals of whatever the data spans). Written here: it is a few lines, and
    the charts take no plotting library."""
    if raw <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw - 1e-12)


def _n(x: float) -> str:
    """A coordinate to one decimal, without trailing zeros: 12.0 → 12, 12.25 → 12.2."""
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _fmt(v: float) -> str:
    """An axis or point value: whole with thousands separators from 1,000 up, else to two decimals."""
    if abs(v) >= 1000:
        return f"{v:,.0f}"
    return f"{v:.2f}".rstrip("0").rstrip(".")
