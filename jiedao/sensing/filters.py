"""The declared filters the sensing selectors apply after the reader's scope (core.filters)."""

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from jiedao.core.filters import DayOrInstantFilter, FilterSet, IntegerFilter
from jiedao.sensing.models import Alarm, DeadReason, Device, DeviceStatus, SensorType


class TypeFilter(django_filters.ModelChoiceFilter):
    """A sensor type by its code (``ebike_in_elevator``)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", SensorType.objects.all())
        kwargs.setdefault("to_field_name", "code")
        super().__init__(**kwargs)


class DeviceFilter(FilterSet):
    """设备列表: by type, status, online state, 居委, low battery and a code or place word."""

    type = TypeFilter(label=_("类型"), field_name="types")
    status = django_filters.ChoiceFilter(label=_("状态"), choices=DeviceStatus.choices)
    health = django_filters.ChoiceFilter(label=_("在线"), method="with_health", choices=[
        ("online", _("在线")), ("offline", _("离线")), ("never", _("未上线"))])
    community = IntegerFilter(label=_("居委"), field_name="community_id")
    low_battery = django_filters.BooleanFilter(label=_("低电量"))
    q = django_filters.CharFilter(label=_("编码或位置"), method="keyword")

    class Meta:
        model = Device
        fields: list[str] = []

    def with_health(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(online={"online": True, "offline": False, "never": None}[value])

    def keyword(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        return queryset.filter(Q(code__icontains=value) | Q(place__icontains=value) | Q(name__icontains=value))


class AlarmFilter(FilterSet):
    """告警队列: by type, device, 居委, time, whether a case is open and whether it was false."""

    type = TypeFilter(label=_("类型"), field_name="type")
    device = django_filters.CharFilter(label=_("设备编码"), field_name="device__code")
    community = IntegerFilter(label=_("居委"), field_name="community_id")
    since = DayOrInstantFilter(label=_("起始日期"), field_name="opened_at", lookup_expr="gte")
    until = DayOrInstantFilter(label=_("截止日期"), field_name="opened_at", lookup_expr="lt")
    state = django_filters.ChoiceFilter(label=_("状态"), method="in_state", choices=[
        ("open", _("处置中")), ("closed", _("已结束")), ("false", _("误报")), ("no_case", _("未立案"))])

    class Meta:
        model = Alarm
        fields: list[str] = []

    def in_state(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return {
            "open": lambda: queryset.filter(case__isnull=False, closed_at=None),
            "closed": lambda: queryset.filter(closed_at__isnull=False),
            "false": lambda: queryset.filter(false_alarm=True),
            "no_case": lambda: queryset.filter(case__isnull=True),
        }[value]()


class DeadLetterFilter(FilterSet):
    reason = django_filters.ChoiceFilter(label=_("原因"), choices=DeadReason.choices)
    resolved = django_filters.BooleanFilter(label=_("已处理"))
    device = django_filters.CharFilter(label=_("设备编码"), field_name="device_code")
