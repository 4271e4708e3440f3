"""Forms of the desk pages that lay out the inspection work: points, rounds, shops, garbage rooms and their
rosters. They parse and offer what lies in the user's scope; the services own every rule.

A choice (a building, a 居委, a point) is offered from the user's scope but accepted from anywhere, so that
one posted from outside the scope reaches the service, which refuses it (403) and audits the attempt."""

import re
from itertools import groupby

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jiedao.core.forms import QuickSelect
from jiedao.core.models import User
from jiedao.core.roles import ScopeLevel
from jiedao.core.scope import scope_of
from jiedao.geo.models import Building, Community
from jiedao.inspections.models import DutyRole, Frequency, GarbageCategory, Point, PointKind, ShopKind, Tier
from jiedao.inspections.services.points import assignable_people
from jiedao.inspections.services.shops import DEFAULT_DUTIES

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEL = forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"})
# Kinds whose points come with their own register: a shop's door, a garbage room.
OWN_PAGES = ("shopfront", "garbage_room")


class BuildingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Building) -> str:
        return obj.address


def _offer_buildings(field: forms.ModelChoiceField, user: User) -> None:
    """The buildings of the user's scope, grouped by 小区 (the field accepts any, for the service to judge)."""
    offered = (Building.objects.within(scope_of(user)).select_related("road", "estate")
               .order_by("estate__name", "road__name", "lane", "number"))
    grouped = [(estate, [(b.pk, b.address) for b in buildings])
               for estate, buildings in groupby(offered, key=lambda b: b.estate.name)]
    field.choices = [("", field.empty_label), *grouped]


def _offer_communities(field: forms.ModelChoiceField, user: User) -> None:
    offered = Community.objects.within(scope_of(user)).order_by("code")
    field.choices = [*([("", field.empty_label)] if field.empty_label is not None else []),
                     *((c.pk, c.name) for c in offered)]


def _lines(value: str) -> list[str]:
    """Lines, or items parted by commas and 、, stripped, the empty ones dropped."""
    return [part.strip() for part in re.split(r"[\n\r,，、;；]+", value or "") if part.strip()]


class KindChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: PointKind) -> str:
        name = gettext(obj.name)
        return f"{name} · {gettext(obj.instruction)}" if obj.instruction else name


class PointForm(forms.Form):
    """登记或修改巡检点: at a building, or at coordinates in a 居委 (井盖, a fire hydrant on a road)."""

    kind = KindChoiceField(label=_("类型"), queryset=PointKind.objects.exclude(code__in=OWN_PAGES),
                           empty_label=None, help_text=_("标签上印类型和它的说明；沿街商铺和垃圾厢房在各自页面登记"))
    code = forms.CharField(label=_("点位编码"), max_length=24, help_text=_("街道内唯一，如 LD-0101"))
    name = forms.CharField(label=_("名称"), max_length=60, help_text=_("如 兰溪路200弄5号楼道"))
    building = BuildingChoiceField(label=_("楼栋"), required=False, queryset=Building.objects.all(),
                                   empty_label=_("不在楼栋：填写下面的居委会和经纬度"), widget=QuickSelect)
    community = forms.ModelChoiceField(label=_("居委会"), required=False, queryset=Community.objects.all(),
                                       empty_label=_("请选择"), help_text=_("不选楼栋时必填"))
    lat = forms.FloatField(label=_("纬度"), required=False, min_value=-90, max_value=90,
                           widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}))
    lon = forms.FloatField(label=_("经度"), required=False, min_value=-180, max_value=180,
                           widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}))
    address = forms.CharField(label=_("位置说明"), required=False, max_length=120,
                              help_text=_("如 兰溪路200弄口东侧；选了楼栋可留空，即用楼栋地址"))
    active = forms.BooleanField(label=_("启用（停用后旧标签不再有效）"), required=False, initial=True)

    def __init__(self, *args, user: User, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        _offer_buildings(self.fields["building"], user)
        _offer_communities(self.fields["community"], user)
        if not editing:
            del self.fields["active"]

    def values(self) -> dict:
        """The keyword arguments of ``create_point`` / ``update_point``."""
        return dict(self.cleaned_data)


class PeopleField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.display_name}（{obj.get_role_display()}）"


class RoundForm(forms.Form):
    """布置或修改巡检计划. The points are ticked in groups by 居委 and kind (the template draws them)."""

    name = forms.CharField(label=_("计划名称"), max_length=60, help_text=_("如 一村楼道周巡"))
    tier = forms.ChoiceField(label=_("检查类别"), choices=Tier.choices, initial=Tier.ROUTINE)
    frequency = forms.ChoiceField(label=_("频次"), choices=Frequency.choices, initial=Frequency.WEEKLY)
    community = forms.ModelChoiceField(label=_("所属居委会"), required=False, queryset=Community.objects.all(),
                                       empty_label=_("全街道"))
    starts_on = forms.DateField(label=_("开始日期"), widget=DATE)
    points = forms.ModelMultipleChoiceField(label=_("巡检点"), required=False, queryset=Point.objects.all())
    assignees = PeopleField(label=_("巡检人"), required=False, queryset=User.objects.none(),
                            widget=forms.CheckboxSelectMultiple, help_text=_("不选则范围内能扫码巡检的人都可以做"))
    active = forms.BooleanField(label=_("启用（停用后不再计入漏检，也不再出现在巡检人的列表里）"), required=False,
                                initial=True)

    def __init__(self, *args, user: User, current=None, **kwargs):
        """``current``: the round being edited (its points out of use and its assignees stay on offer)."""
        super().__init__(*args, **kwargs)
        self.fields["starts_on"].initial = timezone.localdate()
        community = self.fields["community"]
        if scope_of(user).level not in (ScopeLevel.ALL, ScopeLevel.SUBDISTRICT):
            # A round of the whole subdistrict is out of a 居委's sight once saved: a 居委 lays out its own.
            community.required, community.empty_label = True, None
        _offer_communities(community, user)
        on_round = Q(pk__in=current.points.all()) if current is not None else Q(pk__in=[])
        people = assignable_people(by=user) | User.objects.filter(
            pk__in=current.assignees.all() if current is not None else [])
        self.fields["assignees"].queryset = people.distinct().order_by("role", "username")
        self.offered_points = list(
            Point.objects.within(scope_of(user)).filter(Q(active=True) | on_round).select_related("kind", "community")
            .order_by("community__code", "kind__order", "kind__code", "code"))
        if current is None:
            del self.fields["active"]

    def point_groups(self) -> list[dict]:
        """The offered points by 居委, then kind, each with whether it is ticked; a 居委 with a ticked point
        (or the only one) opens."""
        value = self["points"].value() or []
        chosen = {str(getattr(v, "pk", v)) for v in value}
        groups = []
        for community, members in groupby(self.offered_points, key=lambda p: p.community):
            members = list(members)
            kinds = [(gettext(kind.name), [(p, str(p.pk) in chosen) for p in points])
                     for kind, points in groupby(members, key=lambda p: p.kind)]
            ticked = sum(str(p.pk) in chosen for p in members)
            groups.append({"community": community, "kinds": kinds, "ticked": ticked, "total": len(members)})
        for group in groups:
            group["open"] = group["ticked"] > 0 or len(groups) == 1
        return groups


class ShopForm(forms.Form):
    """登记或修改沿街商铺. The contact is personal data: an edit never shows it in clear; left empty it stays."""

    name = forms.CharField(label=_("店名"), max_length=60)
    licence_no = forms.CharField(label=_("营业执照号"), max_length=30,
                                 help_text=_("18 位统一社会信用代码或 15 位注册号"),
                                 widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))
    kind = forms.ChoiceField(label=_("业态"), choices=ShopKind.choices, initial=ShopKind.RETAIL)
    building = BuildingChoiceField(label=_("所在楼栋"), queryset=Building.objects.all(), empty_label=_("请选择楼栋"),
                                   widget=QuickSelect)
    number = forms.CharField(label=_("门牌号"), required=False, max_length=12,
                             help_text=_("地址为“路名 + 门牌号”；留空用楼栋的门牌号"))
    contact_name = forms.CharField(label=_("联系人"), required=False, max_length=40,
                                   widget=forms.TextInput(attrs={"autocomplete": "off"}))
    contact_phone = forms.CharField(label=_("联系电话"), required=False, max_length=20, widget=TEL)
    clear_contact = forms.BooleanField(label=_("删除联系人和联系电话"), required=False)
    duties = forms.CharField(label=_("门责任务"), required=False, widget=forms.Textarea(attrs={"rows": 5}),
                             help_text=_("每行一条"))
    active = forms.BooleanField(label=_("在营（歇业后门口标签不再有效）"), required=False, initial=True)

    def __init__(self, *args, user: User, contact: dict | None = None, **kwargs):
        """``contact``: an edit's masked contact, {"name": "王**", "phone": "138****5678"}."""
        super().__init__(*args, **kwargs)
        _offer_buildings(self.fields["building"], user)
        if contact is None:
            self.fields["duties"].initial = "\n".join(DEFAULT_DUTIES)
            del self.fields["clear_contact"], self.fields["active"]
        else:
            for field, label in (("contact_name", contact["name"]), ("contact_phone", contact["phone"])):
                self.fields[field].help_text = (_("当前：%(v)s；留空则不修改") % {"v": label}) if label \
                    else _("当前未登记")

    def clean_duties(self) -> list[str]:
        return _lines(self.cleaned_data["duties"])

    def values(self) -> dict:
        """The keyword arguments of ``register_shop`` / ``update_shop`` (an edit: contact None = unchanged)."""
        data = dict(self.cleaned_data)
        if "active" in data:
            if data.pop("clear_contact"):
                data["contact_name"] = data["contact_phone"] = ""
            else:
                data["contact_name"] = data["contact_name"] or None
                data["contact_phone"] = data["contact_phone"] or None
        return data


class RoomForm(forms.Form):
    """登记或修改垃圾厢房: its building, 定时定点 hours and bins per category."""

    name = forms.CharField(label=_("名称"), max_length=60, help_text=_("如 曹杨一村1号垃圾厢房"))
    building = BuildingChoiceField(label=_("旁边的楼栋"), queryset=Building.objects.all(), empty_label=_("请选择楼栋"),
                                   widget=QuickSelect)
    hours = forms.CharField(label=_("定时定点投放时间"), required=False, max_length=120,
                            help_text=_("多个时段用逗号分隔，如 06:30-08:30，18:00-20:00"))
    active = forms.BooleanField(label=_("启用（停用后标签不再有效）"), required=False, initial=True)

    def __init__(self, *args, user: User, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        _offer_buildings(self.fields["building"], user)
        for code, label in GarbageCategory.choices:
            self.fields[f"bins_{code}"] = forms.IntegerField(
                label=_("%(c)s桶数") % {"c": label}, min_value=0, max_value=50, initial=0,
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
        if not editing:
            del self.fields["active"]
        self.order_fields(["name", "building", "hours", *(f"bins_{c}" for c in GarbageCategory.values), "active"])

    def clean_hours(self) -> list[str]:
        return _lines(self.cleaned_data["hours"])

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        counts = {code: data.pop(f"bins_{code}") for code in GarbageCategory.values}
        data["bins"] = {code: n for code, n in counts.items() if n}
        return data


class DutyForm(forms.Form):
    """加入值守名册: a 房长, 桶长 or 监督员, with their account when they scan."""

    role = forms.ChoiceField(label=_("职责"), choices=DutyRole.choices)
    name = forms.CharField(label=_("姓名"), max_length=40, widget=forms.TextInput(attrs={"autocomplete": "off"}))
    phone = forms.CharField(label=_("电话"), required=False, max_length=20, widget=TEL)
    shift = forms.CharField(label=_("值守时段"), required=False, max_length=30, help_text=_("如 07:00-09:00"))
    user = forms.ModelChoiceField(label=_("扫码账号"), required=False, queryset=User.objects.none(),
                                  empty_label=_("无（不扫码）"), help_text=_("志愿者自己扫码自查时选择其账号"))

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        field.queryset = User.objects.filter(subdistrict_id=user.subdistrict_id)
        field.choices = [("", field.empty_label), *((u.pk, f"{u.display_name}（{u.get_role_display()}）")
                                                    for u in assignable_people(by=user).order_by("role", "username"))]
