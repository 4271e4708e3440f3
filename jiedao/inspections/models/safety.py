"""平安建设动态评估: the weights of the safety index's factors, as data an administrator edits.

The factors themselves (their events) come from the installed apps through
``core.contributions.safety_factors``; a row here sets, for one subdistrict and one factor code, how many of
the index's 100 points the factor may take (``weight``) and at what rate per 1,000 residents it takes them
all (``saturation``). ``TREND`` is the index's own factor: the rise of the other factors' deductions from
the month before. A factor without a row uses ``DEFAULT_FACTORS`` (or ``FALLBACK`` for one no default names).

``SafetyMonth`` keeps a closed month's counts behind the index (``inspections.safety.counts``), so that the pages
read them instead of counting the month's events again.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiedao.core.models import Subdistrict
from jiedao.core.scope import ScopedQuerySet

__all__ = ["DEFAULT_FACTORS", "FALLBACK", "TREND", "SafetyMonth", "SafetyWeight"]

TREND = "safety.trend"

# code → (weight: the most points the factor takes, saturation: the rate per 1,000 residents a month, or for
# the trend the rise in points, at which it takes them all). The weights add up to 100.
DEFAULT_FACTORS: dict[str, tuple[float, float]] = {
    "cases.safety_cases": (35.0, 6.0),
    "sensing.alarms": (15.0, 4.0),
    "inspections.failed_items": (20.0, 8.0),
    "visits.high_risk": (15.0, 2.0),
    TREND: (15.0, 10.0),
}
FALLBACK = (10.0, 5.0)


class SafetyWeight(models.Model):
    """平安指数权重: one factor's share of the index in one subdistrict."""

    subdistrict = models.ForeignKey(Subdistrict, verbose_name=_("街道"), on_delete=models.PROTECT, related_name="+",
                                    db_index=False)
    code = models.CharField(_("因子代码"), max_length=40)
    weight = models.FloatField(_("权重（最多扣分）"))
    saturation = models.FloatField(_("满扣阈值（每千人每月）"))
    enabled = models.BooleanField(_("启用"), default=True)
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("更新人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    objects = ScopedQuerySet.as_manager()
    scope_subdistrict = "subdistrict"
    scope_shared = True

    class Meta:
        verbose_name = _("平安指数权重")
        verbose_name_plural = _("平安指数权重")
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["subdistrict", "code"], name="safety_weight_unique")]

    def __str__(self) -> str:
        return self.code

    def clean(self):
        if not 0 <= self.weight <= 100:
            raise ValidationError({"weight": _("权重须在 0 到 100 之间")})
        if self.saturation <= 0:
            raise ValidationError({"saturation": _("满扣阈值须大于 0")})


class SafetyMonth(models.Model):
    """平安指数月度台账: one closed month's counts in one subdistrict, as they stood when it was counted. Each
    factor's events and weighted events by the place the events name, and the residents (现住居民) per grid at
    the month's end; not the scores, which follow the weights as they are now. Written by
    ``inspections.safety.counts`` the first time a page needs the month once it has closed; a row deleted (in
    the admin, after a correction of the month's records) is counted again from the records as they are."""

    subdistrict = models.ForeignKey(Subdistrict, verbose_name=_("街道"), on_delete=models.CASCADE, related_name="+",
                                    db_index=False)
    month = models.DateField(_("月份"))  # its first day
    # [[grid id or null, residents], ...]
    residents = models.JSONField(_("各网格现住居民"), default=list)
    # {factor code: [[居委 id or null, grid id or null, events, weighted events], ...]}
    factors = models.JSONField(_("各因子事件数"), default=dict)
    counted_at = models.DateTimeField(_("统计时间"), default=timezone.now)

    objects = ScopedQuerySet.as_manager()
    scope_subdistrict = "subdistrict"
    scope_shared = True

    class Meta:
        verbose_name = _("平安指数月度台账")
        verbose_name_plural = _("平安指数月度台账")
        ordering = ["-month"]
        constraints = [models.UniqueConstraint(fields=["subdistrict", "month"], name="safety_month_unique")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"
