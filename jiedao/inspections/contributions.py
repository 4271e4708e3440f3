"""What this app offers the apps above it (docs/architecture.md, "Contributions"): the safety index's
factor of failed inspection items (``inspections.failed_items``) and planning's data elements over
checks and garbage rooms (the rooms are the denominator of the plan's 垃圾厢房监控接入“一网统管”比例, whose
numerator ``sensing.garbage_rooms_connected`` gives)."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiedao.core.contributions import SafetyEvent, SafetyFactor, planning_element, safety_factors
from jiedao.inspections.models import Check, GarbageRoom, ItemResult

SOURCE = _("二维码巡检")


def _span(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    begin = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    return begin, timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))


def failed_items(*, subdistrict_id: int, start: dt.date, end: dt.date) -> list[SafetyEvent]:
    """Every failed checklist item of the period's checks, placed at its point's 居委 and grid, linked to
    its check. A failed 楼道 / 消防设施 / 电梯 item weighs 1; a 沿街门店 or 垃圾厢房 finding (order more than
    safety) weighs 0.5."""
    begin, until = _span(start, end)
    rows = ItemResult.objects.filter(passed=False, check_record__subdistrict_id=subdistrict_id,
                                     check_record__at__gte=begin, check_record__at__lt=until) \
        .values_list("check_record_id", "check_record__at", "check_record__community_id", "check_record__grid_id",
                     "point__code", "item__name", "point__kind__code").order_by("check_record__at", "pk")
    url = reverse("inspections:check", args=[0]).removesuffix("0/")
    return [SafetyEvent(at=at, community_id=community_id, grid_id=grid_id, label=f"{code} {item}",
                        url=f"{url}{check_id}/", weight=0.5 if kind in ("shopfront", "garbage_room") else 1.0)
            for check_id, at, community_id, grid_id, code, item, kind in rows]


safety_factors.add(SafetyFactor(
    code="inspections.failed_items", name=_("巡检不合格项"), source=SOURCE, events=failed_items,
    definition=_("报告期内二维码巡检、门责任制和垃圾分类三查发现的不合格检查项（门店、垃圾厢房的问题计 0.5）"),
))


@planning_element("inspections.checks", name=_("二维码巡检次数"), unit="次", source=SOURCE,
                  definition=_("报告期内扫码完成的巡检次数（含门责任制检查和垃圾分类三查）"))
def checks(*, subdistrict_id: int, start: dt.date, end: dt.date) -> int:
    begin, until = _span(start, end)
    return Check.objects.filter(subdistrict_id=subdistrict_id, at__gte=begin, at__lt=until).count()


@planning_element("inspections.failed_items", name=_("巡检发现问题"), unit="项", source=SOURCE,
                  definition=_("报告期内扫码巡检中不合格的检查项数"))
def failed_item_count(*, subdistrict_id: int, start: dt.date, end: dt.date) -> int:
    begin, until = _span(start, end)
    return ItemResult.objects.filter(passed=False, check_record__subdistrict_id=subdistrict_id,
                                     check_record__at__gte=begin, check_record__at__lt=until).count()


@planning_element("inspections.garbage_rooms", name=_("垃圾厢房"), unit="处", source=_("垃圾分类"),
                  definition=_("报告期末登记在用的垃圾厢房数；“垃圾厢房监控接入“一网统管”比例”的分母"))
def garbage_rooms(*, subdistrict_id: int, start: dt.date, end: dt.date) -> int:
    _begin, until = _span(start, end)
    return GarbageRoom.objects.filter(subdistrict_id=subdistrict_id, active=True,
                                      point__created_at__lt=until).count()
