"""Writes of the 21 天 campaign and of 大件垃圾预约. Each checks role and scope before its transaction."""

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from jiedao.core.access import ensure_in_scope, ensure_perm
from jiedao.core.audit import record, records_refusals
from jiedao.core.models import AuditAction
from jiedao.core.roles import Perm, Role
from jiedao.core.validators import validate_mobile
from jiedao.inspections.campaigns.rewards import lock_enrolments, settle
from jiedao.inspections.models import (
    HOLDING,
    BookingStatus,
    BulkyBooking,
    BulkySlot,
    Campaign,
    Enrolment,
    LedgerKind,
    MissedRule,
    PointsEntry,
    SortingRecord,
)

# ------------------------------------------------------------------------------------- the 21 天 campaign


@records_refusals
def create_campaign(*, by, name: str, starts_on: dt.date, streak_days: int = 21, reward_points: int = 100,
                    missed_rule: str = MissedRule.NOT_CORRECT, ends_on: dt.date | None = None,
                    correction_days: int = 7) -> Campaign:
    """发起 21 天打卡活动 in the actor's subdistrict, with its rules (``correction_days``: how long after
    the end records may still be corrected)."""
    ensure_perm(by, Perm.MANAGE_INSPECTIONS)
    if by.subdistrict_id is None:
        raise PermissionDenied(_("您的账号未关联街道"))
    errors = {}
    name = (name or "").strip()
    if not name or len(name) > 60:
        errors["name"] = _("请填写活动名称（最多 60 个字）")
    if not 1 <= reward_points <= 100_000:  # a reward of nothing would be "paid" and "taken back" at will
        errors["reward_points"] = _("奖励积分须在 1 到 100000 之间")
    if not 1 <= streak_days <= 366:
        errors["streak_days"] = _("连续天数须在 1 到 366 之间")
    if ends_on is not None and ends_on < starts_on:
        errors["ends_on"] = _("结束日期不能早于开始日期")
    if missed_rule not in MissedRule.values:
        errors["missed_rule"] = _("中断规则无效")
    if not 0 <= correction_days <= 366:
        errors["correction_days"] = _("更正期须在 0 到 366 天之间")
    if errors:
        raise ValidationError(errors)
    campaign = Campaign.objects.create(
        subdistrict_id=by.subdistrict_id, name=name, starts_on=starts_on, ends_on=ends_on,
        streak_days=streak_days, reward_points=reward_points, missed_rule=missed_rule,
        correction_days=correction_days, created_by=by)
    record(actor=by, action=AuditAction.CREATE, obj=campaign)
    return campaign


@records_refusals
def enrol_household(*, by, campaign: Campaign, household, on: dt.date | None = None) -> tuple[Enrolment, bool]:
    """登记参与户: the household joins the campaign (again: nothing changes). Returns (enrolment, created)."""
    ensure_perm(by, Perm.DO_INSPECTIONS)
    ensure_in_scope(campaign, user=by)
    ensure_in_scope(household, user=by)
    if household.subdistrict_id != campaign.subdistrict_id:
        raise ValidationError({"household": _("该户不在活动所在街道")})
    on = on or timezone.localdate()
    if campaign.ends_on is not None and on > campaign.ends_on:
        raise ValidationError({"household": _("活动已结束，不能再登记参与户")})
    building = household.building
    with transaction.atomic():
        enrolment, created = Enrolment.objects.get_or_create(
            campaign=campaign, household=household,
            defaults={"subdistrict_id": campaign.subdistrict_id, "estate_id": building.estate_id,
                      "community_id": building.community_id, "grid_id": building.grid_id,
                      "joined_on": max(on, campaign.starts_on), "joined_by": by})
    if created:
        record(actor=by, action=AuditAction.CREATE, obj=enrolment)
    return enrolment, created


@dataclass
class DayResult:
    """What a day's form did: records written, records already there (unchanged), rewards earned, and
    rewards taken back (a day recorded late can break a run that was paid)."""

    created: int = 0
    unchanged: int = 0
    rewards: list[PointsEntry] = field(default_factory=list)
    reversals: list[PointsEntry] = field(default_factory=list)


@records_refusals
def record_day(*, by, campaign: Campaign, day: dt.date, findings: dict[int, bool]) -> DayResult:
    """监督员 records one day's sorting for enrolled households (enrolment id → sorted correctly).

    A household already recorded that day keeps its record (the form sent twice changes nothing). The
    households' rewards are then settled against their records (``rewards.settle``): every run of
    ``streak_days`` correct days earns one reward; a day recorded late (补录) that breaks a paid run takes
    that reward back."""
    ensure_perm(by, Perm.DO_INSPECTIONS)
    ensure_in_scope(campaign, user=by)
    today = timezone.localdate()
    if day > today:
        raise ValidationError({"day": _("不能记录今天之后的日期")})
    if not campaign.is_running(day):
        raise ValidationError({"day": _("该日期不在活动期间（%(start)s 起）") % {"start": campaign.starts_on}})
    deadline = campaign.correctable_until()
    if deadline is not None and today > deadline:
        # After the 更正期 records and points no longer change: a day recorded late (补录) would settle
        # rewards again, which the 居委 head's own correction is refused by then.
        raise ValidationError({"day": _("活动已于 %(end)s 结束，更正期 %(n)s 天已过，记录不能再补录") % {
            "end": campaign.ends_on, "n": campaign.correction_days}})
    enrolments = {e.pk: e for e in Enrolment.objects.filter(campaign=campaign, pk__in=list(findings))}
    if len(enrolments) != len(findings):
        raise ValidationError({"findings": _("有住户不在本活动中")})
    for e in enrolments.values():
        ensure_in_scope(e, user=by)
        if day < e.joined_on:
            raise ValidationError({"day": _("该日期早于住户参加活动的日期（%(d)s）") % {"d": e.joined_on}})
    result = DayResult()
    with transaction.atomic():
        lock_enrolments(findings)
        existing = set(SortingRecord.objects.filter(enrolment_id__in=list(findings), day=day)
                       .values_list("enrolment_id", flat=True))
        new = [SortingRecord(enrolment_id=pk, day=day, correct=bool(ok), recorded_by=by)
               for pk, ok in findings.items() if pk not in existing]
        SortingRecord.objects.bulk_create(new, ignore_conflicts=True)
        result.created, result.unchanged = len(new), len(existing)
        settled = settle(campaign=campaign, enrolments=[enrolments[r.enrolment_id] for r in new], by=by,
                         today=today)
        result.rewards, result.reversals = settled.granted, settled.reversed
    return result


def balance(*, household_id: int) -> int:
    """积分余额: the sum of the household's ledger entries."""
    return PointsEntry.objects.filter(household_id=household_id).aggregate(s=Sum("points"))["s"] or 0


@records_refusals
def redeem_points(*, by, household, points: int, note: str) -> PointsEntry:
    """积分兑换: take ``points`` off the household's balance (never below zero)."""
    ensure_perm(by, Perm.MANAGE_INSPECTIONS)
    ensure_in_scope(household, user=by)
    if points <= 0:
        raise ValidationError({"points": _("兑换积分须为正数")})
    with transaction.atomic():
        # Serialise redemptions of one household: the balance is read and spent in one transaction.
        type(household).objects.select_for_update().filter(pk=household.pk).first()
        available = balance(household_id=household.pk)
        if points > available:
            raise ValidationError(
                {"points": _("积分不足：余额 %(b)s 分，兑换 %(p)s 分") % {"b": available, "p": points}})
        entry = PointsEntry.objects.create(subdistrict_id=household.subdistrict_id, household=household,
                                           kind=LedgerKind.REDEEM, points=-points, note=note[:100], by=by)
    record(actor=by, action=AuditAction.CREATE, obj=entry, detail={"points": -points})
    return entry


# ------------------------------------------------------------------------------------------ 大件垃圾预约


@records_refusals
def create_slot(*, by, estate, place: str, starts_at: dt.datetime, ends_at: dt.datetime,
                capacity: int) -> BulkySlot:
    """开放大件垃圾预约时段 at a 小区's collection point."""
    ensure_perm(by, Perm.MANAGE_INSPECTIONS)
    ensure_in_scope(estate, user=by)
    errors = {}
    if ends_at <= starts_at:
        errors["ends_at"] = _("结束时间须晚于开始时间")
    if not 1 <= capacity <= 500:
        errors["capacity"] = _("可预约户数须在 1 到 500 之间")
    if BulkySlot.objects.filter(estate=estate, place=place, starts_at=starts_at).exists():
        errors["starts_at"] = _("该收运点此时段已开放")
    if errors:
        raise ValidationError(errors)
    slot = BulkySlot.objects.create(subdistrict_id=estate.subdistrict_id, estate=estate,
                                    community_id=estate.community_id, place=place, starts_at=starts_at,
                                    ends_at=ends_at, capacity=capacity, created_by=by)
    record(actor=by, action=AuditAction.CREATE, obj=slot)
    return slot


def ensure_resident(user) -> None:
    """Refuse anyone but a signed-in resident of a subdistrict (the portal's side of 大件垃圾预约)."""
    if not user.is_authenticated or user.role != Role.RESIDENT or user.subdistrict_id is None:
        raise PermissionDenied(_("大件垃圾预约供本街道居民使用"))


@records_refusals
def book_slot(*, by, slot: BulkySlot, client_id: str, address: str, items: str, phone: str) -> BulkyBooking:
    """居民预约大件垃圾收运. The same form (``client_id``) sent again returns the first booking; a full slot,
    a slot already begun and a second booking of one slot are refused."""
    ensure_resident(by)
    if slot.subdistrict_id != by.subdistrict_id:
        raise PermissionDenied(_("该时段不在您所在的街道"))
    try:
        phone = validate_mobile(phone)
    except ValidationError as exc:
        raise ValidationError({"phone": exc.messages}) from exc
    with transaction.atomic():
        # Lock the slot: bookings of one slot are counted and added one at a time (PostgreSQL; SQLite
        # serialises writers anyway).
        BulkySlot.objects.select_for_update().filter(pk=slot.pk).first()
        again = BulkyBooking.objects.filter(resident=by, client_id=client_id).first()
        if again is not None:
            return again
        if slot.starts_at <= timezone.now():
            raise ValidationError({"slot": _("该时段已开始或已结束，请选择其他时段")})
        held = BulkyBooking.objects.filter(slot=slot, status__in=HOLDING)
        if held.filter(resident=by).exists():
            raise ValidationError({"slot": _("您已预约该时段，无需重复预约")})
        taken = held.count()
        if taken >= slot.capacity:
            raise ValidationError({"slot": ValidationError(
                _("该时段已约满（%(n)s 户），请选择其他时段") % {"n": slot.capacity}, code="full")})
        booking = BulkyBooking.objects.create(
            slot=slot, subdistrict_id=slot.subdistrict_id, community_id=slot.community_id, resident=by,
            client_id=client_id[:36], address=address, items=items, phone=phone)
    record(actor=by, action=AuditAction.CREATE, obj=booking)
    return booking


@records_refusals
def cancel_booking(*, by, booking: BulkyBooking) -> BulkyBooking:
    """居民取消预约 before the slot begins; the place is freed."""
    ensure_resident(by)
    if booking.resident_id != by.pk:
        raise PermissionDenied(_("只能取消自己的预约"))
    if booking.status == BookingStatus.CANCELLED:
        return booking
    if booking.status != BookingStatus.BOOKED or booking.slot.starts_at <= timezone.now():
        raise ValidationError({"status": _("时段已开始或预约已处理，不能取消")})
    return _close(booking, BookingStatus.CANCELLED, by=by)


@records_refusals
def confirm_collection(*, by, booking: BulkyBooking) -> BulkyBooking:
    """收运人员确认已收运 (again: nothing changes)."""
    return _crew_close(booking, BookingStatus.COLLECTED, by=by)


@records_refusals
def record_no_show(*, by, booking: BulkyBooking) -> BulkyBooking:
    """收运人员登记未出现 (爽约): recorded against the booking, and its place in the slot is freed."""
    return _crew_close(booking, BookingStatus.NO_SHOW, by=by)


def _crew_close(booking: BulkyBooking, status: str, *, by) -> BulkyBooking:
    ensure_perm(by, Perm.DO_INSPECTIONS)
    ensure_in_scope(booking, user=by)
    if booking.status == status:
        return booking
    if booking.status != BookingStatus.BOOKED:
        raise ValidationError({"status": _("该预约已是“%(s)s”，不能再更改") % {"s": booking.get_status_display()}})
    if status == BookingStatus.NO_SHOW and timezone.now() < booking.slot.starts_at:
        raise ValidationError({"status": _("时段尚未开始，不能登记未出现")})
    return _close(booking, status, by=by)


def _close(booking: BulkyBooking, status: str, *, by) -> BulkyBooking:
    with transaction.atomic():
        changed = BulkyBooking.objects.filter(pk=booking.pk, status=BookingStatus.BOOKED).update(
            status=status, closed_at=timezone.now(), closed_by=by)
    booking.refresh_from_db()
    if changed:
        record(actor=by, action=AuditAction.UPDATE, obj=booking, field="status", detail={"status": status})
    elif booking.status != status:
        raise ValidationError({"status": _("该预约已是“%(s)s”，不能再更改") % {"s": booking.get_status_display()}})
    return booking
