"""21 天打卡 and 大件垃圾预约 endpoints under /api/v1/inspections/campaigns/. See
docs/inspections_campaigns.md."""

import datetime as dt

from django.http import Http404
from ninja import Router, Schema

from jiedao.core.access import get_in_scope
from jiedao.core.crypto import mask_phone
from jiedao.inspections.campaigns import corrections, selectors, services
from jiedao.inspections.models import BulkyBooking, BulkySlot
from jiedao.registry.models import Household

router = Router(tags=["inspections"])


# ------------------------------------------------------------------------------------------- campaigns

class CampaignIn(Schema):
    name: str
    starts_on: dt.date
    ends_on: dt.date | None = None
    streak_days: int = 21
    reward_points: int = 100
    missed_rule: str = "not_correct"
    correction_days: int = 7  # 更正期: days after the end when records may still be corrected


class CampaignOut(Schema):
    id: int
    name: str
    starts_on: dt.date
    ends_on: dt.date | None
    streak_days: int
    reward_points: int
    missed_rule: str
    correction_days: int


def _campaign(c) -> dict:
    return {"id": c.pk, "name": c.name, "starts_on": c.starts_on, "ends_on": c.ends_on,
            "streak_days": c.streak_days, "reward_points": c.reward_points, "missed_rule": c.missed_rule,
            "correction_days": c.correction_days}


@router.get("/campaigns", response=list[CampaignOut], summary="21 天打卡活动列表")
def campaign_list(request):
    return [_campaign(c) for c in selectors.campaign_list(user=request.user)]


@router.post("/campaigns", response={201: CampaignOut}, summary="发起 21 天打卡活动（连续天数、奖励积分、中断规则）")
def create_campaign(request, body: CampaignIn):
    return 201, _campaign(services.create_campaign(by=request.user, **body.dict()))


class EnrolIn(Schema):
    household_code: str  # 户编码


class EnrolmentOut(Schema):
    id: int
    household: int
    estate: int
    joined_on: dt.date
    created: bool


@router.post("/campaigns/{campaign_id}/enrolments", response={200: EnrolmentOut, 201: EnrolmentOut},
             summary="登记参与户（按户编码；已登记则不变）")
def enrol(request, campaign_id: int, body: EnrolIn):
    campaign = selectors.get_campaign(user=request.user, campaign_id=campaign_id)
    household = get_in_scope(Household.objects.select_related("building"), user=request.user,
                             code=body.household_code.strip())
    e, created = services.enrol_household(by=request.user, campaign=campaign, household=household)
    return (201 if created else 200), {"id": e.pk, "household": e.household_id, "estate": e.estate_id,
                                       "joined_on": e.joined_on, "created": created}


class Finding(Schema):
    enrolment: int
    correct: bool


class DayIn(Schema):
    day: dt.date
    findings: list[Finding]


class RewardOut(Schema):
    household: int
    points: int
    run_end: dt.date


class DayOut(Schema):
    created: int
    unchanged: int  # already recorded that day: kept as they were
    rewards: list[RewardOut]
    reversals: list[RewardOut]  # rewards taken back: a day recorded late broke a paid run (negative points)


def _rewards(entries) -> list[dict]:
    return [{"household": e.household_id, "points": e.points, "run_end": e.run_end} for e in entries]


@router.post("/campaigns/{campaign_id}/records", response=DayOut,
             summary="监督员记录某日分类情况（同一户同一天只记一次，重复提交不改变任何记录）")
def record_day(request, campaign_id: int, body: DayIn):
    campaign = selectors.get_campaign(user=request.user, campaign_id=campaign_id)
    result = services.record_day(by=request.user, campaign=campaign, day=body.day,
                                 findings={f.enrolment: f.correct for f in body.findings})
    return {"created": result.created, "unchanged": result.unchanged, "rewards": _rewards(result.rewards),
            "reversals": _rewards(result.reversals)}


class DayRecordOut(Schema):
    day: dt.date
    correct: bool
    recorded_by: str
    recorded_at: dt.datetime


@router.get("/campaigns/{campaign_id}/enrolments/{enrolment_id}/days", response=list[DayRecordOut],
            summary="一户在活动中的每日记录（新的在前）")
def enrolment_days(request, campaign_id: int, enrolment_id: int):
    enrolment = _enrolment(request, campaign_id, enrolment_id)
    return [{"day": r.day, "correct": r.correct, "recorded_at": r.recorded_at,
             "recorded_by": r.recorded_by.display_name if r.recorded_by_id else ""}
            for r in selectors.enrolment_days(enrolment=enrolment)]


def _enrolment(request, campaign_id: int, enrolment_id: int):
    enrolment = selectors.get_enrolment(user=request.user, enrolment_id=enrolment_id)
    if enrolment.campaign_id != campaign_id:
        raise Http404
    return enrolment


class CorrectionIn(Schema):
    enrolment: int
    day: dt.date
    kind: str  # correct 改为正确 | incorrect 改为不正确 | remove 删除误记
    reason: str


class CorrectionRow(Schema):
    id: int
    enrolment: int
    household: int
    day: dt.date
    kind: str
    was_correct: bool
    recorded_by: str
    recorded_at: dt.datetime
    reason: str
    corrected_by: str
    corrected_at: dt.datetime


class CorrectionOut(Schema):
    changed: bool  # false: the record already was as asked (e.g. the request sent twice)
    correction: CorrectionRow | None
    rewards: list[RewardOut]
    reversals: list[RewardOut]  # negative points
    balance: int


def _correction(c) -> dict:
    return {"id": c.pk, "enrolment": c.enrolment_id, "household": c.enrolment.household_id, "day": c.day,
            "kind": c.kind, "was_correct": c.was_correct, "recorded_at": c.recorded_at, "reason": c.reason,
            "recorded_by": c.recorded_by.display_name if c.recorded_by_id else "",
            "corrected_by": c.corrected_by.display_name if c.corrected_by_id else "", "corrected_at": c.corrected_at}


@router.post("/campaigns/{campaign_id}/corrections", response={200: CorrectionOut, 201: CorrectionOut},
             summary="更正某户某日的记录（须写明原因；按记录重算连续天数，撤销或补发奖励；留痕）")
def correct_day(request, campaign_id: int, body: CorrectionIn):
    enrolment = _enrolment(request, campaign_id, body.enrolment)
    result = corrections.correct_day(by=request.user, enrolment=enrolment, day=body.day, kind=body.kind,
                                     reason=body.reason)
    return (201 if result.changed else 200), {
        "changed": result.changed,
        "correction": _correction(result.correction) if result.changed else None,
        "rewards": _rewards(result.granted), "reversals": _rewards(result.reversed),
        "balance": services.balance(household_id=enrolment.household_id)}


@router.get("/campaigns/{campaign_id}/corrections", response=list[CorrectionRow],
            summary="更正记录（新的在前；?enrolment= 只看一户）")
def correction_list(request, campaign_id: int, enrolment: int | None = None):
    campaign = selectors.get_campaign(user=request.user, campaign_id=campaign_id)
    return [_correction(c) for c in selectors.correction_list(user=request.user, campaign=campaign,
                                                              enrolment_id=enrolment)]


class HouseholdRow(Schema):
    enrolment: int
    household: int
    address: str
    estate: int
    streak: int
    to_go: int
    rewards: int
    points: int
    restarts: int
    recorded: bool | None  # the day's record: true/false, or null when not recorded
    rank: int | None = None


def _row(r: dict) -> dict:
    return {"enrolment": r["enrolment"].pk, "household": r["household"].pk, "address": r["address"],
            "estate": r["estate"].pk, "streak": r["streak"], "to_go": r["to_go"], "rewards": r["rewards"],
            "points": r["points"], "restarts": r["restarts"], "recorded": r["today"], "rank": r.get("rank")}


@router.get("/campaigns/{campaign_id}/households", response=list[HouseholdRow],
            summary="参与户及其连续天数（?estate=小区&day=YYYY-MM-DD）")
def households(request, campaign_id: int, estate: int | None = None, day: dt.date | None = None):
    campaign = selectors.get_campaign(user=request.user, campaign_id=campaign_id)
    return [_row(r) for r in selectors.household_rows(user=request.user, campaign=campaign, estate_id=estate, on=day)]


@router.get("/campaigns/{campaign_id}/leaderboard", response=dict[str, list[HouseholdRow]],
            summary="各小区排行榜（小区 id → 名次列表；?estate= 只看一个小区）")
def leaderboard(request, campaign_id: int, estate: int | None = None):
    campaign = selectors.get_campaign(user=request.user, campaign_id=campaign_id)
    board = selectors.leaderboard(user=request.user, campaign=campaign, estate_id=estate)
    return {str(k): [_row(r) for r in rows] for k, rows in board.items()}


class EntryOut(Schema):
    at: dt.datetime
    kind: str
    points: int
    campaign: int | None
    run_end: dt.date | None
    note: str


class LedgerOut(Schema):
    household: int
    balance: int
    entries: list[EntryOut]


def _ledger(household, entries, balance) -> dict:
    return {"household": household.pk, "balance": balance, "entries": [
        {"at": e.at, "kind": e.kind, "points": e.points, "campaign": e.campaign_id, "run_end": e.run_end,
         "note": e.note} for e in entries]}


@router.get("/households/{household_id}/ledger", response=LedgerOut, summary="一户的积分台账与余额")
def ledger(request, household_id: int):
    return _ledger(*selectors.household_ledger(user=request.user, household_id=household_id))


class RedeemIn(Schema):
    points: int
    note: str


@router.post("/households/{household_id}/redeem", response=LedgerOut, summary="积分兑换（不能超过余额）")
def redeem(request, household_id: int, body: RedeemIn):
    household, _entries, _balance = selectors.household_ledger(user=request.user, household_id=household_id)
    services.redeem_points(by=request.user, household=household, points=body.points, note=body.note)
    return _ledger(*selectors.household_ledger(user=request.user, household_id=household_id))


# ------------------------------------------------------------------------------------------ 大件垃圾预约

class SlotIn(Schema):
    estate: int
    place: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    capacity: int


class SlotOut(Schema):
    id: int
    estate: int
    estate_name: str
    place: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    capacity: int
    taken: int
    free: int


def _slot(s: BulkySlot) -> dict:
    return {"id": s.pk, "estate": s.estate_id, "estate_name": s.estate.name, "place": s.place,
            "starts_at": s.starts_at, "ends_at": s.ends_at, "capacity": s.capacity,
            "taken": getattr(s, "taken", 0), "free": getattr(s, "free", s.capacity)}


@router.get("/bulky/slots", response=list[SlotOut], summary="大件垃圾收运时段（工作人员；?day=YYYY-MM-DD&estate=）")
def slot_list(request, day: dt.date | None = None, estate: int | None = None):
    return [_slot(s) for s in selectors.slot_list(user=request.user, day=day, estate_id=estate)]


@router.post("/bulky/slots", response={201: SlotOut}, summary="开放收运时段（管理）")
def create_slot(request, body: SlotIn):
    from jiedao.geo.models import Estate

    estate = get_in_scope(Estate.objects.all(), user=request.user, pk=body.estate)
    slot = services.create_slot(by=request.user, estate=estate, place=body.place, starts_at=body.starts_at,
                                ends_at=body.ends_at, capacity=body.capacity)
    return 201, _slot(selectors.get_slot(user=request.user, slot_id=slot.pk))


@router.get("/bulky/open-slots", response=list[SlotOut], summary="居民：近两周可预约的时段（?estate=）")
def open_slots(request, estate: int | None = None):
    services.ensure_resident(request.user)
    return [_slot(s) for s in selectors.open_slots(subdistrict_id=request.user.subdistrict_id, estate_id=estate)]


class BookingIn(Schema):
    slot: int
    client_id: str  # generated by the client once per form: the same form sent again books once
    address: str
    items: str
    phone: str


class BookingOut(Schema):
    id: int
    slot: int
    starts_at: dt.datetime
    place: str
    address: str
    items: str
    phone: str  # masked
    status: str


def _booking(b: BulkyBooking) -> dict:
    return {"id": b.pk, "slot": b.slot_id, "starts_at": b.slot.starts_at, "place": b.slot.place,
            "address": b.address, "items": b.items, "phone": mask_phone(b.phone), "status": b.status}


@router.post("/bulky/bookings", response={201: BookingOut}, summary="居民预约大件垃圾收运（约满则 422）")
def book(request, body: BookingIn):
    services.ensure_resident(request.user)
    slot = BulkySlot.objects.filter(pk=body.slot, subdistrict_id=request.user.subdistrict_id).first()
    if slot is None:
        raise Http404
    booking = services.book_slot(by=request.user, slot=slot, client_id=body.client_id, address=body.address,
                                 items=body.items, phone=body.phone)
    return 201, _booking(booking)


@router.get("/bulky/my-bookings", response=list[BookingOut], summary="居民：我的预约")
def my_bookings(request):
    services.ensure_resident(request.user)
    return [_booking(b) for b in selectors.resident_bookings(user=request.user)[:50]]


@router.post("/bulky/bookings/{booking_id}/cancel", response=BookingOut, summary="居民取消预约（时段开始前）")
def cancel(request, booking_id: int):
    services.ensure_resident(request.user)
    booking = selectors.resident_bookings(user=request.user).filter(pk=booking_id).first()
    if booking is None:
        raise Http404
    return _booking(services.cancel_booking(by=request.user, booking=booking))


@router.get("/bulky/slots/{slot_id}/bookings", response=list[BookingOut], summary="一个时段的预约（收运人员）")
def slot_bookings(request, slot_id: int):
    slot = selectors.get_slot(user=request.user, slot_id=slot_id)
    return [_booking(b) for b in selectors.slot_bookings(user=request.user, slot=slot)]


@router.post("/bulky/bookings/{booking_id}/collected", response=BookingOut, summary="收运人员确认已收运")
def collected(request, booking_id: int):
    booking = selectors.get_booking(user=request.user, booking_id=booking_id)
    return _booking(services.confirm_collection(by=request.user, booking=booking))


@router.post("/bulky/bookings/{booking_id}/no-show", response=BookingOut,
             summary="收运人员登记未出现（爽约），释放名额")
def no_show(request, booking_id: int):
    booking = selectors.get_booking(user=request.user, booking_id=booking_id)
    return _booking(services.record_no_show(by=request.user, booking=booking))
