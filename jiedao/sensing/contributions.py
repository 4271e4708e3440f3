"""What 物联感知 offers the apps above it (docs/architecture.md, "Contributions"): planning's data elements,
and the 电子出入证 section of the registry's household file."""

import datetime as dt

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiedao.core.contributions import (
    HouseholdSection,
    SafetyEvent,
    SafetyFactor,
    household_sections,
    planning_element,
    safety_factors,
)
from jiedao.core.roles import Perm, has_perm
from jiedao.core.scope import scope_of
from jiedao.sensing.models import AccessPass, Alarm, Device, DeviceStatus, Event

SOURCE = _("物联感知")


def _span(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    begin = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    return begin, timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))


@planning_element("sensing.devices", name=_("在用感知设备"), unit="台", source=SOURCE,
                  definition=_("报告期末登记在用的物联感知设备数（前端感知终端覆盖密度的分子）"))
def devices(*, subdistrict_id: int, start: dt.date, end: dt.date) -> int:
    _begin, until = _span(start, end)
    return Device.objects.filter(subdistrict_id=subdistrict_id, status=DeviceStatus.ACTIVE, created_at__lt=until) \
        .filter(Q(installed_on__isnull=True) | Q(installed_on__lte=end)).count()


@planning_element("sensing.alarms", name=_("物联感知告警"), unit="条", source=SOURCE,
                  definition=_("报告期内告警规则产生的告警数（同设备同类型在合并窗口内计一条）"))
def alarms(*, subdistrict_id: int, start: dt.date, end: dt.date) -> int:
    begin, until = _span(start, end)
    return Alarm.objects.filter(subdistrict_id=subdistrict_id, opened_at__gte=begin, opened_at__lt=until).count()


@planning_element("sensing.false_alarms", name=_("物联感知误报"), unit="条", source=SOURCE,
                  definition=_("报告期内产生、其案件以“误报”结束的告警数（误报率的分子，分母为案件已结束的告警）"))
def false_alarms(*, subdistrict_id: int, start: dt.date, end: dt.date) -> int:
    begin, until = _span(start, end)
    return Alarm.objects.filter(subdistrict_id=subdistrict_id, opened_at__gte=begin, opened_at__lt=until,
                                false_alarm=True).count()


@planning_element("sensing.garbage_rooms_connected", name=_("接入一网统管的垃圾厢房"), unit="处", source=SOURCE,
                  definition=_("报告期内有在用的垃圾满溢感知设备上报过的垃圾厢房数（按设备所在楼栋或小区与安装位置计）；"
                               "“垃圾厢房监控接入比例”的分子"))
def garbage_rooms_connected(*, subdistrict_id: int, start: dt.date, end: dt.date) -> int:
    begin, until = _span(start, end)
    reporting = Event.objects.filter(subdistrict_id=subdistrict_id, type__code="garbage_overflow",
                                     at__gte=begin, at__lt=until).values("device_id")
    rooms = Device.objects.filter(subdistrict_id=subdistrict_id, status=DeviceStatus.ACTIVE, pk__in=reporting) \
        .values_list("building_id", "estate_id", "place").distinct()
    return len(set(rooms))


# ------------------------------------------------------------------------------------ household file

def household_passes_context(*, user, household) -> dict | None:
    """The household's passes for a reader who may see its residents; workers who edit the registry issue
    them here (for a current resident) and open each to revoke it."""
    if not has_perm(user, Perm.VIEW_REGISTRY):
        return None
    now = timezone.now()
    shown = list(AccessPass.objects.within(scope_of(user)).filter(household=household)
                 .select_related("resident").order_by("-issued_at")[:30])
    for p in shown:
        p.holder_name = p.resident.name if p.resident_id else ""
        p.expired = p.valid_until <= now
    residents = []
    if has_perm(user, Perm.EDIT_REGISTRY):
        from jiedao.registry.models import Resident

        residents = [r for r in Resident.objects.filter(household=household, moved_out_on=None).order_by("pk")
                     if r.lives_here]
    return {"passes": shown, "residents": residents, "can_issue": has_perm(user, Perm.EDIT_REGISTRY)}


def household_passes_data(*, user, household) -> list[dict] | None:
    if not has_perm(user, Perm.VIEW_REGISTRY):
        return None
    return [
        {"pass_id": p.pass_id, "kind": p.kind, "resident": p.resident_id, "valid_from": p.valid_from.isoformat(),
         "valid_until": p.valid_until.isoformat(), "revoked": p.revoked_at is not None}
        for p in AccessPass.objects.within(scope_of(user)).filter(household=household).order_by("-issued_at")[:30]
    ]


household_sections.add(HouseholdSection(
    code="sensing.passes", title=_("电子出入证"), order=60, template="sensing/household_passes.html",
    context=household_passes_context, data=household_passes_data,
))


# ---------------------------------------------------------------------- the safety index's factor (平安指数)

# Sensor types whose alarms speak of public safety (垃圾满溢, 积水, 井盖 and the gates' pass checks do not).
SAFETY_TYPES = ("smoke", "gas", "falling_object", "ebike_in_elevator", "fire_lane_blocked", "access_denied")


def safety_alarms(*, subdistrict_id: int, start: dt.date, end: dt.date) -> list[SafetyEvent]:
    """Alarms of the safety types raised in the period, except those found to be false (误报); an urgent
    alarm counts twice."""
    from django.urls import reverse

    begin, until = _span(start, end)
    rows = (Alarm.objects.filter(subdistrict_id=subdistrict_id, opened_at__gte=begin, opened_at__lt=until,
                                 type__code__in=SAFETY_TYPES)
            .exclude(false_alarm=True).order_by()
            .values_list("pk", "opened_at", "community_id", "grid_id", "type__name", "urgent"))
    detail = reverse("sensing:alarm", args=["SENS-0"])
    return [SafetyEvent(at=at, community_id=community, grid_id=grid, label=f"SENS-{pk} {name}",
                        url=detail.replace("SENS-0", f"SENS-{pk}"), weight=2.0 if urgent else 1.0)
            for pk, at, community, grid, name, urgent in rows]


safety_factors.add(SafetyFactor(
    code="sensing.alarms", name=_("安全类感知告警"), source=SOURCE, events=safety_alarms,
    definition=_("报告期内烟感、燃气、高空抛物、电瓶车入梯、消防通道占用和门禁异常的告警，"
                 "不含已认定的误报；紧急告警计 2 条"),
))
