"""Forms of the facilities pages: what a page asks, checked at the edge with messages in the user's language."""

from django import forms
from django.utils.translation import gettext_lazy as _

from jiedao.facilities.circles import CIRCLE_CHOICES
from jiedao.facilities.models import Facility, FacilityType
from jiedao.facilities.siting import MAX_PICKS

CIRCLE_FIELD_CHOICES = [("", _("按类型标准")), *CIRCLE_CHOICES]


class TypeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: FacilityType) -> str:
        return obj.label


def _type_field(**kwargs) -> TypeChoiceField:
    return TypeChoiceField(queryset=FacilityType.objects.all(), to_field_name="code", label=_("设施类型"),
                           error_messages={"invalid_choice": _("未知的设施类型")}, **kwargs)


class CircleForm(forms.Form):
    """Which type, and which circle (empty: the type's own)."""

    type = _type_field()
    circle = forms.ChoiceField(label=_("服务圈"), required=False,
                               choices=CIRCLE_FIELD_CHOICES)

    def __init__(self, data=None, *, default_type: str = "meal_point", **kwargs):
        data = data.copy() if data is not None else {}
        data.setdefault("type", default_type)
        super().__init__(data, **kwargs)
        for field in self.fields.values():  # the choice shows at once (core's jiedao.js submits the form)
            field.widget.attrs["data-autosubmit"] = ""


class PlaceFilterForm(forms.Form):
    """Narrows a coverage table to a 片区 or a 居委 of the reader's scope."""

    area = forms.TypedChoiceField(label=_("片区"), required=False, coerce=int, empty_value=None)
    community = forms.TypedChoiceField(label=_("居委"), required=False, coerce=int, empty_value=None)

    def __init__(self, data=None, *, areas=(), communities=(), **kwargs):
        super().__init__(data, **kwargs)
        self.fields["area"].choices = [("", _("全部"))] + [(a.pk, a.name) for a in areas]
        self.fields["community"].choices = [("", _("全部"))] + [(c.pk, c.name) for c in communities]


class SitesForm(forms.Form):
    """选址: k sites among candidates, covering the most uncovered (elderly) residents within a circle."""

    KIND_CHOICES = [("buildings", _("楼栋（范围内全部，或所选居委、片区的）")),
                    ("facilities", _("某类设施的所在地（嵌入式设置）")), ("points", _("输入的坐标"))]
    WEIGHT_CHOICES = [("", _("按类型（为老服务按 60 岁及以上）")), ("elderly", _("60 岁及以上居民")),
                      ("residents", _("全部居民"))]

    type = _type_field()
    circle = forms.ChoiceField(label=_("服务圈"), required=False,
                               choices=CIRCLE_FIELD_CHOICES)
    k = forms.IntegerField(label=_("选几处"), min_value=1, max_value=MAX_PICKS, initial=5)
    weight = forms.ChoiceField(label=_("按谁加权"), required=False, choices=WEIGHT_CHOICES)
    kind = forms.ChoiceField(label=_("候选点"), choices=KIND_CHOICES, initial="buildings")
    area = forms.TypedChoiceField(label=_("片区"), required=False, coerce=int, empty_value=None)
    community = forms.TypedChoiceField(label=_("居委"), required=False, coerce=int, empty_value=None)
    site_type = _type_field(required=False)
    points = forms.CharField(label=_("坐标（每行：经度,纬度,名称）"), required=False, max_length=20_000,
                             widget=forms.Textarea(attrs={"rows": 3, "placeholder": "121.4105,31.2440,兰溪路口"}))

    def __init__(self, data=None, *, areas=(), communities=(), **kwargs):
        super().__init__(data, **kwargs)
        self.fields["site_type"].label = _("以哪类设施的所在地为候选点")
        self.fields["area"].choices = [("", _("全部"))] + [(a.pk, a.name) for a in areas]
        self.fields["community"].choices = [("", _("全部"))] + [(c.pk, c.name) for c in communities]


class WhatIfForm(forms.Form):
    """假设分析: add a facility at a point, close open ones, open planned ones."""

    type = _type_field()
    circle = forms.ChoiceField(label=_("服务圈"), required=False,
                               choices=CIRCLE_FIELD_CHOICES)
    add = forms.CharField(label=_("新增设施的坐标（每行：经度,纬度,名称）"), required=False, max_length=5_000,
                          widget=forms.Textarea(attrs={"rows": 2, "placeholder": "121.4105,31.2440,新助餐点"}))
    close = forms.ModelMultipleChoiceField(label=_("假设关闭"), required=False, queryset=Facility.objects.none(),
                                           widget=forms.CheckboxSelectMultiple)
    open = forms.ModelMultipleChoiceField(label=_("假设启用（规划中的）"), required=False,
                                          queryset=Facility.objects.none(), widget=forms.CheckboxSelectMultiple)

    def __init__(self, data=None, *, facilities=(), **kwargs):
        super().__init__(data, **kwargs)
        ids = [f.pk for f in facilities]
        self.fields["close"].queryset = Facility.objects.filter(pk__in=ids, status=Facility.Status.OPEN)
        self.fields["open"].queryset = Facility.objects.filter(pk__in=ids, status=Facility.Status.PLANNED)


class FacilityForm(forms.ModelForm):
    type = _type_field()

    class Meta:
        model = Facility
        fields = ["type", "name", "address", "lon", "lat", "capacity", "opening_hours", "operator", "status",
                  "opened_on", "closed_on", "note"]
        widgets = {"opened_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "closed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "lon": forms.NumberInput(attrs={"step": "0.0000001"}),
                   "lat": forms.NumberInput(attrs={"step": "0.0000001"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:  # the type is chosen by its code
            self.initial["type"] = self.instance.type.code

    def validate_unique(self):
        """Uniqueness is the service's to check (with a message naming the type)."""


class ImportForm(forms.Form):
    file = forms.FileField(label=_("设施表（XLSX 或 CSV）"))


class NetworkForm(forms.Form):
    file = forms.FileField(label=_("OpenStreetMap 文件（.osm.pbf 或 .osm）"))
    margin = forms.IntegerField(label=_("街道边界外保留（米）"), min_value=0, max_value=5000, initial=1000)
