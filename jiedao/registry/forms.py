"""Forms of the registry pages. They parse input; the services validate it and own every rule."""

from itertools import groupby

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jiedao.core.forms import apply_errors  # noqa: F401  (re-exported for the views)
from jiedao.core.models import User
from jiedao.core.scope import scope_of
from jiedao.core.validators import validate_resident_id
from jiedao.geo.models import Building, Community
from jiedao.registry.models import CareColour, Resident, Tag

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


def _tag_choices(tags) -> list[tuple[str, str]]:
    """(code, name) of tags, names in the reader's language (shipped names are in the catalogue)."""
    return [(code, gettext(name)) for code, name in tags.values_list("code", "name")]


def _entered_tag_choices() -> list[tuple[str, str]]:
    return _tag_choices(Tag.objects.filter(kind=Tag.Kind.ENTERED))


class SearchForm(forms.Form):
    """找人 by GET: nothing here may identify a person on its own (the ID number goes by POST)."""

    name = forms.CharField(label=_("姓名"), required=False, max_length=40)
    address = forms.CharField(label=_("地址"), required=False, max_length=200,
                              widget=forms.TextInput(attrs={"placeholder": _("如 梅岭北路41号 301室")}))
    phone_last4 = forms.CharField(label=_("手机尾号"), required=False, max_length=4,
                                  widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 5}))
    tag = forms.ChoiceField(label=_("标签"), required=False)
    colour = forms.ChoiceField(label=_("分色"), required=False)
    community = forms.ModelChoiceField(label=_("居委"), required=False, queryset=Community.objects.none(),
                                       empty_label=_("全部居委"))

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tag"].choices = [("", _("全部标签")), *_tag_choices(Tag.objects.all())]
        self.fields["colour"].choices = [("", _("全部分色"))] + [(c.value, c.label) for c in CareColour if c.value]
        self.fields["community"].queryset = Community.objects.within(scope_of(user)).filter(
            buildings__in=Building.objects.within(scope_of(user))
        ).distinct().order_by("code")

    def filters(self) -> dict:
        data = self.cleaned_data
        community = data.get("community")
        return {
            "name": data.get("name", ""), "address": data.get("address", ""),
            "phone_last4": data.get("phone_last4", ""), "tag": data.get("tag", ""),
            "colour": data.get("colour", ""), "community_id": community.pk if community else None,
        }


class IdSearchForm(forms.Form):
    """按身份证号精确查找: posted, never in a URL."""

    id_number = forms.CharField(label=_("身份证号"), max_length=30, validators=[validate_resident_id],
                                widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))


class BuildingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Building) -> str:
        return obj.address


class HouseholdForm(forms.Form):
    """登记新户: a building within the worker's scope (grouped by 小区) and a room.

    Only buildings in scope are offered; any building id is accepted here so that a posted building
    outside the scope reaches ``register_household``, which refuses it (403) and audits the attempt.
    """

    building = BuildingChoiceField(label=_("楼栋"), queryset=Building.objects.select_related("road"),
                                   empty_label=_("请选择楼栋"))
    room = forms.CharField(label=_("室号"), max_length=12, widget=forms.TextInput(attrs={"placeholder": "301"}))

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["building"]
        offered = (
            Building.objects.within(scope_of(user)).select_related("road", "estate")
            .order_by("estate__name", "road__name", "lane", "number")
        )
        grouped = [
            (estate, [(b.pk, b.address) for b in buildings])
            for estate, buildings in groupby(offered, key=lambda b: b.estate.name)
        ]
        field.choices = [("", field.empty_label), *grouped]


class ResidentForm(forms.Form):
    """登记居民 into a household."""

    name = forms.CharField(label=_("姓名"), max_length=40)
    id_number = forms.CharField(label=_("身份证号"), max_length=30,
                                widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))
    phone = forms.CharField(label=_("手机号"), required=False, max_length=20,
                            widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}))
    relation = forms.ChoiceField(label=_("与户主关系"), choices=Resident.Relation.choices)
    residence_status = forms.ChoiceField(label=_("人户状态"), choices=Resident.ResidenceStatus.choices)
    moved_in_on = forms.DateField(label=_("迁入日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    tags = forms.MultipleChoiceField(label=_("标签"), required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tags"].choices = _entered_tag_choices()


class ResidentEditForm(forms.Form):
    """修改居民信息. The phone is never pre-filled (that would show it without a recorded reveal)."""

    name = forms.CharField(label=_("姓名"), max_length=40)
    phone = forms.CharField(label=_("新手机号"), required=False, max_length=20,
                            help_text=_("留空则不修改"),
                            widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}))
    clear_phone = forms.BooleanField(label=_("删除手机号"), required=False)
    relation = forms.ChoiceField(label=_("与户主关系"), choices=Resident.Relation.choices)
    residence_status = forms.ChoiceField(label=_("人户状态"), choices=Resident.ResidenceStatus.choices)

    def changes(self) -> dict:
        data = self.cleaned_data
        changes = {k: data[k] for k in ("name", "relation", "residence_status")}
        if data["clear_phone"]:
            changes["phone"] = ""
        elif data["phone"]:
            changes["phone"] = data["phone"]
        return changes


class SetHeadForm(forms.Form):
    former_head_relation = forms.ChoiceField(
        label=_("原户主改为"),
        choices=[(v, label) for v, label in Resident.Relation.choices if v != Resident.Relation.HEAD],
    )


class MoveOutForm(forms.Form):
    on = forms.DateField(label=_("迁出日期"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("说明"), required=False, max_length=200)


class TagForm(forms.Form):
    tag = forms.ChoiceField(label=_("标签"))
    note = forms.CharField(label=_("说明"), required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tag"].choices = _entered_tag_choices()


class RemoveTagForm(forms.Form):
    tag = forms.CharField(max_length=30, widget=forms.HiddenInput)


class RevealForm(forms.Form):
    field = forms.ChoiceField(choices=[("id_number", _("身份证号")), ("phone", _("手机号"))], widget=forms.HiddenInput)
    reason = forms.CharField(label=_("查看事由"), max_length=200,
                             widget=forms.TextInput(attrs={"placeholder": _("例如：办理高龄津贴核对身份")}))


class ImportForm(forms.Form):
    """上传 for 只校验: the check writes nothing; the page then offers 确认导入."""

    file = forms.FileField(label=_("文件（XLSX 或 CSV）"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(_("文件太大：最多 20 MB，请拆分后导入"))
        return upload
