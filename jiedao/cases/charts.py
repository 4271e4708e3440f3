"""KPI charts as inline SVG, drawn on the server like the planning pages' (jiedao.planning.svg): no
JavaScript, no CDN, and they print as they show."""

import math

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

FONT = 'font-family="PingFang SC, Microsoft YaHei, Noto Sans CJK SC, sans-serif"'
COLOURS = ("#1d4ed8", "#d97706", "#166534", "#b42318")


def _n(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _svg(width: int, height: int, title: str, body: str) -> SafeString:
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{escape(title)}" {FONT}>'
        f"<title>{escape(title)}</title>{body}</svg>"
    )


def grouped_bars(labels: list[str], series: list[tuple[str, list[float | None]]], *, title: str, unit: str = "",
                 top: float | None = None, integer: bool = False, width: int = 640,
                 height: int = 260) -> SafeString:
    """Bars of one or more series side by side for each label, with a legend; a None value draws no bar.
    ``integer``: counts, so the scale's four steps are whole numbers."""
    known = [v for _name, values in series for v in values if v is not None]
    if not labels or not known:
        empty = escape(_("暂无数据"))
        return _svg(width, 40, title, f'<text x="0" y="24" font-size="13" fill="#616e7c">{empty}</text>')
    hi = top if top is not None else max(known)
    hi = hi if hi > 0 else 1
    if integer:
        hi = math.ceil(hi / 4) * 4
    left, right, top_pad, bottom = 48, 12, 28, 48
    plot_w, plot_h = width - left - right, height - top_pad - bottom
    slot = plot_w / len(labels)
    bar_w = max(2.0, min(28.0, slot * 0.8 / len(series)))

    def y(v: float) -> float:
        return top_pad + plot_h - v / hi * plot_h

    body = []
    for k in range(5):
        v = hi * k / 4
        body.append(f'<line x1="{left}" y1="{_n(y(v))}" x2="{width - right}" y2="{_n(y(v))}" stroke="#eef2f6"/>'
                    f'<text x="{left - 6}" y="{_n(y(v) + 4)}" font-size="11" text-anchor="end" fill="#616e7c">'
                    f"{escape(_n(v))}{escape(unit)}</text>")
    body.append(f'<line x1="{left}" y1="{top_pad + plot_h}" x2="{width - right}" y2="{top_pad + plot_h}" '
                f'stroke="#9aa5b1"/>')
    group_w = bar_w * len(series)
    for i, label in enumerate(labels):
        x0 = left + slot * i + (slot - group_w) / 2
        for s, (name, values) in enumerate(series):
            v = values[i]
            if v is None:
                continue
            x = x0 + s * bar_w
            body.append(f'<rect x="{_n(x)}" y="{_n(y(v))}" width="{_n(bar_w - 1)}" height="{_n(y(0) - y(v))}" '
                        f'fill="{COLOURS[s % len(COLOURS)]}"><title>{escape(label)} · {escape(name)}: '
                        f"{escape(_n(v))}{escape(unit)}</title></rect>")
        text = label if len(label) <= 8 else label[:7] + "…"
        body.append(f'<text x="{_n(left + slot * (i + 0.5))}" y="{height - bottom + 16}" font-size="11" '
                    f'text-anchor="middle" fill="#616e7c">{escape(text)}</text>')
    lx = left
    for s, (name, _values) in enumerate(series):
        body.append(f'<rect x="{lx}" y="6" width="11" height="11" fill="{COLOURS[s % len(COLOURS)]}"/>'
                    f'<text x="{lx + 15}" y="16" font-size="12" fill="#1f2933">{escape(name)}</text>')
        lx += 30 + 13 * len(name)
    return _svg(width, height, title, "".join(body))
