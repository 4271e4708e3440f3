"""Forms of the 21 天 campaign and 大件垃圾预约 pages (they parse; the services check)."""

import datetime as dt
import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiedao.inspections.campaigns.corrections import REASON_REQUIRED
from jiedao.inspections.models import CorrectionKind, MissedRule


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("活动名称"), max_length=60)
    starts_on = forms.DateField(label=_("开始日期"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("结束日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    streak_days = forms.IntegerField(label=_("连续天数"), initial=21, min_value=1, max_value=366)
    reward_points = forms.IntegerField(label=_("奖励积分"), initial=100, min_value=1, max_value=100000)
    missed_rule = forms.ChoiceField(label=_("中断规则"), choices=MissedRule.choices, initial=MissedRule.NOT_CORRECT)
    correction_days = forms.IntegerField(label=_("更正期（天）"), initial=7, min_value=0, max_value=366,
                                         help_text=_("活动结束后还可更正打卡记录的天数"))


class EnrolForm(forms.Form):
    household = forms.CharField(label=_("户编码"), max_length=32,
                                help_text=_("扫描或输入户的二维码编码（一户一码）"))


class RedeemForm(forms.Form):
    points = forms.IntegerField(label=_("兑换积分"), min_value=1, max_value=100000)
    note = forms.CharField(label=_("兑换物品"), max_length=100)


class DayForm(forms.Form):
    day = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean_day(self):
        day = self.cleaned_data["day"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("不能记录今天之后的日期"))
        return day


class CorrectionForm(forms.Form):
    """更正 one day's record: the choices leave out the value the record already has."""

    kind = forms.ChoiceField(label=_("更正为"), widget=forms.RadioSelect)
    reason = forms.CharField(label=_("更正原因"), max_length=200, error_messages={"required": REASON_REQUIRED},
                             help_text=_("例如：误点了隔壁户；复核照片确认分类正确"))

    def __init__(self, *args, was_correct: bool, **kwargs):
        super().__init__(*args, **kwargs)
        left_out = CorrectionKind.CORRECT if was_correct else CorrectionKind.INCORRECT
        self.fields["kind"].choices = [(v, label) for v, label in CorrectionKind.choices if v != left_out]
        self.fields["kind"].initial = CorrectionKind.INCORRECT if was_correct else CorrectionKind.CORRECT


class SlotForm(forms.Form):
    estate = forms.ModelChoiceField(label=_("小区"), queryset=None)
    place = forms.CharField(label=_("收运点"), max_length=60, initial=_("垃圾厢房旁"))
    day = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.TimeField(label=_("开始"), initial=dt.time(18, 0), widget=forms.TimeInput(attrs={"type": "time"}))
    end = forms.TimeField(label=_("结束"), initial=dt.time(20, 0), widget=forms.TimeInput(attrs={"type": "time"}))
    capacity = forms.IntegerField(label=_("可预约户数"), min_value=1, max_value=500, initial=10)

    def __init__(self, *args, estates=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["estate"].queryset = estates

    def span(self) -> tuple[dt.datetime, dt.datetime]:
        d = self.cleaned_data
        return (timezone.make_aware(dt.datetime.combine(d["day"], d["start"])),
                timezone.make_aware(dt.datetime.combine(d["day"], d["end"])))


class BookingForm(forms.Form):
    address = forms.CharField(label=_("楼号室号"), max_length=60, help_text=_("例如：5号楼301室"))
    items = forms.CharField(label=_("物品"), max_length=100, help_text=_("例如：旧沙发 1 张、床垫 1 个"))
    phone = forms.CharField(label=_("联系电话"), max_length=20)
    client_id = forms.CharField(widget=forms.HiddenInput, max_length=36)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["client_id"].initial = str(uuid.uuid4())
