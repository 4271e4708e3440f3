"""Indicators (指标) with baseline and target, and their values per period."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiedao.core.models import Department
from jiedao.planning import elements, formula
from jiedao.planning.models.base import PlanRow, Reported
from jiedao.planning.models.plan import Chapter, Goal, Plan, Section
from jiedao.planning.periods import Period
from jiedao.planning.units import UNITS


class Indicator(PlanRow):
    """指标: what the plan measures, where it starts (baseline), where it should be (target) and when."""

    class Direction(models.TextChoices):
        HIGHER = "higher", _("越高越好")
        LOWER = "lower", _("越低越好")
        MILESTONE = "milestone", _("是否类里程碑")
        NEUTRAL = "neutral", _("背景监测（不分好坏）")

    class Binding(models.TextChoices):
        BINDING = "binding", _("约束性")
        EXPECTED = "expected", _("预期性")

    class Source(models.TextChoices):
        COMPUTED = "computed", _("平台数据计算")
        ENTERED = "entered", _("牵头单位填报")

    class Measure(models.TextChoices):
        LEVEL = "level", _("时点值")
        CUMULATIVE = "cumulative", _("期内累计")

    plan = models.ForeignKey(Plan, verbose_name=_("规划"), on_delete=models.CASCADE, related_name="indicators")
    chapter = models.ForeignKey(
        Chapter, verbose_name=_("章"), null=True, blank=True, on_delete=models.SET_NULL, related_name="indicators"
    )
    section = models.ForeignKey(
        Section, verbose_name=_("节"), null=True, blank=True, on_delete=models.SET_NULL, related_name="indicators"
    )
    goal = models.ForeignKey(
        Goal, verbose_name=_("目标"), null=True, blank=True, on_delete=models.SET_NULL, related_name="indicators"
    )
    code = models.SlugField(_("指标代码"), max_length=40)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    name = models.CharField(_("名称"), max_length=80)
    description = models.TextField(_("通俗说明"), blank=True, help_text=_("向社会公开时显示"))
    unit = models.CharField(_("计量单位"), max_length=8, blank=True, choices=[(u, u or "—") for u in UNITS])
    direction = models.CharField(_("方向"), max_length=10, choices=Direction.choices, default=Direction.HIGHER)
    binding = models.CharField(_("属性"), max_length=10, choices=Binding.choices, default=Binding.EXPECTED)
    measure = models.CharField(_("统计口径"), max_length=12, choices=Measure.choices, default=Measure.LEVEL)
    source = models.CharField(_("数据来源"), max_length=10, choices=Source.choices, default=Source.ENTERED)
    numerator = models.CharField(_("分子公式"), max_length=formula.MAX_LENGTH, blank=True)
    denominator = models.CharField(_("分母公式"), max_length=formula.MAX_LENGTH, blank=True)
    factor = models.DecimalField(_("系数"), max_digits=12, decimal_places=4, default=Decimal(1))
    baseline = models.DecimalField(_("基线值"), max_digits=16, decimal_places=4, null=True, blank=True)
    baseline_year = models.PositiveSmallIntegerField(_("基线年份"), null=True, blank=True)
    baseline_note = models.CharField(_("基线口径"), max_length=80, blank=True)
    baseline_source_text = models.TextField(_("基线原文"), blank=True)
    target = models.DecimalField(_("目标值"), max_digits=16, decimal_places=4, null=True, blank=True)
    target_year = models.PositiveSmallIntegerField(_("目标年份"), null=True, blank=True)
    target_note = models.CharField(_("目标表述"), max_length=80, blank=True)
    target_source_text = models.TextField(_("目标原文"), blank=True)
    lead_unit = models.ForeignKey(
        Department, verbose_name=_("牵头单位"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source_text = models.TextField(_("原文出处"), blank=True, help_text=_("指标所监测的规划原文"))
    public = models.BooleanField(_("向社会公开"), default=True)

    class Meta:
        verbose_name = _("指标")
        verbose_name_plural = _("指标")
        ordering = ["plan", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="indicator_code_unique")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_milestone(self) -> bool:
        return self.direction == self.Direction.MILESTONE

    @property
    def higher_is_better(self) -> bool | None:
        """True / False, or None for a background indicator whose rise is neither good nor bad."""
        if self.direction == self.Direction.NEUTRAL:
            return None
        return self.direction != self.Direction.LOWER

    @property
    def is_computed(self) -> bool:
        return self.source == self.Source.COMPUTED

    def element_codes(self) -> list[str]:
        codes = []
        for text in (self.numerator, self.denominator):
            if text.strip():
                codes += [c for c in formula.references(formula.parse(text)) if c not in codes]
        return codes

    def clean(self):
        errors: dict[str, list] = {}

        def add(field, message):
            errors.setdefault(field, []).append(message)

        if self.unit not in UNITS:
            add("unit", _("未知的计量单位「%(unit)s」") % {"unit": self.unit})
        if self.is_milestone:
            if self.unit:
                add("unit", _("是否类里程碑指标不设计量单位"))
            if self.baseline is not None or self.target is not None:
                add("target", _("是否类里程碑指标没有数值基线和目标，达成与否按年度填报"))
        elif self.unit == "":
            add("unit", _("数值指标必须有计量单位"))
        plan = self.plan if self.plan_id else None
        if plan is not None and self.target_year is not None and not (
                plan.start_year <= self.target_year <= plan.end_year):
            add("target_year", _("目标年份 %(year)s 不在规划期 %(start)s–%(end)s 年内") % {
                "year": self.target_year, "start": plan.start_year, "end": plan.end_year})
        if plan is not None and self.baseline_year is not None and self.baseline_year > plan.start_year:
            add("baseline_year", _("基线年份 %(year)s 晚于规划起始年份 %(start)s") % {
                "year": self.baseline_year, "start": plan.start_year})
        if self.direction == self.Direction.NEUTRAL and self.target is not None:
            add("target", _("背景监测指标不设目标值；需要目标时请选择“越高越好”或“越低越好”"))
        if self.target is not None and self.target_year is None:
            add("target_year", _("设定了目标值，还需要目标年份"))
        if self.baseline is not None and self.baseline_year is None:
            add("baseline_year", _("设定了基线值，还需要基线年份"))
        if self.unit == "%":
            for field in ("baseline", "target"):
                value = getattr(self, field)
                if value is not None and not Decimal(0) <= value <= Decimal(100):
                    add(field, _("百分比应在 0 到 100 之间"))
        if self.is_computed:
            if self.is_milestone:
                add("source", _("是否类里程碑指标由牵头单位填报，不能用公式计算"))
            if not self.numerator.strip():
                add("numerator", _("计算类指标必须填写分子公式"))
            for field in ("numerator", "denominator"):
                text = getattr(self, field)
                if text.strip():
                    try:
                        validate_formula(text)
                    except ValidationError as exc:
                        for message in exc.messages:
                            add(field, message)
            if self.factor == 0:
                add("factor", _("系数不能为 0"))
        elif self.lead_unit_id is None:
            add("lead_unit", _("填报类指标必须指定牵头单位"))
        if errors:
            raise ValidationError(errors)


def validate_formula(text: str) -> list[str]:
    """Parse ``text`` and check that every element it names is registered; return those element codes."""
    codes = formula.references(formula.parse(text))
    known = elements.registered()
    for code in codes:
        if code not in known:
            module = code.split(".", 1)[0]
            same_module = [c for c in known if c.startswith(module + ".")]
            hint = "、".join(same_module) if same_module else "、".join(known)
            raise ValidationError(
                _("公式引用的数据元素「%(code)s」不存在。%(module)s 模块可用的数据元素：%(hint)s") % {
                    "code": code, "module": module, "hint": hint}
                if same_module else
                _("公式引用的数据元素「%(code)s」不存在：没有名为「%(module)s」的数据来源。"
                  "可用的数据元素：%(hint)s") % {"code": code, "module": module, "hint": hint},
                code="formula",
            )
    return codes


class IndicatorValue(Reported):
    """指标值: an indicator's value for one period — computed from the platform or entered with evidence."""

    class Origin(models.TextChoices):
        COMPUTED = "computed", _("平台计算")
        ENTERED = "entered", _("填报")

    indicator = models.ForeignKey(Indicator, verbose_name=_("指标"), on_delete=models.CASCADE, related_name="values")
    year = models.PositiveSmallIntegerField(_("年份"))
    quarter = models.PositiveSmallIntegerField(_("季度"), default=0, help_text=_("0 表示全年"))
    value = models.DecimalField(
        _("数值"), max_digits=16, decimal_places=4, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    achieved = models.BooleanField(_("已实现"), null=True, blank=True)
    origin = models.CharField(_("来源"), max_length=10, choices=Origin.choices, default=Origin.ENTERED)
    evidence = models.TextField(_("佐证材料说明"), blank=True)
    note = models.TextField(_("内部备注"), blank=True)

    class Meta:
        verbose_name = _("指标值")
        verbose_name_plural = _("指标值")
        ordering = ["indicator", "year", "quarter"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year", "quarter"], name="indicator_value_period_unique"),
            models.CheckConstraint(condition=models.Q(quarter__lte=4), name="indicator_value_quarter_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.period.code}"

    @property
    def period(self) -> Period:
        return Period(self.year, self.quarter)
