"""Service circles (服务圈 / 生活圈): a reach measured on the walking network, in minutes or in metres.

A circle in minutes becomes metres at a walking speed: the elderly's (slower) for elderly services, the
adults' for the rest (``AccessSettings``). The seed's circles: the 5 / 10 / 15 分钟生活圈, the elderly's 200 m
基本服务圈 and 500 m 区域服务圈, and the 三公里文化服务圈.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


@dataclass(frozen=True)
class Circle:
    code: str  # "5min", "200m"
    minutes: int | None = None
    metres: int | None = None

    def within_m(self, speed_m_per_min: float) -> float:
        """The circle's reach in metres of walking at ``speed_m_per_min``."""
        return float(self.metres) if self.metres is not None else self.minutes * speed_m_per_min

    @property
    def label(self) -> str:
        if self.minutes is not None:
            return _("%(n)s 分钟") % {"n": self.minutes}
        if self.metres >= 1000 and self.metres % 1000 == 0:
            return _("%(n)s 公里") % {"n": self.metres // 1000}
        return _("%(n)s 米") % {"n": self.metres}


CIRCLES: dict[str, Circle] = {
    c.code: c for c in (
        Circle("5min", minutes=5), Circle("10min", minutes=10), Circle("15min", minutes=15),
        Circle("200m", metres=200), Circle("500m", metres=500), Circle("1000m", metres=1000),
        Circle("3000m", metres=3000),
    )
}
# The columns of the coverage table: the life circles and the elderly's two service circles.
STANDARD = ("5min", "10min", "15min", "200m", "500m")

CIRCLE_CHOICES = [
    ("5min", gettext_lazy("5 分钟")), ("10min", gettext_lazy("10 分钟")), ("15min", gettext_lazy("15 分钟")),
    ("200m", gettext_lazy("200 米")), ("500m", gettext_lazy("500 米")), ("1000m", gettext_lazy("1 公里")),
    ("3000m", gettext_lazy("3 公里")),
]


def get_circle(code: str) -> Circle:
    """The circle named ``code``; a ValidationError naming the choices otherwise."""
    try:
        return CIRCLES[code]
    except KeyError:
        raise ValidationError(
            _("未知的服务圈：%(code)s（可选：%(choices)s）") % {"code": code, "choices": "、".join(CIRCLES)}
        ) from None
