"""Forms of the 一网统管 pages. They parse and show errors; every rule lives in services and selectors."""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jiedao.cases import selectors
from jiedao.cases.models import Channel, Rating, Status
from jiedao.core.forms import QuickSelect, apply_errors  # noqa: F401  (apply_errors: re-exported for the views)
from jiedao.core.models import Department
from jiedao.core.scope import scope_of

MAX_PHOTOS = 9


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Zero or more uploaded photos; services.validate_photo decides what a photo is."""

    def __init__(self, **kwargs):
        attrs = {"accept": "image/jpeg,image/png,image/webp,image/*"} | kwargs.pop("attrs", {})
        kwargs.setdefault("widget", MultipleFileInput(attrs=attrs))
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        files = [f for f in files if f]
        if len(files) > MAX_PHOTOS:
            raise ValidationError(_("一次最多上传 %(n)s 张照片") % {"n": MAX_PHOTOS})
        return [super(PhotosField, self).clean(f, initial) for f in files]


def category_choices(blank: str) -> list[tuple[str, str]]:
    choices = [("", blank)]
    for c in selectors.categories():
        choices.append((c.code, f"{c.code} {gettext(c.name)}"))  # shipped names in English too (RULES)
    return choices


def departments_of(user) -> list[tuple[str, str]]:
    """(id, name) of the active departments in the user's scope, by code."""
    qs = Department.objects.within(scope_of(user)).filter(active=True).order_by("code")
    return [(str(d.pk), d.name) for d in qs]


def department_choices(user, blank: str, departments: list[tuple[str, str]] | None = None) -> list[tuple[str, str]]:
    """The departments to choose from: ``departments`` when the page read them already, else read now."""
    return [("", blank), *(departments_of(user) if departments is None else departments)]


# ------------------------------------------------------------------------------------------------ queue

STATUS_TABS = [
    ("open", _("全部在办")), ("overdue", _("超期")), (Status.NEW, Status.NEW.label),
    (Status.REGISTERED, Status.REGISTERED.label), (Status.DISPATCHED, Status.DISPATCHED.label),
    (Status.HANDLING, Status.HANDLING.label), (Status.HANDLED, Status.HANDLED.label),
    (Status.SUSPENDED, Status.SUSPENDED.label), (Status.CLOSED, Status.CLOSED.label),
    (Status.CANCELLED, Status.CANCELLED.label), ("all", _("全部")),
]
SORT_CHOICES = [
    ("overdue", _("超期优先")), ("-reported_at", _("最新上报")), ("reported_at", _("最早上报")),
    ("handle_due", _("办理时限")), ("number", _("案件编号")),
]
YES_NO = [("", _("不限")), ("1", _("是")), ("0", _("否"))]


class QueueForm(forms.Form):
    """The queue's filters (GET). Places and departments offered are those in the user's scope."""

    status = forms.ChoiceField(label=_("状态"), choices=STATUS_TABS, required=False, widget=forms.HiddenInput)
    q = forms.CharField(label=_("搜索"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": _("编号、工单号、内容或地址"), "type": "search"}))
    category = forms.ChoiceField(label=_("分类"), required=False, widget=QuickSelect)
    department = forms.TypedChoiceField(label=_("处置部门"), required=False, coerce=int, empty_value=None,
                                        widget=QuickSelect)
    area = forms.TypedChoiceField(label=_("片区"), required=False, coerce=int, empty_value=None,
                                  widget=QuickSelect)
    community = forms.TypedChoiceField(label=_("居委会"), required=False, coerce=int, empty_value=None,
                                       widget=QuickSelect)
    grid = forms.TypedChoiceField(label=_("网格"), required=False, coerce=int, empty_value=None,
                                  widget=QuickSelect)
    channel = forms.ChoiceField(label=_("来源"), required=False, choices=[("", _("全部来源")), *Channel.choices],
                                widget=QuickSelect)
    urgent = forms.ChoiceField(label=_("紧急"), required=False, choices=YES_NO, widget=QuickSelect)
    needs_placement = forms.BooleanField(label=_("待人工定位"), required=False)
    duplicates = forms.BooleanField(label=_("疑似重复"), required=False)
    sort = forms.ChoiceField(label=_("排序"), required=False, choices=SORT_CHOICES, widget=QuickSelect)

    def __init__(self, *args, user, departments: list[tuple[str, str]] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        from jiedao.geo.models import Area, Community, Grid

        scope = scope_of(user)
        self.fields["category"].choices = category_choices(_("全部分类"))
        self.fields["department"].choices = department_choices(user, _("全部部门"), departments)
        # Ids and names only: places carry their boundaries (GeoJSON), which a list of choices does not need.
        self.fields["area"].choices = [
            ("", _("全部片区")), *Area.objects.within(scope).order_by("code").values_list("pk", "name")]
        self.fields["community"].choices = [
            ("", _("全部居委")), *Community.objects.within(scope).order_by("code").values_list("pk", "name")]
        self.fields["grid"].choices = [
            ("", _("全部网格")), *Grid.objects.within(scope).order_by("code").values_list("pk", "name")]

    def filters(self) -> selectors.QueueFilters:
        d = self.cleaned_data
        return selectors.QueueFilters(
            status=d.get("status") or "open", q=d.get("q") or "", category=d.get("category") or "",
            department=d.get("department"), area=d.get("area"), community=d.get("community"), grid=d.get("grid"),
            channel=d.get("channel") or "", urgent={"1": True, "0": False}.get(d.get("urgent") or ""),
            needs_placement=True if d.get("needs_placement") else None,
            duplicates=True if d.get("duplicates") else None, sort=d.get("sort") or "overdue",
        )


class BulkDispatchForm(forms.Form):
    ids = forms.TypedMultipleChoiceField(coerce=int, error_messages={"required": _("请先勾选要派遣的案件")})
    department = forms.ChoiceField(label=_("派遣到"), required=False, widget=QuickSelect)

    def __init__(self, *args, user, departments: list[tuple[str, str]] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = department_choices(user, _("按应用场景自动派遣"), departments)
        # Any id may be posted; dispatch_many checks each against the user's scope and says why it failed.
        self.fields["ids"].valid_value = lambda value: str(value).isdigit()


# ------------------------------------------------------------------------------------------------ actions


class ActionForm(forms.Form):
    """One step of the closed loop. Fields depend on the action; ``version`` is the case the user saw."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("说明"), required=False, max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, action: str, case, user, routed=None, processes=(), **kwargs):
        kwargs.setdefault("prefix", action)
        super().__init__(*args, **kwargs)
        from jiedao.cases import services

        self.action = action
        self.transition = services.TRANSITIONS[action]
        self.fields["version"].initial = case.version
        note = self.fields["note"]
        note.required = self.transition.note_required
        if action == "handle":
            # The reply residents read on their case card (views.portal); other notes stay internal.
            note.label = _("处置结果（反映人可见）")
            note.help_text = _("请写明处理结果，会显示给反映问题的居民；不要写入对方的姓名和电话")
        if action in ("register", "reclassify"):
            current = case.category or case.suggested_category
            self.fields["category"] = forms.ChoiceField(label=_("案件分类"), choices=category_choices(_("请选择")),
                                                        initial=current.code if current else "")
            self.fields["urgent"] = forms.BooleanField(label=_("紧急"), required=False, initial=case.urgent)
        elif action in ("dispatch", "reopen"):
            department, process = routed or (None, None)
            if action == "reopen" and case.department_id:
                department = case.department
            self.fields["department"] = forms.ChoiceField(
                label=_("处置部门"), choices=department_choices(user, _("请选择")),
                initial=str(department.pk) if department else "")
            self.fields["process"] = forms.ChoiceField(
                label=_("处置流程"), required=False, choices=[(p.code, gettext(p.name)) for p in processes],
                initial=(process or case.process).code if (process or case.process) else "HOTLINE5")
        elif action in ("request_extension", "approve_extension"):
            self.fields["days"] = forms.IntegerField(label=_("延期天数（工作日）"), min_value=1, max_value=30,
                                                     required=action == "request_extension")
        elif action == "visit":
            self.fields["rating"] = forms.TypedChoiceField(label=_("评价"), choices=Rating.choices, coerce=int,
                                                           widget=forms.RadioSelect)
        elif action == "merge":
            self.fields["into"] = forms.CharField(
                label=_("合并到案件编号"), max_length=20,
                initial=case.possible_duplicate_of.number if case.possible_duplicate_of_id else "")
        elif action == "place":
            from jiedao.geo.models import Grid

            grids = Grid.objects.within(scope_of(user)).order_by("code").values_list("pk", "name")
            self.fields["grid"] = forms.ChoiceField(
                label=_("网格"), required=False, choices=[("", _("在地图上选点或选择网格"))] + [
                    (str(pk), name) for pk, name in grids])
            self.fields["lat"] = forms.FloatField(label=_("纬度"), required=False,
                                                  widget=forms.NumberInput(attrs={"step": "any"}))
            self.fields["lon"] = forms.FloatField(label=_("经度"), required=False,
                                                  widget=forms.NumberInput(attrs={"step": "any"}))
        if action in ("handle", "note", "contact"):
            self.fields["photos"] = PhotosField(label=_("照片"))
        # What the step needs first, then the note, then photos.
        self.order_fields([k for k in self.fields if k not in ("note", "photos")] + ["note", "photos"])

    def params(self) -> dict:
        """The keyword arguments for services.perform (blank values left out, as the API does)."""
        return {k: v for k, v in self.cleaned_data.items()
                if k not in ("note", "version") and v not in (None, "", [])}


class DuplicateForm(forms.Form):
    """The operator's answer to a 疑似重复 flag (services.decide_duplicate): 合并 into one of the candidates
    (``into``, default the flagged case) or 不是重复, with the version of the case they saw."""

    accepted = forms.TypedChoiceField(choices=[("1", _("合并")), ("0", _("不是重复"))], coerce=lambda v: v == "1",
                                      widget=forms.HiddenInput)
    into = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)
    note = forms.CharField(label=_("说明"), required=False, max_length=1000,
                           widget=forms.TextInput(attrs={"placeholder": _("说明（可不填）")}))
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "duplicate")
        super().__init__(*args, **kwargs)


class RevealForm(forms.Form):
    reason = forms.CharField(label=_("查看原因"), max_length=100, initial=_("先行联系"))


# ------------------------------------------------------------------------------------------------ reporting


class ReportForm(forms.Form):
    """网格巡查上报 on a phone: text, optional category, photos from the camera, GPS or an address."""

    description = forms.CharField(label=_("问题描述"), max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 4, "placeholder": _("发生了什么，在哪里")}))
    category = forms.ChoiceField(label=_("分类（可不选，系统会建议）"), required=False)
    photos = PhotosField(label=_("照片"), attrs={"accept": "image/*", "capture": "environment"})
    address = forms.CharField(label=_("地址（无定位时填写）"), required=False, max_length=200)
    lat = forms.FloatField(required=False, widget=forms.HiddenInput)
    lon = forms.FloatField(required=False, widget=forms.HiddenInput)
    urgent = forms.BooleanField(label=_("紧急"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_choices(_("不确定"))

    def clean(self):
        data = super().clean()
        if (data.get("lat") is None) != (data.get("lon") is None):
            data["lat"] = data["lon"] = None
        if data.get("lat") is None and not (data.get("address") or "").strip():
            self.add_error("address", _("没有定位时请填写地址"))
        return data


def _local_minute(value=None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


class HotlineForm(forms.Form):
    """12345 工单录入 at the 城运中心's desk: the order as the hotline gives it. The classifier's suggestion,
    the address found and a likely duplicate are shown while typing (views.intake.hotline_preview)."""

    CHANNELS = [(Channel.HOTLINE, Channel.HOTLINE.label), (Channel.RESIDENT, _("居民来电、来访"))]

    channel = forms.ChoiceField(label=_("来源渠道"), choices=CHANNELS, initial=Channel.HOTLINE)
    external_id = forms.CharField(label=_("工单编号"), required=False, max_length=40,
                                  widget=forms.TextInput(attrs={"autocomplete": "off"}))
    reported_at = forms.DateTimeField(
        label=_("来电时间"), required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))
    description = forms.CharField(label=_("诉求内容"), max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 6, "data-preview": "description"}))
    address = forms.CharField(label=_("地址"), required=False, max_length=200,
                              widget=forms.TextInput(attrs={"placeholder": _("如 兰溪路200弄5号"),
                                                            "data-preview": "address", "autocomplete": "off"}))
    reporter_name = forms.CharField(label=_("来电人"), required=False, max_length=40)
    reporter_phone = forms.CharField(label=_("来电号码"), required=False, max_length=20,
                                     widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}))
    category = forms.ChoiceField(label=_("案件分类（不选则采用系统建议）"), required=False,
                                 widget=forms.Select(attrs={"data-preview": "category"}))
    urgent = forms.BooleanField(label=_("紧急"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_choices(_("采用系统建议"))
        self.fields["reported_at"].initial = _local_minute

    def clean(self):
        data = super().clean()
        if data.get("channel") == Channel.HOTLINE and not (data.get("external_id") or "").strip():
            self.add_error("external_id", _("12345 工单请填写工单编号"))
        return data

    def intake_params(self) -> dict:
        """The keyword arguments of services.intake, as the API passes them."""
        d = self.cleaned_data
        return {k: d[k] for k in ("channel", "external_id", "reported_at", "description", "address",
                                  "reporter_name", "reporter_phone", "category")} | {"urgent": d["urgent"] or None}


class HotlinePreviewForm(forms.Form):
    """What the desk form sends for its hints while the operator types (GET, every field optional)."""

    description = forms.CharField(required=False, max_length=2000)
    address = forms.CharField(required=False, max_length=200)
    category = forms.CharField(required=False, max_length=8)
    reported_at = forms.DateTimeField(required=False)


class ResidentReportForm(forms.Form):
    description = forms.CharField(label=_("您反映的问题"), max_length=2000, widget=forms.Textarea(attrs={"rows": 5}))
    address = forms.CharField(label=_("地址"), max_length=200,
                              widget=forms.TextInput(attrs={"placeholder": _("如 兰溪路200弄5号")}))
    phone = forms.CharField(label=_("联系电话（选填，处理人员会联系您）"), required=False, max_length=20)
    photos = PhotosField(label=_("照片（选填）"), attrs={"accept": "image/*"})


class RateForm(forms.Form):
    rating = forms.TypedChoiceField(label=_("您对处理结果的评价"), choices=Rating.choices, coerce=int,
                                    widget=forms.RadioSelect)
    note = forms.CharField(label=_("意见（选填）"), required=False, max_length=500,
                           widget=forms.Textarea(attrs={"rows": 2}))


# ------------------------------------------------------------------------------------------------ KPIs

PERIOD_CHOICES = [("day", _("日")), ("week", _("周")), ("month", _("月")), ("quarter", _("季度")), ("year", _("年"))]
BY_CHOICES = [("department", _("处置部门")), ("area", _("片区")), ("community", _("居委会")), ("grid", _("网格")),
              ("category", _("分类")), ("channel", _("来源渠道"))]


class KpiForm(forms.Form):
    period = forms.ChoiceField(label=_("周期"), choices=PERIOD_CHOICES, initial="month", required=False)
    date = forms.DateField(label=_("日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    by = forms.ChoiceField(label=_("分组"), choices=BY_CHOICES, initial="department", required=False)

    def values(self) -> tuple[str, dt.date, str]:
        d = self.cleaned_data
        return d.get("period") or "month", d.get("date") or timezone.localdate(), d.get("by") or "department"


class KpiCasesForm(KpiForm):
    metric = forms.CharField(max_length=40)
    part = forms.ChoiceField(choices=[("numerator", "numerator"), ("denominator", "denominator"),
                                      ("outside", "outside")], required=False)
    key = forms.CharField(required=False, max_length=20)  # an id, or a channel value when grouped by channel
    group = forms.BooleanField(required=False)  # the row is one group (key may be empty: "no department")
