"""Reads of the 21 天 campaign and 大件垃圾预约, each starting from the reader's scope."""

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from jiedao.core.access import ensure_perm, get_in_scope
from jiedao.core.roles import Perm, has_perm
from jiedao.core.scope import scope_of
from jiedao.inspections.campaigns.streaks import count_runs
from jiedao.inspections.models import (
    HOLDING,
    BulkyBooking,
    BulkySlot,
    Campaign,
    Enrolment,
    LedgerKind,
    PointsEntry,
    SortingCorrection,
    SortingRecord,
)
from jiedao.registry.models import Household

# The entries that make up what a household earned in a campaign: rewards, and their reversals and
# payments again after corrected records (redemptions are spending, not earning).
EARNING = (LedgerKind.REWARD, LedgerKind.ADJUST)


def _can_read(user) -> None:
    """Staff who view inspections, and the 监督员 and crew who do them (巡查督察员 have no VIEW)."""
    if not has_perm(user, Perm.DO_INSPECTIONS):
        ensure_perm(user, Perm.VIEW_INSPECTIONS)


def campaign_list(*, user) -> QuerySet[Campaign]:
    """The subdistrict's campaigns, newest first (staff who view or do inspections)."""
    _can_read(user)
    return Campaign.objects.within(scope_of(user))


def get_campaign(*, user, campaign_id: int) -> Campaign:
    _can_read(user)
    return get_in_scope(Campaign.objects.all(), user=user, pk=campaign_id)


def household_rows(*, user, campaign: Campaign, estate_id: int | None = None, on: dt.date | None = None,
                   building_id: int | None = None) -> list[dict]:
    """The campaign's households the reader may see, each with its current count towards the next reward,
    the rewards earned, its points in the campaign (rewards less reversals) and its record of ``on``
    (default today)."""
    _can_read(user)
    on = on or timezone.localdate()
    qs = Enrolment.objects.within(scope_of(user)).filter(campaign=campaign)
    if estate_id:
        qs = qs.filter(estate_id=estate_id)
    if building_id:
        qs = qs.filter(household__building_id=building_id)
    enrolments = list(qs.select_related("household__building__road", "estate")
                      .order_by("estate__name", "household__building__road__name", "household__building__lane",
                                "household__building__number", "household__room"))
    records: dict[int, dict[dt.date, bool]] = defaultdict(dict)
    for pk, day, correct in SortingRecord.objects.filter(enrolment__in=[e.pk for e in enrolments], day__lte=on) \
            .values_list("enrolment_id", "day", "correct"):
        records[pk][day] = correct
    points = dict(PointsEntry.objects.filter(campaign=campaign, kind__in=EARNING,
                                             household_id__in=[e.household_id for e in enrolments])
                  .values("household_id").annotate(s=Sum("points")).values_list("household_id", "s"))
    until = min(on, campaign.ends_on) if campaign.ends_on else on
    rows = []
    for e in enrolments:
        runs = count_runs(records[e.pk], start=e.joined_on, until=until, streak_days=campaign.streak_days,
                          missed_rule=campaign.missed_rule)
        rows.append({
            "enrolment": e, "household": e.household, "address": str(e.household), "estate": e.estate,
            "streak": runs.current, "rewards": len(runs.completed), "points": points.get(e.household_id, 0),
            "today": records[e.pk].get(on), "restarts": len(runs.restarts),
            "to_go": campaign.streak_days - runs.current,
        })
    return rows


def leaderboard(*, user, campaign: Campaign, estate_id: int | None = None, on: dt.date | None = None,
                limit: int = 50) -> dict[int, list[dict]]:
    """排行榜 per 小区: households by points earned in the campaign, then their current count; ``rank`` is
    shared by equal households. Keyed by estate id, each list at most ``limit`` long."""
    by_estate: dict[int, list[dict]] = defaultdict(list)
    for row in household_rows(user=user, campaign=campaign, estate_id=estate_id, on=on):
        by_estate[row["estate"].pk].append(row)
    for rows in by_estate.values():
        rows.sort(key=lambda r: (-r["points"], -r["streak"], r["address"]))
        rank, previous = 0, None
        for i, r in enumerate(rows, 1):
            if (r["points"], r["streak"]) != previous:
                rank, previous = i, (r["points"], r["streak"])
            r["rank"] = rank
        del rows[limit:]
    return dict(by_estate)


def household_ledger(*, user, household_id: int) -> tuple[object, list[PointsEntry], int]:
    """积分台账 of one household in the reader's scope: (household, entries oldest first, balance)."""
    _can_read(user)
    household = get_in_scope(Household.objects.select_related("building__road"), user=user, pk=household_id)
    entries = list(PointsEntry.objects.filter(household=household).select_related("campaign"))
    return household, entries, sum(e.points for e in entries)


def get_enrolment(*, user, enrolment_id: int) -> Enrolment:
    """One household's place in a campaign, in the reader's scope (404 otherwise)."""
    _can_read(user)
    return get_in_scope(Enrolment.objects.select_related("campaign", "household__building__road"), user=user,
                        pk=enrolment_id)


def enrolment_days(*, enrolment: Enrolment) -> list[SortingRecord]:
    """The household's daily records in the campaign, newest first (the enrolment comes from
    ``get_enrolment`` or ``household_campaigns``, so from the reader's scope)."""
    return list(SortingRecord.objects.filter(enrolment=enrolment).select_related("recorded_by").order_by("-day"))


def correction_list(*, user, campaign: Campaign, enrolment_id: int | None = None) -> list[SortingCorrection]:
    """The corrections (更正记录) of the campaign's households the reader sees, newest first."""
    _can_read(user)
    qs = SortingCorrection.objects.filter(
        enrolment__in=Enrolment.objects.within(scope_of(user)).filter(campaign=campaign))
    if enrolment_id:
        qs = qs.filter(enrolment_id=enrolment_id)
    return list(qs.select_related("enrolment", "recorded_by", "corrected_by"))


def household_campaigns(*, user, household, on: dt.date | None = None) -> list[dict]:
    """For the household page: each campaign the household is in (as the reader sees it), with its count,
    its records newest first (each with ``correction_id``, the day's last correction), their corrections, and
    whether records may still be corrected (更正期)."""
    _can_read(user)
    on = on or timezone.localdate()
    sections = []
    for e in Enrolment.objects.within(scope_of(user)).filter(household=household).select_related("campaign") \
            .order_by("-campaign__starts_on", "-campaign_id"):
        campaign = e.campaign
        records = enrolment_days(enrolment=e)
        until = min(on, campaign.ends_on) if campaign.ends_on else on
        runs = count_runs({r.day: r.correct for r in records}, start=e.joined_on, until=until,
                          streak_days=campaign.streak_days, missed_rule=campaign.missed_rule)
        deadline = campaign.correctable_until()
        corrections = correction_list(user=user, campaign=campaign, enrolment_id=e.pk)
        latest = {}
        for c in reversed(corrections):  # oldest first, so the newest of a day stays
            latest[c.day] = c.pk
        for r in records:
            r.correction_id = latest.get(r.day)  # the day's last correction, shown next to the record
        sections.append({
            "enrolment": e, "campaign": campaign, "records": [r for r in records if r.day <= on],
            "streak": runs.current, "rewards": len(runs.completed), "corrections": corrections,
            "correctable": deadline is None or on <= deadline, "correctable_until": deadline,
        })
    return sections


def campaign_figures(*, user, campaign: Campaign) -> dict:
    """Households, records of today, rewards and points paid, for the campaign's page (reader's scope)."""
    enrolments = Enrolment.objects.within(scope_of(user)).filter(campaign=campaign)
    today = timezone.localdate()
    paid = PointsEntry.objects.filter(campaign=campaign, kind__in=EARNING,
                                      household_id__in=enrolments.values("household_id")).aggregate(
        total=Sum("points"), rewards=Count("id", filter=Q(kind=LedgerKind.REWARD)),
        again=Count("id", filter=Q(kind=LedgerKind.ADJUST, points__gt=0)),
        reversed=Count("id", filter=Q(kind=LedgerKind.ADJUST, points__lt=0)))
    return {
        "households": enrolments.count(),
        "recorded_today": SortingRecord.objects.filter(enrolment__in=enrolments, day=today).count(),
        "rewards": paid["rewards"] + paid["again"] - paid["reversed"],  # runs paid and not taken back
        "points": paid["total"] or 0,
    }


def campaign_estates(*, user, campaign: Campaign) -> list[tuple[int, str, int]]:
    """The 小区 with households in the campaign that the reader sees: (id, name, households)."""
    return list(Enrolment.objects.within(scope_of(user)).filter(campaign=campaign)
                .values("estate_id", "estate__name").annotate(n=Count("id"))
                .order_by("estate__name").values_list("estate_id", "estate__name", "n"))


# ------------------------------------------------------------------------------------------ 大件垃圾预约

def _with_taken(qs: QuerySet[BulkySlot]) -> QuerySet[BulkySlot]:
    return qs.annotate(taken=Count("bookings", filter=Q(bookings__status__in=HOLDING)))


def open_slots(*, subdistrict_id: int, estate_id: int | None = None, now: dt.datetime | None = None,
               days: int = 14) -> list[BulkySlot]:
    """Slots residents may book: not begun, within ``days``; each with ``taken`` and ``free`` places."""
    now = now or timezone.now()
    qs = BulkySlot.objects.filter(subdistrict_id=subdistrict_id, starts_at__gt=now,
                                  starts_at__lt=now + dt.timedelta(days=days))
    return _listed(qs, estate_id=estate_id)


def _listed(qs, *, estate_id: int | None) -> list[BulkySlot]:
    """The slots of ``qs`` (of one 小区 if given) in time order, each with ``taken`` and ``free``."""
    if estate_id:
        qs = qs.filter(estate_id=estate_id)
    slots = list(_with_taken(qs.select_related("estate")).order_by("starts_at", "estate__name", "place"))
    for s in slots:
        s.free = max(0, s.capacity - s.taken)
    return slots


def resident_bookings(*, user) -> QuerySet[BulkyBooking]:
    """The resident's own bookings, newest slot first."""
    return BulkyBooking.objects.filter(resident=user).select_related("slot__estate").order_by("-slot__starts_at")


def slot_list(*, user, day: dt.date | None = None, estate_id: int | None = None) -> list[BulkySlot]:
    """Staff: the slots of a day (default today) in scope, with ``taken`` and ``free``."""
    _can_read(user)
    day = day or timezone.localdate()
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    qs = BulkySlot.objects.within(scope_of(user)).filter(starts_at__gte=start,
                                                         starts_at__lt=start + dt.timedelta(days=1))
    return _listed(qs, estate_id=estate_id)


def get_slot(*, user, slot_id: int) -> BulkySlot:
    _can_read(user)
    slot = get_in_scope(BulkySlot.objects.select_related("estate"), user=user, pk=slot_id)
    slot.taken = slot.bookings.filter(status__in=HOLDING).count()
    slot.free = max(0, slot.capacity - slot.taken)
    return slot


def slot_bookings(*, user, slot: BulkySlot) -> list[BulkyBooking]:
    return list(BulkyBooking.objects.within(scope_of(user)).filter(slot=slot).order_by("booked_at", "id"))


def get_booking(*, user, booking_id: int) -> BulkyBooking:
    _can_read(user)
    return get_in_scope(BulkyBooking.objects.select_related("slot__estate"), user=user, pk=booking_id)


def bulky_figures(*, user, start: dt.date, end: dt.date) -> dict:
    """Bookings by status over the days (the no-show rate's numerator and denominator)."""
    _can_read(user)
    begin = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    until = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))
    counts = dict(BulkyBooking.objects.within(scope_of(user))
                  .filter(slot__starts_at__gte=begin, slot__starts_at__lt=until)
                  .values("status").annotate(n=Count("id")).values_list("status", "n"))
    return counts
