"""Evaluations (评估): the annual tracking report, the mid-term and the final evaluation."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiedao.planning.models.base import PlanRow
from jiedao.planning.models.plan import Plan


class Evaluation(PlanRow):
    """评估报告: generated from the data at the time it is opened; staff write the narrative parts."""

    class Kind(models.TextChoices):
        ANNUAL = "annual", _("年度跟踪监测")
        MIDTERM = "midterm", _("中期评估")
        FINAL = "final", _("期末全面评估")

    plan = models.ForeignKey(Plan, verbose_name=_("规划"), on_delete=models.CASCADE, related_name="evaluations")
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("评估年份"))
    summary = models.TextField(_("总体评价"), blank=True)
    achievements = models.TextField(_("主要成效"), blank=True)
    problems = models.TextField(_("存在问题"), blank=True)
    next_steps = models.TextField(_("下一步举措"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("最后修改人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now)

    NARRATIVE_FIELDS = ("summary", "achievements", "problems", "next_steps")

    class Meta:
        verbose_name = _("评估报告")
        verbose_name_plural = _("评估报告")
        ordering = ["plan", "year", "kind"]
        constraints = [models.UniqueConstraint(fields=["plan", "kind", "year"], name="evaluation_unique")]

    def __str__(self) -> str:
        return f"{self.plan} {self.year}年{self.get_kind_display()}"

    def clean(self):
        plan = self.plan if self.plan_id else None
        if plan is None or self.year is None:
            return
        if not plan.start_year <= self.year <= plan.end_year:
            raise ValidationError({"year": _("评估年份 %(year)s 不在规划期 %(start)s–%(end)s 年内") % {
                "year": self.year, "start": plan.start_year, "end": plan.end_year}})
        if self.kind == self.Kind.FINAL and self.year != plan.end_year:
            raise ValidationError({"year": _("期末全面评估针对规划末年 %(year)s 年") % {"year": plan.end_year}})
