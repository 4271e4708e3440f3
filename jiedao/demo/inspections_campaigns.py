"""Demo rows for 垃圾分类 on the residents' side: a running 21 天打卡 campaign and 大件垃圾预约.

The campaign started 34 days ago in the first 居委's 小区: a few hundred households (scaled with the builder)
joined in its first days, and a 监督员 (the ``sorting_volunteer`` login) recorded their sorting every day
since, each household with its own habit (most sort well, some forget, a few rarely do), and on some days the
volunteer did not come round a building at all. The rewards are what the campaign's rules make of those
records (``campaigns.streaks.count_runs``), a few households have spent points, and ``household_rows`` gives
the same counts the pages show.

Collection slots for 大件垃圾 twice a week at every 小区 of that 居委, two weeks back and two ahead: the past
ones collected, with the odd no-show and cancellation; the coming ones partly booked, one of them full.

Written with bulk inserts; deterministic for a given subdistrict and day.
"""

import datetime as dt
import random

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from jiedao.core.models import Subdistrict, User
from jiedao.core.roles import Role, ScopeLevel
from jiedao.demo.people import DEMO_PASSWORD
from jiedao.geo.models import Community, Estate
from jiedao.inspections.campaigns.streaks import count_runs
from jiedao.inspections.models import (
    BookingStatus,
    BulkyBooking,
    BulkySlot,
    Campaign,
    Enrolment,
    LedgerKind,
    MissedRule,
    PointsEntry,
    SafetyMonth,
    SafetyWeight,
    SortingCorrection,
    SortingRecord,
)
from jiedao.registry.models import Household

HOUSEHOLDS = 300          # at scale 1
CAMPAIGN_DAYS = 34        # days since the campaign began (a month of records and then some)
HABITS = ((0.55, 0.97), (0.30, 0.85), (0.15, 0.55))  # (share of households, chance of a correct day)
VOLUNTEER_ABSENT = 0.03   # a building the volunteer did not reach that day
ITEMS = ("旧沙发 1 张", "床垫 1 个", "旧衣柜 1 个", "木板若干", "旧餐桌和 4 把椅子", "席梦思床垫", "旧书架 1 个",
         "废旧自行车 1 辆", "装修边角料 3 袋", "旧电视柜 1 个")
PORTAL_RESIDENTS = 24
PLACE = "垃圾厢房旁大件垃圾堆放点"


def build(*, builder, subdistrict: Subdistrict) -> list[tuple[str, str, str]]:
    """Write the campaign, its households' records and rewards, and the bulky-waste slots and bookings of
    ``subdistrict``'s first 居委. Returns the 监督员's login line."""
    rng = random.Random(f"campaigns-{subdistrict.code}")
    today = timezone.localdate()
    community = Community.objects.filter(subdistrict=subdistrict).order_by("code").first()
    if community is None:
        return []
    with transaction.atomic():
        volunteer = User(username="sorting_volunteer", first_name="垃圾分类监督员 钱阿姨", role=Role.INSPECTOR,
                         subdistrict=subdistrict, scope_level=ScopeLevel.COMMUNITY, community=community)
        # The builder's demo logins share DEMO_PASSWORD: reuse one's hash (hashing again costs about a second).
        known = User.objects.filter(subdistrict=subdistrict, username="resident").values_list("password", flat=True)
        if known:
            volunteer.password = known[0]
        else:
            volunteer.set_password(DEMO_PASSWORD)
        volunteer.save()
        head = User.objects.filter(subdistrict=subdistrict, role=Role.COMMUNITY_HEAD, community=community).first()
        _campaign(rng, subdistrict, community, volunteer, head, today, builder.scale)
        _bulky(rng, subdistrict, community, volunteer, head, today)
    return [(volunteer.username, str(volunteer.get_role_display()), f"{community.name} · 垃圾分类监督员")]


def _campaign(rng, subdistrict, community, volunteer, head, today, scale) -> None:
    starts_on = today - dt.timedelta(days=CAMPAIGN_DAYS)
    campaign = Campaign.objects.create(
        subdistrict=subdistrict, name=f"{today.year} 年垃圾分类 21 天打卡", starts_on=starts_on, streak_days=21,
        reward_points=100, missed_rule=MissedRule.NOT_CORRECT, created_by=head)
    households = list(Household.objects.filter(building__community=community)
                      .select_related("building").order_by("building__estate_id", "pk")
                      [:max(20, round(HOUSEHOLDS * scale))])
    enrolments = []
    for h in households:
        enrolments.append(Enrolment(
            campaign=campaign, household=h, subdistrict=subdistrict, estate_id=h.building.estate_id,
            community_id=community.pk, grid_id=h.building.grid_id, joined_by=volunteer,
            joined_on=starts_on + dt.timedelta(days=rng.choice((0, 0, 0, 1, 2, 3)))))
    Enrolment.objects.bulk_create(enrolments, batch_size=2000)
    records, by_enrolment = [], {}
    zone = timezone.get_current_timezone()
    adapt_day, adapt_time = connection.ops.adapt_datefield_value, connection.ops.adapt_datetimefield_value
    absent = {(b, d) for b in {h.building_id for h in households} for d in range(CAMPAIGN_DAYS + 1)
              if rng.random() < VOLUNTEER_ABSENT}
    for e in enrolments:
        roll, habit = rng.random(), HABITS[-1][1]
        for share, chance in HABITS:
            if roll < share:
                habit = chance
                break
            roll -= share
        days = {}
        for offset in range((e.joined_on - starts_on).days, CAMPAIGN_DAYS + 1):
            if (e.household.building_id, offset) in absent or (offset == CAMPAIGN_DAYS and rng.random() < 0.4):
                continue  # not reached that day (today: the round is not finished yet)
            day = starts_on + dt.timedelta(days=offset)
            days[day] = rng.random() < habit
            at = dt.datetime.combine(day, dt.time(7, rng.randint(0, 59)), tzinfo=zone)
            records.append((e.pk, adapt_day(day), days[day], volunteer.pk, adapt_time(at)))
        by_enrolment[e.pk] = days
    _insert(SortingRecord, ("enrolment", "day", "correct", "recorded_by", "recorded_at"), records)
    entries = []
    for e in enrolments:
        runs = count_runs(by_enrolment[e.pk], start=e.joined_on, until=today, streak_days=campaign.streak_days,
                          missed_rule=campaign.missed_rule)
        for end in runs.completed:
            entries.append(PointsEntry(
                subdistrict=subdistrict, household_id=e.household_id, campaign=campaign, kind=LedgerKind.REWARD,
                points=campaign.reward_points, run_end=end, note="连续 21 天分类正确", by=volunteer,
                at=timezone.make_aware(dt.datetime.combine(end, dt.time(8, 0)))))
    rewarded = list(entries)
    for p in rng.sample(rewarded, k=len(rewarded) // 4):
        entries.append(PointsEntry(
            subdistrict=subdistrict, household_id=p.household_id, kind=LedgerKind.REDEEM,
            points=-rng.choice((30, 50, 80)), note=rng.choice(("兑换垃圾袋", "兑换洗衣液", "兑换环保购物袋")), by=head,
            at=p.at + dt.timedelta(days=rng.randint(1, 5), hours=2)))
    PointsEntry.objects.bulk_create([p for p in entries if p.at <= timezone.now()], batch_size=2000)


def _bulky(rng, subdistrict, community, volunteer, head, today) -> None:
    unusable = make_password(None)
    residents = [User(username=f"bulky_resident_{community.code[-3:]}_{i:02d}", password=unusable,
                      first_name="居民", role=Role.RESIDENT, subdistrict=subdistrict) for i in range(PORTAL_RESIDENTS)]
    User.objects.bulk_create(residents)
    residents = list(User.objects.filter(username__startswith=f"bulky_resident_{community.code[-3:]}_"))
    demo_resident = User.objects.filter(subdistrict=subdistrict, username="resident").first()
    estates = list(Estate.objects.filter(community=community).order_by("code"))
    slots = []
    for offset in range(-14, 15):
        day = today + dt.timedelta(days=offset)
        if day.weekday() not in (1, 5):  # 周二、周六
            continue
        for estate in estates:
            start = timezone.make_aware(dt.datetime.combine(day, dt.time(18, 0)))
            slots.append(BulkySlot(subdistrict=subdistrict, estate=estate, community=community, place=PLACE,
                                   starts_at=start, ends_at=start + dt.timedelta(hours=2), capacity=6,
                                   created_by=head))
    BulkySlot.objects.bulk_create(slots)
    now = timezone.now()
    bookings = []
    future = [s for s in slots if s.starts_at > now]
    full = future[0] if future else None
    for slot in slots:
        taken = slot.capacity if slot is full else rng.randint(1, slot.capacity - 1)
        for i, who in enumerate(rng.sample(residents, k=taken)):
            booked_at = slot.starts_at - dt.timedelta(days=rng.randint(1, 6), hours=rng.randint(0, 10))
            status, closed_at, closed_by = BookingStatus.BOOKED, None, None
            if slot.starts_at <= now:
                roll = rng.random()
                status = (BookingStatus.COLLECTED if roll < 0.85 else BookingStatus.NO_SHOW if roll < 0.95
                          else BookingStatus.CANCELLED)
                closed_at = slot.starts_at + dt.timedelta(minutes=rng.randint(5, 110))
                closed_by = volunteer if status != BookingStatus.CANCELLED else who
                if status == BookingStatus.CANCELLED:
                    closed_at = booked_at + dt.timedelta(hours=5)
            bookings.append(BulkyBooking(
                slot=slot, subdistrict=subdistrict, community=community,
                resident=demo_resident if (demo_resident and i == 0 and slot is future[-1]) else who,
                client_id=f"demo-{slot.starts_at:%Y%m%d}-{slot.estate_id}-{i}",
                address=f"{rng.randint(1, 30)}号楼{rng.randint(1, 6)}0{rng.randint(1, 4)}室", items=rng.choice(ITEMS),
                phone=f"139{rng.randint(0, 99999999):08d}", status=status, booked_at=min(booked_at, now),
                closed_at=closed_at, closed_by=closed_by))
    BulkyBooking.objects.bulk_create(bookings, batch_size=2000)


def _insert(model, names: tuple[str, ...], rows: list[tuple]) -> None:
    """One prepared INSERT over ``rows`` of values already adapted for the database (as ``demo.visits`` does):
    bulk_create's work without a model instance per row."""
    qn = connection.ops.quote_name
    columns = ", ".join(qn(model._meta.get_field(n).column) for n in names)
    sql = f"INSERT INTO {qn(model._meta.db_table)} ({columns}) VALUES ({', '.join(['%s'] * len(names))})"
    with connection.cursor() as cursor:
        for i in range(0, len(rows), 5000):
            cursor.executemany(sql, rows[i:i + 5000])


def reset(*, subdistricts) -> None:
    """Delete these rows of the demo subdistricts (before their users, whom bookings refer to)."""
    BulkyBooking.objects.filter(subdistrict__in=subdistricts).delete()
    BulkySlot.objects.filter(subdistrict__in=subdistricts).delete()
    # The ledger refuses deletes through the ORM (append-only); a demo reset removes it wholesale.
    entries = PointsEntry.objects.filter(subdistrict__in=subdistricts)
    entries._raw_delete(entries.db)
    SortingCorrection.objects.filter(subdistrict__in=subdistricts).delete()  # 更正 made on the demo's records
    SortingRecord.objects.filter(enrolment__subdistrict__in=subdistricts).delete()
    Enrolment.objects.filter(subdistrict__in=subdistricts).delete()
    Campaign.objects.filter(subdistrict__in=subdistricts).delete()
    SafetyWeight.objects.filter(subdistrict__in=subdistricts).delete()
    SafetyMonth.objects.filter(subdistrict__in=subdistricts).delete()  # the 平安指数's stored months, recounted
