"""Demo rows for 征询与表决 (docs/consult.md, "Demo"): in the first 居委 of Caoyang,

* an open 加装电梯 vote (Civil Code art. 278, special) on a six-storey building, about three in five owners
  having voted online, at the booth or by proxy, one paper ballot waiting for its second entry and one flagged
  as mismatched (``source="demo:elevator"``, for the elevators demo to link);
* a closed, sealed 业委会 election over the 居委's first estate (art. 278, ordinary), with a buyer of three
  dwellings and the developer's unsold dwellings;
* a 红色议事厅 deliberation decided by the members present, with its meeting record;
* a two-round 旧改-style share consultation on the timetable of 打浦桥 (round 1 意愿 ≥ 90 % of households,
  round 2 签约 ≥ 85 %), both closed.

Owners and areas are filled through the services (encrypted, audited); the ballots of the closed
consultations are written in bulk (one counted ballot per owner), the open vote's through the services.
Deterministic: its own seeded random stream.
"""

import datetime as dt
import random
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from jiedao.consult import services
from jiedao.consult.models import Ballot, BallotState, Channel, Consultation, Dwelling, Status, VotingCode
from jiedao.consult.rules import DEVELOPER_KEY, Choice
from jiedao.core.models import Subdistrict, User
from jiedao.core.roles import Role, ScopeLevel
from jiedao.demo import people
from jiedao.geo.models import Building, Community, Estate

REASON = "演示数据：产证清册"


def _staff(sub: Subdistrict, community: Community) -> tuple[User, User, User]:
    """The 居委 head and two social workers of ``community`` (made here if the visits demo has not)."""
    head = User.objects.filter(role=Role.COMMUNITY_HEAD, community=community).order_by("pk").first()
    if head is None:
        head = User.objects.create(username=f"consult_head_{community.code[-3:]}", first_name="居委书记",
                                   password=make_password(None), role=Role.COMMUNITY_HEAD, subdistrict=sub,
                                   scope_level=ScopeLevel.COMMUNITY, community=community)
    workers = list(User.objects.filter(role=Role.SOCIAL_WORKER, community=community).order_by("pk")[:2])
    while len(workers) < 2:
        workers.append(User.objects.create(
            username=f"consult_sw_{community.code[-3:]}_{len(workers) + 1}", first_name="社工",
            password=make_password(None), role=Role.SOCIAL_WORKER, subdistrict=sub,
            scope_level=ScopeLevel.COMMUNITY, community=community))
    return head, workers[0], workers[1]


def _owners(rng: random.Random, c: Consultation, *, buyer: int = 0, unsold: int = 0) -> None:
    """Owners and areas for every unit: ``buyer`` units share one owner, ``unsold`` are the developer's."""
    labels = list(c.dwellings.order_by("label").values_list("label", flat=True))
    picks = rng.sample(range(len(labels)), min(len(labels), buyer + unsold))
    buyer_units, unsold_units = set(picks[:buyer]), set(picks[buyer:])
    shared = (people.name(rng), f"沪房地普字(2004)第{rng.randrange(10**5, 10**6)}号")
    entries = []
    for i, label in enumerate(labels):
        area = str(Decimal(rng.randrange(3800, 7600)) / 100)
        if i in unsold_units:
            entries.append({"label": label, "unsold": True, "area": area})
            continue
        owner, document = shared if i in buyer_units else (people.name(rng), f"沪房地普字({rng.randrange(1996, 2020)})"
                                                                               f"第{rng.randrange(10**5, 10**6)}号")
        entries.append({"label": label, "owner_name": owner, "owner_document": document, "area": area})
    services.fill_electorate(consultation=c, by=c.created_by, entries=entries, reason=REASON)


def _bulk_ballots(rng: random.Random, c: Consultation, shares: dict[str, float], *, turnout: float,
                  channels=(Channel.ONLINE, Channel.BOOTH, Channel.PAPER), entered_by=None, confirmed_by=None) -> int:
    """One counted ballot per owner for ``turnout`` of the owners, choices drawn with ``shares``."""
    owners: dict[str, Dwelling] = {}
    for d in c.dwellings.exclude(owner_key="").order_by("label"):
        owners.setdefault(d.owner_key, d)
    span = (min(c.closes_at, timezone.now()) - c.opens_at).total_seconds()
    rows = []
    for key, d in owners.items():
        if rng.random() >= turnout:
            continue
        choice = rng.choices(list(shares), weights=list(shares.values()))[0]
        channel = Channel.PROXY if key == DEVELOPER_KEY else rng.choice(channels)
        staff = channel != Channel.ONLINE
        rows.append(Ballot(consultation=c, subdistrict_id=c.subdistrict_id, community_id=d.community_id,
                           building_id=d.building_id, dwelling=d, owner_key=key, choice=choice, channel=channel,
                           state=BallotState.COUNTED,
                           cast_at=c.opens_at + dt.timedelta(seconds=rng.uniform(0.05, 0.95) * span),
                           entered_by=entered_by if staff else None, confirmed_by=confirmed_by if staff else None,
                           confirmed_choice=choice if staff else "",
                           proxy_name="开发商授权代表" if channel == Channel.PROXY else ""))
    Ballot.objects.bulk_create(rows, batch_size=500)
    return len(rows)


def _past(c: Consultation, *, head: User) -> Consultation:
    """Open a consultation whose window has passed (the service opens only future ones) and leave it for
    ``_close``."""
    c.status, c.opened_at = Status.OPEN, c.opens_at
    c.save(update_fields=["status", "opened_at"])
    VotingCode.objects.bulk_create([VotingCode(dwelling_id=pk, nonce=f"demo{c.pk}-{pk}", issued_at=c.opens_at)
                                    for pk in c.dwellings.values_list("pk", flat=True)], batch_size=500)
    return c


def _close(c: Consultation, *, head: User, record: str | None = None) -> Consultation:
    services.close_consultation(c, by=head, meeting_record=record)
    Consultation.objects.filter(pk=c.pk).update(closed_at=c.closes_at)
    return c


def build(*, builder, subdistrict) -> list[tuple[str, str, str]]:
    """Build this app's demo rows for ``subdistrict``; returns the demo logins it adds (none: the 居委 head and
    social worker personas come from the visits demo)."""
    rng = random.Random(f"consult-{subdistrict.code}")
    community = Community.objects.filter(subdistrict=subdistrict).order_by("code").first()
    if community is None:
        return []
    head, worker, worker2 = _staff(subdistrict, community)
    now = timezone.now().replace(microsecond=0)
    today = timezone.localdate(now)

    def on_day(days: int, hour: int) -> dt.datetime:
        """A round hour of the day ``days`` from today (local time): votes open at 9:00 and close at 17:00,
        as a 居委 sets them, not at the minute the demo was built."""
        return timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=days), dt.time(hour)))

    buildings = list(Building.objects.filter(community=community, floors__gte=5, floors__lte=7)
                     .select_related("road").order_by("code"))
    if len(buildings) < 5:
        return []

    # 加装电梯: open, 278 special, ten days to go.
    elevator = services.create_consultation(
        subdistrict=subdistrict, kind="elevator", title=f"{buildings[0].address}加装电梯表决", building=buildings[0],
        opens_at=on_day(-4, 9), closes_at=on_day(10, 17), created_by=head,
        notice_from=today - dt.timedelta(days=11), result_notice_until=today + dt.timedelta(days=17),
        source="demo:elevator")
    _owners(rng, elevator, buyer=2)
    services.open_consultation(elevator, by=head)
    _bulk_ballots(rng, elevator, {Choice.AGREE: 0.8, Choice.DISAGREE: 0.12, Choice.ABSTAIN: 0.08}, turnout=0.55,
                  channels=(Channel.ONLINE, Channel.ONLINE, Channel.BOOTH), entered_by=worker, confirmed_by=worker2)
    voted = set(elevator.ballots.values_list("owner_key", flat=True))
    waiting = [d for d in elevator.dwellings.exclude(owner_key="").order_by("label") if d.owner_key not in voted]
    if len(waiting) >= 2:
        services.enter_ballot(dwelling=waiting[0], choice=Choice.AGREE, channel=Channel.PAPER, by=worker,
                              cast_at=now - dt.timedelta(hours=3))
        flagged = services.enter_ballot(dwelling=waiting[1], choice=Choice.AGREE, channel=Channel.PAPER, by=worker,
                                        cast_at=now - dt.timedelta(hours=2))
        services.confirm_ballot(ballot=flagged, choice=Choice.DISAGREE, by=worker2)

    # 业委会换届: closed two months ago, sealed until closing, over the 居委's first estate.
    estate = Estate.objects.filter(community=community).order_by("code").first()
    election = services.create_consultation(
        subdistrict=subdistrict, kind="committee", title=f"{estate.name}第三届业主委员会选举", estate=estate,
        opens_at=on_day(-75, 9), closes_at=on_day(-61, 17), created_by=head,
        result_notice_until=(now - dt.timedelta(days=40)).date())
    _owners(rng, election, buyer=3, unsold=4)
    _past(election, head=head)
    _bulk_ballots(rng, election, {Choice.AGREE: 0.78, Choice.DISAGREE: 0.12, Choice.ABSTAIN: 0.1}, turnout=0.82,
                  entered_by=worker, confirmed_by=worker2)
    _close(election, head=head)

    # 红色议事厅: the members present decide by simple majority, with the meeting's record.
    members = [people.name(rng) for _ in range(9)]
    meeting = services.create_consultation(
        subdistrict=subdistrict, kind="deliberation", title="非机动车棚改造与充电桩设置方案", members=members,
        community=community, opens_at=on_day(-20, 14), closes_at=on_day(-20, 16),
        created_by=head)
    _past(meeting, head=head)
    at = meeting.opens_at + dt.timedelta(minutes=40)
    record = (f"{at:%Y年%m月%d日}红色议事厅：居委书记主持，到会成员 7 人（共 9 人），物业、业委会列席。"
              "议题：非机动车棚改造并设置充电桩。表决：同意 5 人，反对 1 人，弃权 1 人，通过。")
    rows = [Ballot(consultation=meeting, subdistrict_id=subdistrict.pk, community_id=community.pk, dwelling=d,
                   owner_key=d.owner_key, choice=choice, channel=Channel.MEETING, state=BallotState.COUNTED,
                   cast_at=at, entered_by=head)
            for d, choice in zip(meeting.dwellings.order_by("pk")[:7], [Choice.AGREE] * 5 + [Choice.DISAGREE,
                                                                                            Choice.ABSTAIN],
                                 strict=True)]
    Ballot.objects.bulk_create(rows)
    _close(meeting, head=head, record=record)

    # 旧改 two rounds (打浦桥's timetable): 意愿 ≥ 9/10 of households, then 签约 ≥ 85/100 in the signing period.
    renewal_households = [h for b in buildings[1:4] for h in b.households.order_by("room")]
    first = services.create_consultation(
        subdistrict=subdistrict, kind="renewal", title="旧住房成套改造第一轮意愿征询", rule="share", share_of="heads",
        share_at_least="9/10", households=renewal_households, opens_at=on_day(-150, 9),
        closes_at=on_day(-120, 17), created_by=head,
        result_notice_until=(now - dt.timedelta(days=110)).date())
    _owners(rng, first)
    _past(first, head=head)
    _bulk_ballots(rng, first, {Choice.AGREE: 0.97, Choice.DISAGREE: 0.03}, turnout=0.985, entered_by=worker,
                  confirmed_by=worker2)
    _close(first, head=head)
    second = services.create_consultation(
        subdistrict=subdistrict, kind="renewal", title="旧住房成套改造第二轮签约", rule="share", share_of="heads",
        share_at_least="85/100", households=renewal_households, opens_at=on_day(-100, 9),
        closes_at=on_day(-70, 17), created_by=head, round=2, previous=first,
        result_notice_until=(now - dt.timedelta(days=55)).date())
    # the same households and owners as round 1
    by_household = {d.household_id: d for d in first.dwellings.all()}
    entries = [{"household": d.household_id, "owner_name": by_household[d.household_id].owner_name,
                "owner_document": by_household[d.household_id].owner_document,
                "area": by_household[d.household_id].area} for d in second.dwellings.all()]
    services.fill_electorate(consultation=second, by=head, entries=entries, reason=REASON)
    _past(second, head=head)
    _bulk_ballots(rng, second, {Choice.AGREE: 0.95, Choice.DISAGREE: 0.05}, turnout=0.96, channels=(Channel.PAPER,),
                  entered_by=worker, confirmed_by=worker2)
    _close(second, head=head)
    return []


def reset(*, subdistricts) -> None:
    """Delete this app's rows of the demo subdistricts (``jiedao demo --reset``)."""
    Ballot.objects.filter(subdistrict__in=subdistricts).delete()
    VotingCode.objects.filter(dwelling__subdistrict__in=subdistricts).delete()
    Dwelling.objects.filter(subdistrict__in=subdistricts).delete()
    consultations = Consultation.objects.filter(subdistrict__in=subdistricts)
    consultations.update(previous=None)
    consultations.delete()
