"""The facility register's declared filters (``selectors.facility_list`` applies them after the scope)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jiedao.core.filters import FilterSet, IntegerFilter
from jiedao.facilities.models import Facility, FacilityType


class FacilityFilter(FilterSet):
    """By type (code), category, status, 居委 and words of the name, address or operator."""

    type = django_filters.ModelChoiceFilter(
        label=_("类型"), queryset=FacilityType.objects.all(), to_field_name="code",
        error_messages={"invalid_choice": _("未知的设施类型")},
    )
    category = django_filters.ChoiceFilter(label=_("类别"), field_name="type__category",
                                           choices=FacilityType.Category.choices)
    status = django_filters.ChoiceFilter(label=_("状态"), choices=Facility.Status.choices)
    community_id = IntegerFilter(label=_("居委"), field_name="community_id")
    q = django_filters.CharFilter(label=_("名称或地址"), method="matching")

    class Meta:
        model = Facility
        fields = []

    def matching(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__contains=value) | Q(address__contains=value) | Q(operator__contains=value))
