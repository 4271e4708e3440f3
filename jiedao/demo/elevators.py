"""Demo rows for 加装电梯 (docs/elevators.md, "Demo"), in Caoyang:

* 踏勘 records for about one in six walk-ups of 4–7 floors (the first 居委's all), so the ranked list mixes
  complete and missing inputs; a few found to have an elevator already;
* in the first 居委 (the ``community_head`` login's), projects at different stages, each through the
  services: one at 意愿征询 with an open blocker, one quoted at 方案设计, the one whose owners are voting now
  (the open art. 278 vote of consult's demo, ``source="demo:elevator"``, linked to the project), and one
  whose vote passed (online and booth ballots, through consult's services) that is now in 施工 after the
  lawyer's review;
* the nine elevators of the 13th five-year plan (2016–2020), completed before the platform, written as
  history records (their votes were on paper, under the pre-2021 rule) across the 居委.

Deterministic: its own seeded random stream; dates count back from today.
"""

import datetime as dt
import random
from decimal import Decimal

from django.db.models import Count
from django.utils import timezone

from jiedao.consult import services as consult_services
from jiedao.consult.models import Consultation, VotingCode
from jiedao.core.models import User
from jiedao.core.roles import Role
from jiedao.elevators import services
from jiedao.elevators.models import (
    Blocker,
    ContractReview,
    Entry,
    Pipes,
    Project,
    ProjectDocument,
    Quote,
    Stage,
    StageEvent,
    Sunlight,
    Survey,
)
from jiedao.geo.models import Building, Community

# Completed in the 13th five-year plan (2016–2020): nine in all, as the seed's review of it says.
HISTORY = {2016: 1, 2017: 2, 2018: 2, 2019: 2, 2020: 2}
HISTORY_NOTE = "历史项目（平台上线前）：按 2021 年前上海加梯规则（本幢 90% 以上业主同意且无明确反对）书面表决，纸质档案"


def _survey(rng: random.Random, building: Building, by: User, day: dt.date) -> Survey:
    entry = rng.choices((Entry.LEVEL, Entry.HALF), (55, 45))[0]
    return Survey(
        building=building, has_elevator=False, entry=entry,
        front_clearance_m=Decimal(rng.randrange(15, 60)) / 10,
        rear_clearance_m=Decimal(rng.randrange(10, 50)) / 10 if rng.random() < 0.7 else None,
        pipes=rng.choices((Pipes.CLEAR, Pipes.RELOCATE, Pipes.BLOCKING), (55, 38, 7))[0],
        fire_lane_clear=rng.random() < 0.9,
        sunlight=rng.choices((Sunlight.NONE, Sunlight.MINOR, Sunlight.MAJOR), (50, 40, 10))[0] if rng.random() < 0.8
        else "",
        surveyed_on=day - dt.timedelta(days=rng.randrange(10, 400)), surveyed_by=by)


def build(*, builder, subdistrict) -> list[tuple[str, str, str]]:
    """Build this app's demo rows for ``subdistrict``; returns the demo logins it adds (none: the 居委 head
    comes from the visits demo)."""
    rng = random.Random(f"elevators-{subdistrict.code}")
    community = Community.objects.filter(subdistrict=subdistrict).order_by("code").first()
    if community is None:
        return []
    head = User.objects.filter(role=Role.COMMUNITY_HEAD, community=community).order_by("pk").first()
    lawyer_firm = "普陀区加梯顾问团（上海某律师事务所）"
    if head is None:
        return []
    today = timezone.localdate()
    walkups = list(Building.objects.filter(subdistrict=subdistrict, floors__gte=4, floors__lte=7)
                   .select_related("road").order_by("code"))
    mine = [b for b in walkups if b.community_id == community.pk]

    # 踏勘: the first 居委's walk-ups, one in six elsewhere; a few already have an elevator.
    surveyed = mine + [b for b in walkups if b.community_id != community.pk and rng.random() < 1 / 6]
    surveys = [_survey(rng, b, head, today) for b in surveyed]
    for s in rng.sample(surveys[len(mine):], min(6, len(surveys) - len(mine))):
        s.has_elevator = True
    Survey.objects.bulk_create(surveys, batch_size=1000)
    ok = {s.building_id for s in surveys if not s.has_elevator and s.pipes != Pipes.BLOCKING}

    # The open vote of consult's demo becomes the project its building is voting on.
    voting = Consultation.objects.filter(subdistrict=subdistrict, source="demo:elevator").first()
    used: set[int] = set()
    if voting is not None and voting.building_id:
        building = voting.building
        Survey.objects.filter(building=building).update(pipes=Pipes.CLEAR, has_elevator=False)
        if not Survey.objects.filter(building=building).exists():
            services.save_survey(building=building, by=head, entry=Entry.LEVEL, pipes=Pipes.CLEAR)
        p = services.create_project(building=building, by=head, on=today - dt.timedelta(days=75), synthetic=True)
        services.advance_project(project=p, to=Stage.DESIGN, by=head, on=today - dt.timedelta(days=45))
        services.make_quote(project=p, by=head)
        services.link_vote(project=p, consultation=voting, by=head)
        used.add(building.pk)

    candidates = [b for b in mine if b.pk in ok and b.pk not in used and b.floors >= 5]

    # 意愿征询, held up by a ground-floor owner's objection.
    if candidates:
        p = services.create_project(building=candidates.pop(0), by=head, on=today - dt.timedelta(days=20),
                                    synthetic=True, note="楼组长牵头，居民自治小组已成立")
        services.raise_blocker(project=p, text="一楼住户担心采光和噪音，尚未同意", by=head,
                               on=today - dt.timedelta(days=12))
    # 方案设计, quoted.
    if candidates:
        p = services.create_project(building=candidates.pop(0), by=head, on=today - dt.timedelta(days=60),
                                    synthetic=True)
        services.advance_project(project=p, to=Stage.DESIGN, by=head, on=today - dt.timedelta(days=30))
        services.make_quote(project=p, by=head)
    # 施工: its vote passed (online and at the booth), the lawyer approved the contract. The building with the
    # fewest dwellings, as every ballot goes through consult's services.
    if candidates:
        sizes = dict(Building.objects.filter(pk__in=[b.pk for b in candidates]).annotate(n=Count("households"))
                     .values_list("pk", "n"))
        smallest = min(candidates, key=lambda b: (sizes[b.pk], b.code))
        _through_construction(smallest, head=head, firm=lawyer_firm, today=today)

    _history(rng, subdistrict, walkups, used | {p.building_id for p in Project.objects.filter(
        subdistrict=subdistrict)})
    return []


def _through_construction(building: Building, *, head: User, firm: str, today: dt.date) -> None:
    p = services.create_project(building=building, by=head, on=today - dt.timedelta(days=150), synthetic=True)
    services.advance_project(project=p, to=Stage.DESIGN, by=head, on=today - dt.timedelta(days=120))
    services.make_quote(project=p, by=head)
    now = timezone.now()
    c = services.start_vote(project=p, opens_at=now - dt.timedelta(days=21), closes_at=now + dt.timedelta(days=1),
                            by=head)
    entries = [{"household": d.household_id, "owner_name": f"业主{i + 1}", "owner_document":
                f"沪房地普字(2001)第{700000 + d.pk}号", "area": str(Decimal(5200 + (d.pk * 37) % 1800) / 100)}
               for i, d in enumerate(c.dwellings.order_by("label"))]
    consult_services.fill_electorate(consultation=c, by=head, entries=entries, reason="演示数据：产证清册")
    c = services.open_vote(project=p, by=head)  # the open consultation, for its dwellings to vote in
    worker = User.objects.filter(role=Role.SOCIAL_WORKER, community=building.community).order_by("pk").first()
    dwellings = list(c.dwellings.order_by("label"))
    # Just past both thresholds: ⌈3/4⌉ of the dwellings take part (≥ 2/3), one of them disagrees (< 1/4).
    voters = dwellings[:-(len(dwellings) // 4) or None]
    for n, d in enumerate(voters):
        choice = "disagree" if n == len(voters) - 1 and len(voters) >= 4 else "agree"
        if n % 3 == 0 and worker is not None:
            ballot = consult_services.enter_ballot(dwelling=d, choice=choice, channel="booth", by=head)
            consult_services.confirm_ballot(ballot=ballot, choice=choice, by=worker)
        else:
            code = VotingCode.objects.get(dwelling=d)
            consult_services.cast_online(token=consult_services.token_for(code), choice=choice)
    consult_services.close_consultation(c, by=head)
    for stage in (Stage.NOTICE, Stage.APPROVAL):
        services.advance_project(project=p, to=stage, by=head, on=today)
    services.record_review(project=p, lawyer="顾律师", firm=firm, outcome=ContractReview.Outcome.APPROVED, on=today,
                           note="合同已写明保修期、维保责任和费用分摊", by=head)
    services.advance_project(project=p, to=Stage.CONSTRUCTION, by=head, on=today, note="施工单位进场")


def _history(rng: random.Random, subdistrict, walkups: list[Building], used: set[int]) -> None:
    pool = [b for b in walkups if b.pk not in used and b.floors >= 6]
    picks = rng.sample(pool, min(len(pool), sum(HISTORY.values())))
    projects, done = [], []
    for year, n in HISTORY.items():
        for _ in range(n):
            if not picks:
                break
            done.append((picks.pop(), dt.date(year, rng.randrange(3, 12), rng.randrange(1, 28))))
    for building, completed in done:
        projects.append(Project(subdistrict=subdistrict, building=building, stage=Stage.OPERATION,
                                completed_on=completed, note=HISTORY_NOTE, synthetic=True))
    Project.objects.bulk_create(projects)
    events = []
    for p in Project.objects.filter(subdistrict=subdistrict, stage=Stage.OPERATION, consultation_id__isnull=True):
        back = [540, 420, 360, 330, 300, 240, 30, 0]  # days before completion each stage began
        events += [StageEvent(project=p, stage=s, on=p.completed_on - dt.timedelta(days=d), note=HISTORY_NOTE[:300])
                   for s, d in zip(Stage, back, strict=True)]
    StageEvent.objects.bulk_create(events)


def reset(*, subdistricts) -> None:
    """Delete this app's rows of the demo subdistricts (``jiedao demo --reset``)."""
    projects = Project.objects.filter(subdistrict__in=subdistricts)
    for model in (StageEvent, Quote, ProjectDocument, Blocker, ContractReview):
        model.objects.filter(project__in=projects).delete()
    projects.delete()
    Survey.objects.filter(building__subdistrict__in=subdistricts).delete()
