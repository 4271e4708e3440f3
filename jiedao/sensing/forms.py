"""Forms of the 物联感知 pages. They parse and show errors; the rules live in services and selectors."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jiedao.core.forms import apply_errors  # noqa: F401  (re-exported for the views)
from jiedao.geo.models import Community
from jiedao.sensing.defaults import COMMANDS
from jiedao.sensing.models import AlarmRule, DeadReason, DeviceStatus, SensorType


def type_choices(blank) -> list[tuple[str, str]]:
    return [("", blank), *((t.code, gettext(t.name)) for t in SensorType.objects.all())]


def community_choices(user, blank) -> list[tuple[str, str]]:
    from jiedao.core.scope import scope_of

    qs = Community.objects.within(scope_of(user)).order_by("code")
    return [("", blank), *((str(c.pk), c.name) for c in qs)]


class AlarmFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("状态"), required=False, widget=forms.HiddenInput, choices=[
        ("", _("全部")), ("open", _("处置中")), ("no_case", _("未立案")), ("closed", _("已结束")),
        ("false", _("误报"))])
    type = forms.ChoiceField(label=_("类型"), required=False)
    community = forms.ChoiceField(label=_("居委"), required=False)
    device = forms.CharField(label=_("设备编码"), required=False, max_length=40)
    since = forms.DateField(label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = type_choices(_("全部类型"))
        self.fields["community"].choices = community_choices(user, _("全部居委"))

    def filters(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if v not in ("", None)}


class DeviceFilterForm(forms.Form):
    type = forms.ChoiceField(label=_("类型"), required=False)
    health = forms.ChoiceField(label=_("在线"), required=False, choices=[
        ("", _("不限")), ("online", _("在线")), ("offline", _("离线")), ("never", _("未上线"))])
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("不限")), *DeviceStatus.choices])
    community = forms.ChoiceField(label=_("居委"), required=False)
    q = forms.CharField(label=_("编码或位置"), required=False, max_length=60,
                        widget=forms.TextInput(attrs={"type": "search"}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = type_choices(_("全部类型"))
        self.fields["community"].choices = community_choices(user, _("全部居委"))

    def filters(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if v not in ("", None)}


class RuleForm(forms.ModelForm):
    """One rule of the rule editor; the service validates the whole (quiet hours in pairs, commands the
    type accepts)."""

    command = forms.ChoiceField(label=_("联动指令"), required=False)

    class Meta:
        model = AlarmRule
        fields = ["enabled", "threshold", "duration_seconds", "quiet_start", "quiet_end", "merge_minutes",
                  "opens_case", "urgent", "command"]
        widgets = {"quiet_start": forms.TimeInput(attrs={"type": "time"}),
                   "quiet_end": forms.TimeInput(attrs={"type": "time"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        commands = self.instance.type.commands or []
        self.fields["command"].choices = [("", _("无")), *((c, gettext(COMMANDS.get(c, c))) for c in commands)]
        if not self.instance.type.measured:
            del self.fields["threshold"]
            del self.fields["duration_seconds"]
        for field in self.fields.values():  # the row's inputs belong to the row's form (a table cannot nest forms)
            field.widget.attrs["form"] = f"form-{self.instance.type.code}"


class ImportForm(forms.Form):
    file = forms.FileField(label=_("设备表（CSV 或 XLSX）"))
    dry_run = forms.BooleanField(label=_("只校验，不导入"), required=False, initial=True)


class DeadLetterFilterForm(forms.Form):
    reason = forms.ChoiceField(label=_("原因"), required=False, choices=[("", _("全部")), *DeadReason.choices])
    resolved = forms.ChoiceField(label=_("状态"), required=False, choices=[
        ("false", _("未处理")), ("true", _("已处理"))])

    def filters(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if v not in ("", None)}


class NoteForm(forms.Form):
    note = forms.CharField(label=_("说明"), required=False, max_length=200)


class VisitorForm(forms.Form):
    day = forms.DateField(label=_("来访日期"), widget=forms.DateInput(attrs={"type": "date"}))
    label = forms.CharField(label=_("备注（不必填姓名）"), required=False, max_length=30,
                            widget=forms.TextInput(attrs={"placeholder": _("如：亲友来访、家政")}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["day"].initial = timezone.localdate()


def today_plus(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)
