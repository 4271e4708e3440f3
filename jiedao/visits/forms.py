"""Forms of the visits pages. They parse and show errors; every rule lives in services and selectors."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiedao.core.forms import apply_errors  # noqa: F401  (re-exported for the views)
from jiedao.visits.models import OTHERS_MET, Outcome, Rating

MAX_PHOTOS = 6
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")  # the browser's date picker takes ISO dates


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Zero or more photos; the service decides what a photo is (cases.services.validate_photo)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*", "capture": "environment"}))
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        return [f for f in files if f]


class VisitPageForm(forms.Form):
    """The scan-to-visit form. ``check_in`` and ``client_id`` are written by the page; the checklist's
    answers come as ``item-<code>`` fields, read by the view."""

    check_in = forms.CharField(widget=forms.HiddenInput)
    client_id = forms.CharField(widget=forms.HiddenInput, max_length=64)
    lat = forms.FloatField(widget=forms.HiddenInput, required=False)
    lon = forms.FloatField(widget=forms.HiddenInput, required=False)
    accuracy = forms.FloatField(widget=forms.HiddenInput, required=False)
    outcome = forms.ChoiceField(label=_("走访结果"), choices=Outcome.choices, initial=Outcome.MET,
                                widget=forms.RadioSelect)
    met_residents = forms.TypedMultipleChoiceField(label=_("见到的居民"), coerce=int, required=False,
                                                   widget=forms.CheckboxSelectMultiple)
    met_others = forms.MultipleChoiceField(label=_("见到的其他人"), choices=list(OTHERS_MET.items()), required=False,
                                           widget=forms.CheckboxSelectMultiple)
    note = forms.CharField(label=_("走访记录"), required=False, widget=forms.Textarea(attrs={
        "rows": 5, "placeholder": _("见到了谁、身体和精神怎样、家里情况、有什么困难或需要")}))
    photos = PhotosField(label=_("照片"))
    problem = forms.CharField(label=_("发现的问题（转为案件处置）"), required=False, widget=forms.Textarea(attrs={
        "rows": 3, "placeholder": _("例如：楼道堆满纸板堵住通道；燃气软管老化开裂")}))
    problem_category = forms.ChoiceField(label=_("问题分类（可不选，系统会建议）"), required=False)

    def __init__(self, *args, residents=(), categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["met_residents"].choices = [(r.pk, r.name) for r in residents]
        self.fields["problem_category"].choices = [("", _("不选")), *categories]


class FollowUpForm(forms.Form):
    """确认建议跟进: what of the suggestion to take, or why not."""

    add_task = forms.BooleanField(label=_("新建复访任务"), required=False)
    file_case = forms.BooleanField(label=_("转为案件"), required=False)
    case_description = forms.CharField(label=_("案件描述"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    reason = forms.CharField(label=_("不采纳的原因"), required=False, max_length=200)


class ReassignForm(forms.Form):
    worker = forms.TypedChoiceField(label=_("改派给"), coerce=int)
    reason = forms.CharField(label=_("原因"), required=False, max_length=200)

    def __init__(self, *args, workers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].choices = [(w.pk, w.display_name) for w in workers]


class PostponeForm(forms.Form):
    due_on = forms.DateField(label=_("新的截止日期"), widget=DATE)
    reason = forms.CharField(label=_("延期原因"), max_length=200)


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("取消原因"), max_length=200)


class RuleForm(forms.Form):
    """A 居委's own frequency (or time limit) for one rule, or the rule off."""

    code = forms.CharField(widget=forms.HiddenInput)
    every_months = forms.TypedChoiceField(label=_("走访周期"), coerce=int, required=False, choices=[
        (1, _("每月")), (2, _("每两个月")), (3, _("每季度")), (6, _("每半年")), (12, _("每年"))])
    due_days = forms.IntegerField(label=_("完成时限（天）"), required=False, min_value=1, max_value=90)
    active = forms.BooleanField(label=_("启用"), required=False)


class BuildingForm(forms.Form):
    building = forms.IntegerField(widget=forms.HiddenInput)
    worker = forms.TypedChoiceField(label=_("社工"), coerce=int)

    def __init__(self, *args, workers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].choices = [(w.pk, w.display_name) for w in workers]


PERIODS = [("month", _("本月")), ("last_month", _("上月")), ("quarter", _("本季度")), ("year", _("本年")),
           ("last_year", _("上一年")), ("custom", _("自定义"))]
GROUPS = [("community", _("按居委")), ("worker", _("按社工")), ("colour", _("按分色"))]


class FiguresForm(forms.Form):
    period = forms.ChoiceField(label=_("统计期"), choices=PERIODS, required=False, initial="year")
    start = forms.DateField(label=_("起始日期"), required=False, widget=DATE)
    end = forms.DateField(label=_("截止日期"), required=False, widget=DATE)
    group = forms.ChoiceField(label=_("分组"), choices=GROUPS, required=False, initial="community")

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        kind = data.get("period") or "year"
        if kind == "custom":
            start, end = data.get("start"), data.get("end")
            if not start or not end:
                raise forms.ValidationError(_("自定义统计期须填写起始和截止日期"))
            if end < start:
                raise forms.ValidationError(_("截止日期不能早于起始日期"))
            if (end - start).days > 3 * 366:
                raise forms.ValidationError(_("统计期最长三年"))
        elif kind == "month":
            start, end = today.replace(day=1), today
        elif kind == "last_month":
            end = today.replace(day=1) - dt.timedelta(days=1)
            start = end.replace(day=1)
        elif kind == "quarter":
            start, end = dt.date(today.year, (today.month - 1) // 3 * 3 + 1, 1), today
        elif kind == "last_year":
            start, end = dt.date(today.year - 1, 1, 1), dt.date(today.year - 1, 12, 31)
        else:
            start, end = dt.date(today.year, 1, 1), today
        data["start"], data["end"], data["period"] = start, end, kind
        data["group"] = data.get("group") or "community"
        return data


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(label=_("您的评价"), coerce=int, choices=Rating.choices,
                                    widget=forms.RadioSelect, error_messages={
                                        "required": _("请选择 满意、基本满意 或 不满意")})
    comment = forms.CharField(label=_("意见或建议（可不填）"), required=False, max_length=300,
                              widget=forms.Textarea(attrs={"rows": 3}))
