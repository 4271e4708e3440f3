"""Forms of the planning pages: they parse; the services validate and write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from jiedao.core.forms import apply_errors  # noqa: F401  (re-exported for the views)
from jiedao.planning.models import Evaluation, Indicator, ProjectStatus
from jiedao.planning.units import UNITS

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
    unit = forms.ChoiceField(label=_("单位"), required=False, choices=[(u, u) for u in UNITS if u])
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


