"""Charts as inline SVG, drawn on the server: no JavaScript, no CDN, and they print as they show."""

from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from jiedao.planning.status import Health

HEALTH_COLOURS = {
    Health.ACHIEVED: "#166534",
    Health.ON_TRACK: "#22a34a",
    Health.AT_RISK: "#d97706",
    Health.OFF_TRACK: "#b91c1c",
    Health.MONITORING: "#2563eb",
    Health.NO_DATA: "#9ca3af",
    Health.UNAVAILABLE: "#cbd5e1",
}
FONT = 'font-family="PingFang SC, Microsoft YaHei, Noto Sans CJK SC, sans-serif"'


def _svg(width: int, height: int, title: str, body: str) -> SafeString:
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{escape(title)}" {FONT}>'
        f"<title>{escape(title)}</title>{body}</svg>"
    )


def _n(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def health_bar(counts: dict[str, int], *, title: str, labels: dict[str, str], width: int = 560) -> SafeString:
    """A stacked bar of how many rows are in each status, with its legend below."""
    total = sum(counts.values()) or 1
    x, parts, legend = 0.0, [], []
    bar_w = width
    for health, n in counts.items():
        if not n:
            continue
        w = bar_w * n / total
        parts.append(f'<rect x="{_n(x)}" y="0" width="{_n(w)}" height="22" fill="{HEALTH_COLOURS[health]}">'
                     f"<title>{escape(labels[health])}: {n}</title></rect>")
        if w > 18:
            parts.append(f'<text x="{_n(x + w / 2)}" y="15" font-size="12" text-anchor="middle" fill="#fff">{n}</text>')
        x += w
    lx, ly = 0, 40
    for health, n in counts.items():
        if not n:
            continue
        label = f"{labels[health]} {n}"
        step = 26 + 13 * len(label)
        if lx + step > width:
            lx, ly = 0, ly + 18
        legend.append(f'<rect x="{lx}" y="{ly - 10}" width="11" height="11" fill="{HEALTH_COLOURS[health]}"/>'
                      f'<text x="{lx + 15}" y="{ly}" font-size="12" fill="#1f2933">{escape(label)}</text>')
        lx += step
    return _svg(width, ly + 8, title, "".join(parts + legend))


def line_chart(points: list[tuple[str, Decimal | float | None]], *, title: str, unit: str = "",
               target: Decimal | None = None, baseline: Decimal | None = None, width: int = 560,
               height: int = 220) -> SafeString:
    """Values over periods, with the baseline and the target as dashed lines."""
    known = [float(v) for _, v in points if v is not None]
    refs = [float(r) for r in (target, baseline) if r is not None]
    if not known and not refs:
        empty = escape(_("暂无数据"))
        return _svg(width, 40, title, f'<text x="0" y="24" font-size="13" fill="#616e7c">{empty}</text>')
    lo, hi = min([*known, *refs, 0.0]), max([*known, *refs])
    hi = hi if hi > lo else lo + 1
    left, right, top, bottom = 56, 12, 12, 36
    plot_w, plot_h = width - left - right, height - top - bottom
    n = max(len(points), 1)

    def y(v: float) -> float:
        return top + plot_h - (v - lo) / (hi - lo) * plot_h

    def x(i: int) -> float:
        return left + (plot_w * (i + 0.5) / n)

    body = [f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" stroke="#9aa5b1"/>']
    for k in range(5):
        v = lo + (hi - lo) * k / 4
        body.append(f'<line x1="{left}" y1="{_n(y(v))}" x2="{width - right}" y2="{_n(y(v))}" stroke="#eef2f6"/>'
                    f'<text x="{left - 6}" y="{_n(y(v) + 4)}" font-size="11" text-anchor="end" fill="#616e7c">'
                    f"{escape(_fmt(v))}</text>")
    for value, colour, name in ((baseline, "#616e7c", _("基线")), (target, "#b42318", _("目标"))):
        if value is not None:
            yy = _n(y(float(value)))
            label = escape(f"{name} {_fmt(float(value))}{unit}")
            body.append(f'<line x1="{left}" y1="{yy}" x2="{width - right}" y2="{yy}" stroke="{colour}" '
                        f'stroke-dasharray="5 4"/><text x="{width - right}" y="{_n(float(yy) - 4)}" font-size="11" '
                        f'text-anchor="end" fill="{colour}">{label}</text>')
    coords = [(x(i), y(float(v))) for i, (_, v) in enumerate(points) if v is not None]
    if len(coords) > 1:
        body.append('<polyline fill="none" stroke="#1d4ed8" stroke-width="2" points="'
                    + " ".join(f"{_n(a)},{_n(b)}" for a, b in coords) + '"/>')
    for i, (label, v) in enumerate(points):
        body.append(f'<text x="{_n(x(i))}" y="{height - 12}" font-size="11" text-anchor="middle" fill="#616e7c">'
                    f"{escape(label)}</text>")
        if v is not None:
            body.append(f'<circle cx="{_n(x(i))}" cy="{_n(y(float(v)))}" r="3.5" fill="#1d4ed8">'
                        f"<title>{escape(label)}: {escape(_fmt(float(v)))}{escape(unit)}</title></circle>")
    return _svg(width, height, title, "".join(body))


def sparkline(values: list, *, title: str, width: int = 96, height: int = 22) -> SafeString:
    """A tiny line of the values (None gaps skipped), for tables."""
    known = [(i, float(v)) for i, v in enumerate(values) if v is not None]
    if len(known) < 2:
        return mark_safe("")
    lo, hi = min(v for _, v in known), max(v for _, v in known)
    span = hi - lo or 1.0
    n = max(len(values) - 1, 1)
    pts = " ".join(f"{_n(2 + (width - 4) * i / n)},{_n(height - 3 - (height - 6) * (v - lo) / span)}" for i, v in known)
    return _svg(width, height, title, f'<polyline fill="none" stroke="#1d4ed8" stroke-width="1.5" points="{pts}"/>')


def progress_bar(progress: int | None, *, planned: Decimal | float | None = None, title: str = "",
                 width: int = 120) -> SafeString:
    """The reported progress as a bar, with a tick where the plan says it should be."""
    value = 0 if progress is None else max(0, min(100, int(progress)))
    colour = "#166534" if value == 100 else "#1d4ed8"
    body = (f'<rect x="0" y="3" width="{width}" height="10" rx="2" fill="#e4e7eb"/>'
            f'<rect x="0" y="3" width="{_n(width * value / 100)}" height="10" rx="2" fill="{colour}"/>')
    if planned is not None:
        px = _n(width * min(100.0, float(planned)) / 100)
        body += f'<line x1="{px}" y1="0" x2="{px}" y2="16" stroke="#b42318" stroke-width="2"/>'
    return _svg(width, 16, title or f"{value}%", body)


def _fmt(v: float) -> str:
    if abs(v) >= 1000:
        return f"{v:,.0f}"
    return f"{v:.2f}".rstrip("0").rstrip(".")
