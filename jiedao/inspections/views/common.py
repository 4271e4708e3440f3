"""Helpers the inspections pages share: the month a page asks for, the sections' tabs, QR pictures."""

import datetime as dt

import segno
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiedao.core.roles import Perm, has_perm

SECTIONS = [
    ("points", _("巡检点"), "inspections:points", Perm.VIEW_INSPECTIONS),
    ("rounds", _("巡检计划"), "inspections:rounds", Perm.VIEW_INSPECTIONS),
    ("coverage", _("漏检与覆盖率"), "inspections:coverage", Perm.VIEW_INSPECTIONS),
    ("shops", _("门责任制"), "inspections:shops", Perm.VIEW_INSPECTIONS),
    ("garbage", _("垃圾分类"), "inspections:garbage", Perm.VIEW_INSPECTIONS),
    ("mine", _("我的巡检"), "inspections:mine", Perm.DO_INSPECTIONS),
]


def sections(user, current: str) -> list[dict]:
    return [{"code": code, "label": label, "url": reverse(name), "active": code == current}
            for code, label, name, perm in SECTIONS if has_perm(user, perm)]


def month_of(value: str | None) -> dt.date:
    """``?month=2026-11`` → the 1st of that month; this month when absent or wrong."""
    try:
        return dt.datetime.strptime(value or "", "%Y-%m").date()
    except ValueError:
        return timezone.localdate().replace(day=1)


def months_back(month: dt.date, n: int) -> list[dt.date]:
    out = [month]
    for _i in range(n - 1):
        out.append((out[-1] - dt.timedelta(days=1)).replace(day=1))
    return out


def window_of(request, *, days: int = 28) -> tuple[dt.date, dt.date]:
    """``?start=&end=`` (ISO dates), else the last ``days`` days up to yesterday."""
    today = timezone.localdate()
    try:
        end = dt.date.fromisoformat(request.GET.get("end", ""))
    except ValueError:
        end = today - dt.timedelta(days=1)
    try:
        start = dt.date.fromisoformat(request.GET.get("start", ""))
    except ValueError:
        start = end - dt.timedelta(days=days - 1)
    if start > end:
        start, end = end, start
    return start, min(end, start + dt.timedelta(days=400))


def qr_svg(url: str, *, scale: int = 3) -> str:
    return segno.make(url, error="m").svg_inline(scale=scale)
