"""找人: the declared filters ``selectors.resident_search`` applies after the reader's scope."""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from jiedao.core.crypto import lookup_value
from jiedao.core.filters import FilterSet, IntegerFilter
from jiedao.core.scope import Scope
from jiedao.core.validators import normalize_id_number
from jiedao.geo.address import address_index
from jiedao.registry import colours
from jiedao.registry.models import CareColour, Household, Resident, Tag


class TagField(forms.CharField):
    """A tag by code or by name (``elderly`` or 老年), entered or derived."""

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        tag = Tag.objects.filter(Q(code=text) | Q(name=text)).first()
        if tag is None:
            raise ValidationError(_("未知标签：%(tag)s"), code="unknown_tag", params={"tag": text})
        return tag


class TagFilter(django_filters.Filter):
    field_class = TagField


class MovedOutFilter(django_filters.BooleanFilter):
    """含已迁出: residents who moved out are left out unless asked for, also when the filter is not given."""

    def filter(self, qs, value):
        return qs if value else qs.current()


class ResidentFilter(FilterSet):
    """By name, address, exact ID number (blind index), phone 尾号, tag, care colour and 居委.

    ``scope`` is the reader's: an address is read with the gazetteer of their subdistrict.
    """

    name = django_filters.CharFilter(label=_("姓名"), lookup_expr="contains")
    address = django_filters.CharFilter(label=_("地址"), method="at_address")
    id_number = django_filters.CharFilter(label=_("身份证号"), method="with_id_number")
    phone_last4 = django_filters.CharFilter(
        label=_("手机尾号"), validators=[RegexValidator(r"^\d{4}\Z", _("手机尾号应为 4 位数字"), code="phone_last4")]
    )
    tag = TagFilter(label=_("标签"), method="with_tag")
    colour = django_filters.ChoiceFilter(
        label=_("分色"), field_name="care_colour", choices=[(c.value, c.label) for c in CareColour if c.value],
        error_messages={"invalid_choice": _("分色只能是红、黄、绿")},
    )
    community_id = IntegerFilter(label=_("居委"), field_name="household__building__community_id")
    include_moved_out = MovedOutFilter(label=_("含已迁出"))

    def __init__(self, data=None, queryset=None, *, scope: Scope, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.scope = scope

    def with_id_number(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(**lookup_value(Resident, "id_number", normalize_id_number(value)))

    def with_tag(self, queryset: QuerySet, name: str, value: Tag) -> QuerySet:
        return queryset.filter(colours.tag_q(value))

    def at_address(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(household__in=households_at(self.scope, value))


def households_at(scope: Scope, address: str) -> QuerySet[Household]:
    """The households a door-plate address names: every household of the building, or the one room given."""
    parsed, building_id = address_index(None if scope.is_all else scope.subdistrict_id).parse_and_resolve(address)
    if building_id is None:
        return Household.objects.none()
    qs = Household.objects.filter(building_id=building_id)
    return qs.filter(room=parsed.room) if parsed.room else qs
