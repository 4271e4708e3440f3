"""Forms of the elevators pages: what a page asks, checked at the edge with messages in the user's language;
the services check the rest."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from jiedao.elevators.models import ContractReview, Entry, Pipes, Shaft, Sunlight

BOOL_CHOICES = [("", _("未踏勘")), ("true", _("是")), ("false", _("否"))]
DATE = forms.DateInput(attrs={"type": "date"})
WHEN = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _bool(value):
    return {"true": True, "false": False}.get(value)


class SurveyForm(forms.Form):
    """踏勘表: empty fields stay missing in the score."""

    has_elevator = forms.BooleanField(label=_("已有电梯"), required=False)
    entry = forms.ChoiceField(label=_("入户方式"), required=False, choices=[("", _("未踏勘")), *Entry.choices])
    front_clearance_m = forms.DecimalField(label=_("楼前间距（米）"), required=False, min_value=Decimal("0"),
                                           max_value=Decimal("200"), decimal_places=1)
    rear_clearance_m = forms.DecimalField(label=_("楼后间距（米）"), required=False, min_value=Decimal("0"),
                                          max_value=Decimal("200"), decimal_places=1)
    pipes = forms.ChoiceField(label=_("地下管线"), required=False, choices=[("", _("未踏勘")), *Pipes.choices])
    fire_lane_clear = forms.TypedChoiceField(label=_("不占消防通道"), required=False, choices=BOOL_CHOICES,
                                             coerce=_bool, empty_value=None)
    sunlight = forms.ChoiceField(label=_("日照影响"), required=False, choices=[("", _("未踏勘")), *Sunlight.choices])
    dwellings_per_floor = forms.IntegerField(label=_("每层户数（实测）"), required=False, min_value=1, max_value=12,
                                             help_text=_("留空：按实有人口库的户数"))
    note = forms.CharField(label=_("备注"), required=False, max_length=300)
    surveyed_on = forms.DateField(label=_("踏勘日期"), required=False, widget=DATE)

    @classmethod
    def for_survey(cls, survey, data=None):
        initial = {}
        if survey is not None:
            initial = {name: getattr(survey, name) for name in cls.base_fields}
            flc = survey.fire_lane_clear
            initial["fire_lane_clear"] = "" if flc is None else ("true" if flc else "false")
        return cls(data, initial=initial)


class ProjectForm(forms.Form):
    unit = forms.TypedChoiceField(label=_("单元"), required=False, coerce=int, empty_value=None)
    shaft = forms.ChoiceField(label=_("井道"), choices=Shaft.choices, initial=Shaft.STEEL)
    note = forms.CharField(label=_("备注"), required=False, max_length=300)

    def __init__(self, data=None, *, units=(), **kwargs):
        super().__init__(data, **kwargs)
        self.fields["unit"].choices = [("", _("整栋"))] + [(u.pk, _("%(n)s 单元") % {"n": u.number}) for u in units]


class AdvanceForm(forms.Form):
    to = forms.CharField(widget=forms.HiddenInput)
    on = forms.DateField(label=_("日期"), required=False, widget=DATE)
    note = forms.CharField(label=_("说明"), required=False, max_length=300)


class QuoteForm(forms.Form):
    entry = forms.ChoiceField(label=_("入户方式"), required=False, choices=[("", _("按踏勘")), *Entry.choices])
    shaft = forms.ChoiceField(label=_("井道"), required=False, choices=[("", _("按项目")), *Shaft.choices])


class BlockerForm(forms.Form):
    text = forms.CharField(label=_("堵点"), max_length=300)


class ResolveForm(forms.Form):
    resolution = forms.CharField(label=_("解决办法"), max_length=300)


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=100)
    file = forms.FileField(label=_("文件"))


class ReviewForm(forms.Form):
    lawyer = forms.CharField(label=_("律师"), max_length=60)
    firm = forms.CharField(label=_("律师事务所"), required=False, max_length=100)
    outcome = forms.ChoiceField(label=_("结论"), choices=ContractReview.Outcome.choices)
    reviewed_on = forms.DateField(label=_("审查日期"), required=False, widget=DATE)
    note = forms.CharField(label=_("意见"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class VoteForm(forms.Form):
    opens_at = forms.DateTimeField(label=_("开始时间"), widget=WHEN)
    closes_at = forms.DateTimeField(label=_("截止时间"), widget=WHEN)
