"""垃圾分类 on the residents' side: the 21 天 reward campaign (21 天打卡奖励) and 大件垃圾预约.

The campaign's rules are data on ``Campaign`` (how many consecutive days, how many points, what counts as a
missed day); a 监督员 records each enrolled household's sorting once a day (``SortingRecord``, one per
household and day, so a form sent twice changes nothing); each completed run of days earns one append-only
``PointsEntry``, and a household's balance is the sum of its entries. The 居委 head corrects a day recorded
wrongly (``SortingCorrection``, with the old value and the reason); the rewards are then recomputed from the
records, a reward no longer earned reversed by an entry of its own.

大件垃圾 collection slots (``BulkySlot``) have a capacity per 小区 collection point and time; residents book
them (``BulkyBooking``), the crew confirms the collection or records a no-show, which frees the place.
"""

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiedao.core.crypto import EncryptedTextField
from jiedao.core.models import Subdistrict
from jiedao.core.roles import ScopeLevel
from jiedao.core.scope import ScopedQuerySet

__all__ = [
    "HOLDING", "BookingStatus", "BulkyBooking", "BulkySlot", "Campaign", "CorrectionKind", "Enrolment", "LedgerKind",
    "MissedRule", "PointsEntry", "SortingCorrection", "SortingRecord",
]

# Rows placed in a 居委 (and, where they have one, a grid) through their copied place columns.
_PLACE_SCOPE = {ScopeLevel.AREA: "community__area", ScopeLevel.COMMUNITY: "community", ScopeLevel.GRID: "grid"}


class MissedRule(models.TextChoices):
    """What breaks a run of days (漏打卡): the campaign's rule, chosen when it is set up."""

    NOT_CORRECT = "not_correct", _("未记录或分类不合格均算中断")
    INCORRECT_ONLY = "incorrect_only", _("仅分类不合格算中断（未记录的日子不计）")


class Campaign(models.Model):
    """21 天打卡奖励活动: households that join earn ``reward_points`` for every ``streak_days`` consecutive
    days of correct sorting; a missed day (by ``missed_rule``) restarts the count, and so does a reward
    (the next run starts the day after)."""

    subdistrict = models.ForeignKey(Subdistrict, verbose_name=_("街道"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("活动名称"), max_length=60)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)
    streak_days = models.PositiveSmallIntegerField(_("连续天数"), default=21)
    reward_points = models.PositiveIntegerField(_("奖励积分"), default=100)
    missed_rule = models.CharField(_("中断规则"), max_length=16, choices=MissedRule.choices,
                                   default=MissedRule.NOT_CORRECT)
    correction_days = models.PositiveSmallIntegerField(
        _("更正期（天）"), default=7, help_text=_("活动结束后还可更正打卡记录的天数；过后记录与积分不再改动"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedQuerySet.as_manager()
    scope_subdistrict = "subdistrict"
    scope_shared = True  # every worker of the subdistrict sees the campaign; its households are scoped

    class Meta:
        verbose_name = _("21 天打卡活动")
        verbose_name_plural = _("21 天打卡活动")
        ordering = ["-starts_on", "-id"]

    def __str__(self) -> str:
        return self.name

    def is_running(self, on) -> bool:
        return self.starts_on <= on and (self.ends_on is None or on <= self.ends_on)

    def correctable_until(self):
        """The last day on which records may be corrected (更正期), or None while the campaign has no end."""
        if self.ends_on is None:
            return None
        return self.ends_on + dt.timedelta(days=self.correction_days)


class Enrolment(models.Model):
    """参与户: a registry household in a campaign, with its place copied for scope and the 小区 leaderboard."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="enrolments")
    household = models.ForeignKey("registry.Household", verbose_name=_("户"), on_delete=models.PROTECT,
                                  related_name="+")
    subdistrict = models.ForeignKey(Subdistrict, on_delete=models.PROTECT, related_name="+", db_index=False)
    estate = models.ForeignKey("geo.Estate", verbose_name=_("小区"), on_delete=models.PROTECT, related_name="+")
    community = models.ForeignKey("geo.Community", verbose_name=_("居委会"), on_delete=models.PROTECT,
                                  related_name="+", db_index=False)
    grid = models.ForeignKey("geo.Grid", verbose_name=_("网格"), on_delete=models.PROTECT, related_name="+",
                             db_index=False)
    joined_on = models.DateField(_("参加日期"))
    joined_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")

    objects = ScopedQuerySet.as_manager()
    scope_subdistrict = "subdistrict"
    scope_paths = _PLACE_SCOPE

    class Meta:
        verbose_name = _("参与户")
        verbose_name_plural = _("参与户")
        constraints = [models.UniqueConstraint(fields=["campaign", "household"], name="campaign_enrolment_unique")]
        indexes = [models.Index(fields=["campaign", "estate"], name="campaign_enrolment_estate")]

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.household_id}"


class SortingRecord(models.Model):
    """分类记录: the 监督员's finding for one enrolled household on one day. One per household and day: the
    first record of a day stands (a form sent again changes nothing)."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="records")
    day = models.DateField(_("日期"))
    correct = models.BooleanField(_("分类正确"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", db_index=False)
    recorded_at = models.DateTimeField(_("记录时间"), default=timezone.now)

    class Meta:
        verbose_name = _("分类记录")
        verbose_name_plural = _("分类记录")
        constraints = [models.UniqueConstraint(fields=["enrolment", "day"], name="campaign_record_unique")]

    def __str__(self) -> str:
        return f"{self.enrolment_id} {self.day} {'✓' if self.correct else '✗'}"


class CorrectionKind(models.TextChoices):
    """What a correction (更正) does to a day's record."""

    CORRECT = "correct", _("改为正确")
    INCORRECT = "incorrect", _("改为不正确")
    REMOVE = "remove", _("删除误记")  # e.g. the wrong household was ticked


class SortingCorrection(models.Model):
    """打卡记录更正: one change to a household's record of one day, with the record as it was (its value, who
    recorded it and when), who corrected it and why. The record itself then holds the new value (or is gone);
    these rows are its history and are never changed."""

    subdistrict = models.ForeignKey(Subdistrict, on_delete=models.PROTECT, related_name="+", db_index=False)
    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="corrections")
    day = models.DateField(_("日期"))
    kind = models.CharField(_("更正为"), max_length=10, choices=CorrectionKind.choices)
    was_correct = models.BooleanField(_("原记录"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("原记录人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+", db_index=False)
    recorded_at = models.DateTimeField(_("原记录时间"))
    reason = models.CharField(_("更正原因"), max_length=200)
    corrected_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("更正人"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+", db_index=False)
    corrected_at = models.DateTimeField(_("更正时间"), default=timezone.now)

    class Meta:
        verbose_name = _("打卡记录更正")
        verbose_name_plural = _("打卡记录更正")
        ordering = ["-corrected_at", "-id"]
        indexes = [models.Index(fields=["enrolment", "day"], name="campaign_correction_day")]

    def __str__(self) -> str:  # no personal data
        return f"更正#{self.pk} {self.enrolment_id} {self.day}"


class LedgerKind(models.TextChoices):
    REWARD = "reward", _("打卡奖励")
    REDEEM = "redeem", _("积分兑换")
    ADJUST = "adjust", _("更正")  # a reward reversed, or paid again, after the records changed


class LedgerQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionDenied(_("积分台账只能追加，不能修改"))

    def delete(self):
        raise PermissionDenied(_("积分台账只能追加，不能删除"))


class PointsEntry(models.Model):
    """积分台账: append-only; a household's balance is the sum of its entries. A reward names the day its
    run of days ended (``run_end``), so the same run never earns twice.

    When corrected records no longer earn a paid run, an ``ADJUST`` entry of the same ``run_end`` takes the
    points back; when they earn it again, another ``ADJUST`` pays it again. ``revision`` numbers a run's
    adjustments (1: reversed, 2: paid again, ...) and is unique per run, so two concurrent recomputations
    cannot both reverse, nor both pay: a run's entries always sum to its reward or to nothing."""

    subdistrict = models.ForeignKey(Subdistrict, on_delete=models.PROTECT, related_name="+", db_index=False)
    household = models.ForeignKey("registry.Household", verbose_name=_("户"), on_delete=models.PROTECT,
                                  related_name="+")
    campaign = models.ForeignKey(Campaign, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                 db_index=False)
    kind = models.CharField(_("类型"), max_length=8, choices=LedgerKind.choices)
    points = models.IntegerField(_("积分"))
    run_end = models.DateField(_("连续打卡截止日"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=100, blank=True)
    at = models.DateTimeField(_("时间"), default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                           related_name="+", db_index=False)
    revision = models.PositiveSmallIntegerField(_("更正次序"), null=True, blank=True)
    correction = models.ForeignKey(SortingCorrection, verbose_name=_("更正"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="entries")

    objects = LedgerQuerySet.as_manager()

    class Meta:
        verbose_name = _("积分台账")
        verbose_name_plural = _("积分台账")
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "household", "run_end"],
                                    condition=models.Q(kind="reward"), name="campaign_reward_once"),
            models.UniqueConstraint(fields=["campaign", "household", "run_end", "revision"],
                                    condition=models.Q(kind="adjust"), name="campaign_adjust_once"),
        ]

    def __str__(self) -> str:
        return f"{self.household_id} {self.points:+d}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise PermissionDenied(_("积分台账只能追加，不能修改"))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied(_("积分台账只能追加，不能删除"))


class BulkySlot(models.Model):
    """大件垃圾预约时段: a collection point of a 小区 (e.g. "3号垃圾厢房旁") at a time, for ``capacity``
    households."""

    subdistrict = models.ForeignKey(Subdistrict, on_delete=models.PROTECT, related_name="+", db_index=False)
    estate = models.ForeignKey("geo.Estate", verbose_name=_("小区"), on_delete=models.PROTECT, related_name="+")
    community = models.ForeignKey("geo.Community", verbose_name=_("居委会"), on_delete=models.PROTECT,
                                  related_name="+", db_index=False)
    place = models.CharField(_("收运点"), max_length=60)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    capacity = models.PositiveSmallIntegerField(_("可预约户数"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", db_index=False)

    objects = ScopedQuerySet.as_manager()
    scope_subdistrict = "subdistrict"
    scope_paths = {ScopeLevel.AREA: "community__area", ScopeLevel.COMMUNITY: "community"}
    scope_shared = True  # the crew and grid workers of the subdistrict see the timetable

    class Meta:
        verbose_name = _("大件垃圾预约时段")
        verbose_name_plural = _("大件垃圾预约时段")
        ordering = ["starts_at", "estate_id", "place"]
        constraints = [
            models.UniqueConstraint(fields=["estate", "place", "starts_at"], name="bulky_slot_unique"),
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="bulky_slot_span"),
        ]
        indexes = [models.Index(fields=["subdistrict", "starts_at"], name="bulky_slot_when")]

    def __str__(self) -> str:
        return f"{self.place} {timezone.localtime(self.starts_at):%m-%d %H:%M}"


class BookingStatus(models.TextChoices):
    BOOKED = "booked", _("已预约")
    COLLECTED = "collected", _("已收运")
    NO_SHOW = "no_show", _("未出现")  # 爽约: recorded by the crew; the place is freed
    CANCELLED = "cancelled", _("已取消")


# Bookings that hold a place in their slot.
HOLDING = (BookingStatus.BOOKED, BookingStatus.COLLECTED)


class BulkyBooking(models.Model):
    """大件垃圾预约: one resident's booking of a place in a slot. ``client_id`` comes with the booking form,
    so a form sent twice books once."""

    slot = models.ForeignKey(BulkySlot, verbose_name=_("时段"), on_delete=models.PROTECT, related_name="bookings")
    subdistrict = models.ForeignKey(Subdistrict, on_delete=models.PROTECT, related_name="+", db_index=False)
    community = models.ForeignKey("geo.Community", on_delete=models.PROTECT, related_name="+", db_index=False)
    resident = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("预约人"), on_delete=models.PROTECT,
                                 related_name="+")
    client_id = models.CharField(max_length=36)
    address = models.CharField(_("楼号室号"), max_length=60)
    items = models.CharField(_("物品"), max_length=100)
    phone = EncryptedTextField(_("联系电话"))
    status = models.CharField(_("状态"), max_length=10, choices=BookingStatus.choices, default=BookingStatus.BOOKED)
    booked_at = models.DateTimeField(_("预约时间"), default=timezone.now)
    closed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", db_index=False)

    objects = ScopedQuerySet.as_manager()
    scope_subdistrict = "subdistrict"
    scope_paths = {ScopeLevel.AREA: "community__area", ScopeLevel.COMMUNITY: "community"}
    scope_shared = True  # grid-scoped crew members confirm collections anywhere in the subdistrict

    class Meta:
        verbose_name = _("大件垃圾预约")
        verbose_name_plural = _("大件垃圾预约")
        ordering = ["slot__starts_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["resident", "client_id"], name="bulky_booking_once"),
        ]
        indexes = [models.Index(fields=["slot", "status"], name="bulky_booking_slot")]

    def __str__(self) -> str:  # no personal data
        return f"大件垃圾预约#{self.pk}"
