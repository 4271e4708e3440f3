"""垃圾分类: garbage rooms (垃圾厢房) with their 定时定点 hours and bins of the four Shanghai categories, the
房长 / 桶长 / 监督员 roster per room, and the 五星 rules of 小区 and 居委.

A room is an inspection point of kind 垃圾厢房; its 三查 inspections (居民区自查, 机关干部抽查, 第三方督察) are
that point's checks on rounds of the matching tier, and the findings (混投, 满溢, 破袋, 未定时定点 …) are the
kind's checklist items.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from jiedao.core.crypto import EncryptedTextField
from jiedao.core.models import Subdistrict, User
from jiedao.core.scope import ScopedQuerySet
from jiedao.inspections.models.points import PLACE_SCOPE, Point
from jiedao.inspections.models.shops import StarRule

__all__ = ["DutyRole", "GarbageCategory", "GarbageRoom", "GarbageStarRule", "RoomDuty"]


class GarbageCategory(models.TextChoices):
    """上海生活垃圾四分类."""

    RECYCLABLE = "recyclable", _("可回收物")
    HAZARDOUS = "hazardous", _("有害垃圾")
    WET = "wet", _("湿垃圾")
    DRY = "dry", _("干垃圾")


class GarbageRoom(models.Model):
    """垃圾厢房: its 小区, its 定时定点 opening hours (``hours``: ["07:00-09:00", "18:00-20:00"]) and its bins
    per category (``bins``: {"wet": 2, "dry": 2, …})."""

    subdistrict = models.ForeignKey(Subdistrict, verbose_name=_("街道"), on_delete=models.PROTECT, related_name="+")
    point = models.OneToOneField(Point, verbose_name=_("巡检点"), on_delete=models.PROTECT, related_name="room")
    estate = models.ForeignKey("geo.Estate", verbose_name=_("小区"), on_delete=models.PROTECT, related_name="+")
    community = models.ForeignKey("geo.Community", verbose_name=_("居委会"), on_delete=models.PROTECT,
                                  related_name="+")
    grid = models.ForeignKey("geo.Grid", verbose_name=_("网格"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    name = models.CharField(_("名称"), max_length=60)
    hours = models.JSONField(_("定时定点投放时间"), default=list, blank=True)
    bins = models.JSONField(_("分类桶数"), default=dict, blank=True)
    active = models.BooleanField(_("启用"), default=True)

    objects = ScopedQuerySet.as_manager()
    scope_subdistrict = "subdistrict"
    scope_paths = PLACE_SCOPE

    class Meta:
        verbose_name = _("垃圾厢房")
        verbose_name_plural = _("垃圾厢房")
        ordering = ["estate__code", "name", "pk"]

    def __str__(self) -> str:
        return self.name


class DutyRole(models.TextChoices):
    ROOM_HEAD = "room_head", _("房长")
    BIN_HEAD = "bin_head", _("桶长")
    MONITOR = "monitor", _("监督员")


class RoomDuty(models.Model):
    """值守名册: a volunteer's duty at a room (房长制 / 桶长制 / 监督员制). ``user`` is their account when they
    scan labels (Role 巡查督察员); their name and phone are personal data, encrypted."""

    room = models.ForeignKey(GarbageRoom, verbose_name=_("垃圾厢房"), on_delete=models.CASCADE, related_name="duties")
    role = models.CharField(_("职责"), max_length=10, choices=DutyRole.choices)
    user = models.ForeignKey(User, verbose_name=_("账号"), null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    name = EncryptedTextField(_("姓名"))
    phone = EncryptedTextField(_("电话"), blank=True)
    shift = models.CharField(_("值守时段"), max_length=30, blank=True)  # e.g. "07:00-09:00"

    class Meta:
        verbose_name = _("值守名册")
        verbose_name_plural = _("值守名册")
        ordering = ["room", "role", "pk"]

    def __str__(self) -> str:
        return f"值守#{self.pk}"


class GarbageStarRule(StarRule):
    """垃圾分类五星 rule for 小区 (e.g. 混投: one star per two findings; 垃圾分类不规范 cases: one star per
    three). ``tiers`` limits a finding rule to checks of those 三查 tiers (empty: all)."""

    tiers = models.JSONField(_("计入的检查类别"), default=list, blank=True)

    class Meta(StarRule.Meta):
        verbose_name = _("垃圾分类五星规则")
        verbose_name_plural = _("垃圾分类五星规则")
        constraints = [models.UniqueConstraint(fields=["subdistrict", "code"], name="garbage_star_rule_unique")]
