"""Forms of the planning pages: they parse; the services validate and write."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from jiedao.core.forms import apply_errors  # noqa: F401  (re-exported for the views)
from jiedao.planning.models import Evaluation, Indicator, ProjectStatus
from jiedao.planning.models.base import CHINESE_NUMERALS, chinese_number
from jiedao.planning.units import LABELS, UNITS

QUARTERS = [(1, _("第一季度")), (2, _("第二季度")), (3, _("第三季度")), (4, _("第四季度"))]
QUARTERS_OR_YEAR = [(0, _("全年")), *QUARTERS]


class ProgressReportForm(forms.Form):
    year = forms.IntegerField(label=_("年份"))
    quarter = forms.TypedChoiceField(label=_("季度"), choices=QUARTERS, coerce=int)
    progress = forms.IntegerField(label=_("进度 (%)"), min_value=0, max_value=100)
    status = forms.ChoiceField(label=_("状态"), choices=ProjectStatus.choices)
    note = forms.CharField(label=_("进展说明（内部）"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    public_note = forms.CharField(
        label=_("公开说明（通俗语言，将向社会公开）"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    attachment = forms.FileField(label=_("附件（PDF、图片、XLSX、DOCX）"), required=False)


class IndicatorValueForm(forms.Form):
    year = forms.IntegerField(label=_("年份"))
    quarter = forms.TypedChoiceField(label=_("报告期"), choices=QUARTERS_OR_YEAR, coerce=int)
    value = forms.CharField(label=_("数值"), required=False)
    unit = forms.ChoiceField(label=_("单位"), required=False, choices=[(u, LABELS[u]) for u in UNITS if u])
    achieved = forms.TypedChoiceField(
        label=_("是否已实现"), required=False, choices=[("", "—"), ("yes", _("已实现")), ("no", _("未实现"))],
        coerce=lambda v: {"yes": True, "no": False}.get(v), empty_value=None,
    )
    evidence = forms.CharField(label=_("佐证材料说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    note = forms.CharField(label=_("内部备注"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    attachment = forms.FileField(label=_("佐证附件"), required=False)

    def __init__(self, *args, indicator: Indicator, **kwargs):
        super().__init__(*args, **kwargs)
        if indicator.is_milestone:
            del self.fields["value"], self.fields["unit"]
        else:
            del self.fields["achieved"]
            self.fields["unit"].initial = indicator.unit


class IndicatorDefinitionForm(forms.Form):
    """The parts of an indicator's definition a manager changes; the service validates them together."""

    name = forms.CharField(label=_("名称"), max_length=80)
    description = forms.CharField(label=_("通俗说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    baseline = forms.DecimalField(label=_("基线值"), required=False, max_digits=16, decimal_places=4)
    baseline_year = forms.IntegerField(label=_("基线年份"), required=False)
    target = forms.DecimalField(label=_("目标值"), required=False, max_digits=16, decimal_places=4)
    target_year = forms.IntegerField(label=_("目标年份"), required=False)
    target_note = forms.CharField(label=_("目标表述"), max_length=80, required=False)
    numerator = forms.CharField(label=_("分子公式"), required=False, widget=forms.TextInput(attrs={"size": 60}))
    denominator = forms.CharField(label=_("分母公式"), required=False, widget=forms.TextInput(attrs={"size": 60}))
    factor = forms.DecimalField(label=_("系数"), max_digits=12, decimal_places=4)
    public = forms.BooleanField(label=_("向社会公开"), required=False)

    @classmethod
    def for_indicator(cls, indicator: Indicator, data=None):
        initial = {name: getattr(indicator, name) for name in cls.base_fields}
        return cls(data=data, initial=initial)


class EvaluationCreateForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=Evaluation.Kind.choices)
    year = forms.IntegerField(label=_("评估年份"), required=False, help_text=_("中期、期末评估可不填"))


class NarrativeForm(forms.Form):
    summary = forms.CharField(label=_("总体评价"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    achievements = forms.CharField(label=_("主要成效"), widget=forms.Textarea(attrs={"rows": 6}), required=False)
    problems = forms.CharField(label=_("存在问题"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    next_steps = forms.CharField(label=_("下一步举措"), widget=forms.Textarea(attrs={"rows": 4}), required=False)




class NextPlanForm(forms.Form):
    """新建下一期规划: the new plan's name, code and years, and what to take over from the last plan."""

    name = forms.CharField(label=_("规划名称"), max_length=120, widget=forms.TextInput(attrs={"size": 50}))
    code = forms.SlugField(label=_("规划代码"), max_length=40, help_text=_("字母、数字和连字符，例如 caoyang-15th"))
    start_year = forms.IntegerField(label=_("起始年份"), min_value=2000, max_value=2100)
    end_year = forms.IntegerField(label=_("终止年份"), min_value=2000, max_value=2100)
    copy_goals = forms.BooleanField(label=_("复制发展目标"), required=False, initial=True)
    indicators = forms.ModelMultipleChoiceField(
        label=_("复制的指标"), queryset=Indicator.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, source, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicators"].queryset = source.indicators.order_by("order", "code")
        span = source.end_year - source.start_year
        self.fields["name"].initial = next_plan_name(source.name)
        self.fields["code"].initial = f"plan-{source.end_year + 1}-{source.end_year + 1 + span}"
        self.fields["start_year"].initial = source.end_year + 1
        self.fields["end_year"].initial = source.end_year + 1 + span
        self.fields["indicators"].initial = [i.pk for i in self.fields["indicators"].queryset]


def next_plan_name(name: str) -> str:
    """The name of the plan after ``name``: "…“十四五”规划" → "…“十五五”规划" (five-year plans are named by
    their number); a name without one is offered as it is, for the manager to change."""
    match = _FIVE_YEAR_PLAN.search(name)
    if not match:
        return name
    tens, ones = (CHINESE_NUMERALS.index(d) if d else 0 for d in match.group(1, 2))
    number = (tens or 1) * 10 + ones
    return f"{name[:match.start()]}{chinese_number(number + 1)}五{name[match.end():]}"


_FIVE_YEAR_PLAN = re.compile(r"([二三四五六七八九]?)十([一二三四五六七八九]?)五")
