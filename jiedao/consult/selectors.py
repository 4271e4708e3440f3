"""征询与表决's reads: consultations in the reader's scope, the outcome (the tally of the counted ballots),
the progress board per building, the electorate with owners masked, the letters' codes and 公示."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from jiedao.consult.codes import token_for
from jiedao.consult.models import Ballot, BallotState, Channel, Consultation, Dwelling, Status, VotingCode
from jiedao.consult.rules import (
    AGREE,
    Choice,
    Owner,
    Rule,
    RuleCode,
    Tally,
    Unit,
    fraction_text,
    owners_of,
    tally_owners,
)
from jiedao.consult.visitnext import visit_next as plan_visits
from jiedao.core.access import ensure_perm, get_in_scope
from jiedao.core.roles import Perm
from jiedao.core.scope import scope_of
from jiedao.geo.models import Building


def consultation_list(*, user, status: str | None = None) -> QuerySet[Consultation]:
    """征询 in the reader's scope, newest first."""
    ensure_perm(user, Perm.VIEW_CONSULT)
    qs = Consultation.objects.within(scope_of(user)).select_related("community", "building")
    return qs.filter(status=status) if status else qs


def get_consultation(*, user, pk: int) -> Consultation:
    """One consultation in the reader's scope (404 otherwise, audited)."""
    ensure_perm(user, Perm.VIEW_CONSULT)
    return get_in_scope(Consultation.objects.select_related("community", "building", "subdistrict"), user=user,
                        pk=pk)


def rule_of(c: Consultation) -> Rule:
    return Rule.of(c.rule, share_of=c.share_of, at_least=c.share_at_least or None)


def mask_name(name: str | None) -> str:
    """张** : the family name stays, the rest is masked (several owners: each)."""
    if not name:
        return ""
    parts = [p for p in name.replace("，", "、").replace(",", "、").split("、") if p]
    return "、".join(p[0] + "*" * max(len(p) - 1, 1) for p in parts)


def counted_ballots(c: Consultation) -> dict[str, str]:
    """Owner key → choice of each owner's counted ballot cast before closing (one per owner)."""
    return dict(Ballot.objects.filter(consultation=c, state=BallotState.COUNTED, cast_at__lt=c.closes_at)
                .values_list("owner_key", "choice"))


def electorate(c: Consultation) -> list[Unit]:
    """The consultation's units for the tally (those with an owner; an area not entered counts as 0)."""
    return [Unit(str(pk), key, area if area is not None else Decimal(0))
            for pk, key, area in c.dwellings.exclude(owner_key="").values_list("pk", "owner_key", "area")]


@dataclass
class Ratios:
    area: Fraction
    heads: Fraction
    area_m2: str = ""  # display only: the two areas of the area ratio in m², e.g. "302.54 / 984.87 m²"

    def as_json(self) -> dict:
        return {"area": fraction_text(self.area), "heads": fraction_text(self.heads)}

    @property
    def area_percent(self) -> float:  # display only
        return float(self.area * 100)

    @property
    def heads_percent(self) -> float:  # display only
        return float(self.heads * 100)


@dataclass
class VisitTarget:
    owner: str  # masked
    dwellings: list[str]
    household_ids: list[int]
    area: Decimal
    voted: str | None  # their current choice (disagree / abstain) or None


@dataclass
class Outcome:
    """The state of a vote, for pages, the API and other apps (``docs/consult.md``, "For other apps").
    While a sealed vote is open only participation is shown: ``passed``, ``agreement``, ``needed`` and
    ``visit_next`` are None / empty."""

    consultation_id: int
    rule: str
    status: str
    closed: bool
    sealed: bool
    passed: bool | None
    participation: Ratios
    agreement: Ratios | None
    needed: int | None
    visit_next: list[VisitTarget]
    exact: bool
    conditions: list[tuple[str, bool]]
    counts: dict = field(default_factory=dict)

    def as_json(self) -> dict:
        return {
            "consultation": self.consultation_id, "rule": self.rule, "status": self.status, "closed": self.closed,
            "sealed": self.sealed, "passed": self.passed, "participation": self.participation.as_json(),
            "agreement": self.agreement.as_json() if self.agreement else None, "needed": self.needed,
            "visit_next": [{"owner": t.owner, "dwellings": t.dwellings, "area": str(t.area), "voted": t.voted}
                           for t in self.visit_next],
            "exact": self.exact,
            "conditions": [{"what": what, "met": met} for what, met in (self.conditions if not self.sealed else [])],
            "counts": self.counts,
        }


def _counts(t: Tally, owners: list[Owner]) -> dict:
    return {"heads": t.total_heads, "voted_heads": t.voted_heads, "agree_heads": t.agree_heads,
            "disagree_heads": t.disagree_heads,
            "abstain_heads": sum(1 for o in owners if o.choice == Choice.ABSTAIN),
            "area": str(Decimal(t.total_area.numerator) / t.total_area.denominator),
            "voted_area": str(Decimal(t.voted_area.numerator) / t.voted_area.denominator),
            "agree_area": str(Decimal(t.agree_area.numerator) / t.agree_area.denominator)}


def outcome(c: Consultation, *, visit: bool = True, reveal: bool = False) -> Outcome:
    """The tally of ``c`` now: passed or not, participation and agreement by area and heads, and (``visit``)
    the fewest owners to persuade. ``reveal`` shows a sealed vote's agreement before closing (never for
    pages; for the closing itself)."""
    return _outcome(c, owners_of(electorate(c), counted_ballots(c)), visit=visit, reveal=reveal)


def _outcome(c: Consultation, owners: list[Owner], *, visit: bool, reveal: bool = False) -> Outcome:
    rule = rule_of(c)
    t = tally_owners(rule, owners)
    closed = c.voting_over()
    sealed = c.sealed and not closed and not reveal
    targets, needed, exact = [], None, True
    if visit and not sealed:
        plan = plan_visits(rule, owners)
        needed, exact = plan.needed, plan.exact
        targets = _targets(c, owners, plan.keys)
    elif not sealed:
        needed = 0 if t.passed else None
    counts = _counts(t, owners)
    if sealed:
        counts = {k: v for k, v in counts.items() if k in ("heads", "voted_heads", "area", "voted_area")}
    return Outcome(
        consultation_id=c.pk, rule=c.rule, status=c.status, closed=closed, sealed=sealed,
        passed=None if sealed else t.passed,
        participation=Ratios(t.participation_area, t.participation_heads, _m2(t.voted_area, t.total_area)),
        agreement=None if sealed else Ratios(t.agreement_area, t.agreement_heads, _m2(
            t.agree_area, t.total_area if rule.code in OF_ALL else t.voted_area)), needed=needed,
        visit_next=targets, exact=exact, conditions=t.conditions, counts=counts)


# The rules whose agreement counts against the whole electorate, not against those who took part.
OF_ALL = (RuleCode.SHARE, RuleCode.ELEVATOR_SH_2011)


def _m2(part: Fraction, whole: Fraction) -> str:
    """Two exact areas for the page, to the hundredth of a m² they were registered in."""
    cent = Decimal("0.01")
    part, whole = (Decimal(f.numerator) / f.denominator for f in (part, whole))
    return f"{part.quantize(cent)} / {whole.quantize(cent)} m²"


def _targets(c: Consultation, owners: list[Owner], keys: list[str]) -> list[VisitTarget]:
    if not keys:
        return []
    by_key = {o.key: o for o in owners}
    rows = defaultdict(list)
    for d in Dwelling.objects.filter(consultation=c, owner_key__in=keys).order_by("label"):
        rows[d.owner_key].append(d)
    return [VisitTarget(owner=mask_name(rows[k][0].owner_name) if rows[k] else "",
                        dwellings=[d.label for d in rows[k]], household_ids=[d.household_id for d in rows[k]
                                                                             if d.household_id],
                        area=by_key[k].area, voted=by_key[k].choice) for k in keys]


@dataclass
class BoardRow:
    name: str
    heads: int
    voted_heads: int
    agree_heads: int
    area: Decimal
    voted_area: Decimal
    agree_area: Decimal

    def ratio(self, num, den) -> Fraction:
        return Fraction(num) / Fraction(den) if den else Fraction(0)

    @property
    def participation(self) -> Ratios:
        return Ratios(self.ratio(self.voted_area, self.area), self.ratio(self.voted_heads, self.heads))

    @property
    def agreement(self) -> Ratios:
        return Ratios(self.ratio(self.agree_area, self.voted_area), self.ratio(self.agree_heads, self.voted_heads))


# The board says how many owners are still needed for votes up to this many units (a building or a small
# estate: milliseconds); above it the figure is on the visit-next page, so the live board stays fast.
BOARD_VISIT_LIMIT = 300


def board(*, consultation: Consultation, user) -> dict:
    """The live progress board (进度看板): the whole vote's outcome and, per building, participation and
    agreement by area and by head (agreement hidden while a sealed vote is open). An owner of dwellings in
    several buildings counts as one head in each of them and once in the whole. Pending and mismatched
    staff entries are counted apart, for the second entry."""
    ensure_perm(user, Perm.VIEW_CONSULT)
    c = consultation
    # One read of the electorate serves the whole vote and every building.
    rows = list(Dwelling.objects.filter(consultation=c).exclude(owner_key="")
                .values_list("owner_key", "area", "building_id"))
    ballots = counted_ballots(c)
    zero = Decimal(0)
    units = [Unit("", key, area if area is not None else zero) for key, area, _b in rows]
    result = _outcome(c, owners_of(units, ballots), visit=len(rows) <= BOARD_VISIT_LIMIT)
    per: dict[int | None, dict[str, Decimal]] = defaultdict(dict)
    for key, area, building in rows:
        owners = per[building]
        owners[key] = owners.get(key, zero) + (area if area is not None else zero)
    names = dict(Building.objects.filter(pk__in=[b for b in per if b]).values_list("pk", "number"))
    buildings = []
    for building, owners in per.items():
        voted = {k: a for k, a in owners.items() if k in ballots}
        agree = {k: a for k, a in voted.items() if ballots[k] == AGREE}
        buildings.append(BoardRow(name=f"{names[building]}号" if building else c.scope_label, heads=len(owners),
                                  voted_heads=len(voted), agree_heads=len(agree),
                                  area=sum(owners.values(), zero), voted_area=sum(voted.values(), zero),
                                  agree_area=sum(agree.values(), zero)))
    rows = sorted(buildings, key=lambda r: (len(r.name), r.name))
    entries = dict(Ballot.objects.filter(consultation=c, state__in=[BallotState.PENDING, BallotState.MISMATCH])
                   .values_list("state").annotate(n=Count("pk")))
    by_channel = dict(Ballot.objects.filter(consultation=c, state=BallotState.COUNTED, cast_at__lt=c.closes_at)
                      .values_list("channel").annotate(n=Count("pk")))
    return {"outcome": result, "buildings": rows, "sealed": result.sealed,
            "pending": entries.get(BallotState.PENDING, 0), "mismatched": entries.get(BallotState.MISMATCH, 0),
            "by_channel": by_channel,
            "by_channel_labels": {str(Channel(k).label): n for k, n in by_channel.items()},
            "missing": missing_data(c) if c.status == Status.DRAFT else []}


def missing_data(consultation: Consultation) -> list[str]:
    """What stops the consultation from opening, one line per unit: 缺业主 / 缺面积 (area only where the
    rule counts it)."""
    uses_area = rule_of(consultation).uses_area
    lines = []
    for label, key, area in consultation.dwellings.order_by("label").values_list("label", "owner_key", "area"):
        lacks = ([_("业主")] if not key else []) + ([_("面积")] if uses_area and area is None else [])
        if lacks:
            lines.append(_("%(u)s 缺%(what)s") % {"u": label, "what": _("、").join(lacks)})
    return lines


def electorate_rows(*, consultation: Consultation, user) -> list[dict]:
    """The electorate for staff: each unit with its owner masked, area, and whether it voted (not how, while
    sealed)."""
    ensure_perm(user, Perm.VIEW_CONSULT)
    c = consultation
    ballots = counted_ballots(c)
    sealed = c.sealed and not c.voting_over()
    rows = []
    for d in c.dwellings.order_by("label"):
        choice = ballots.get(d.owner_key) if d.owner_key else None
        rows.append({"dwelling": d, "id": d.pk, "label": d.label, "owner": mask_name(d.owner_name),
                     "unsold": d.unsold, "area": d.area, "has_owner": bool(d.owner_key),
                     "has_document": bool(d.owner_document), "voted": choice is not None,
                     "choice": None if sealed else choice,
                     "choice_label": Choice(choice).label if choice and not sealed else ""})
    return rows


def get_dwelling(*, user, consultation: Consultation, pk: int) -> Dwelling:
    return get_in_scope(Dwelling.objects.filter(consultation=consultation).select_related("consultation"),
                        user=user, pk=pk)


def get_ballot(*, user, consultation: Consultation, pk: int) -> Ballot:
    return get_in_scope(Ballot.objects.filter(consultation=consultation).select_related("consultation", "dwelling"),
                        user=user, pk=pk)


def pending_entries(*, consultation: Consultation, user) -> QuerySet[Ballot]:
    """Staff entries waiting for their second entry, or flagged as mismatched: the choice is not shown to the
    second staff member (blind double entry)."""
    ensure_perm(user, Perm.BALLOT_CONSULT)
    return (Ballot.objects.filter(consultation=consultation, state__in=[BallotState.PENDING, BallotState.MISMATCH])
            .select_related("dwelling", "entered_by", "confirmed_by").order_by("state", "dwelling__label"))


def letters(*, consultation: Consultation, user) -> list[dict]:
    """征询告知书: per unit its label and current voting code's signed token (unused, not revoked)."""
    ensure_perm(user, Perm.RUN_CONSULT)
    codes = (VotingCode.objects.filter(dwelling__consultation=consultation, revoked_at__isnull=True)
             .select_related("dwelling").order_by("dwelling__label"))
    return [{"label": code.dwelling.label, "owner": mask_name(code.dwelling.owner_name), "token": token_for(code),
             "used": code.used_at is not None} for code in codes]


def public_notice(c: Consultation) -> dict | None:
    """公示 for residents, without personal data: before opening (the matter, the rule and the timetable,
    from ``notice_from``) and after closing (the result, until ``result_notice_until``). None when nothing
    is on notice."""
    today = timezone.localdate()
    before = c.status == Status.DRAFT and c.notice_from is not None and c.notice_from <= today
    during = c.status == Status.OPEN and not c.voting_over()
    after = c.voting_over() and (c.result_notice_until is None or today <= c.result_notice_until)
    if not (before or during or after):
        return None
    result = outcome(c, visit=False) if (after or during) else None
    return {"consultation": c, "phase": "after" if after else "during" if during else "before",
            "outcome": result}


def passed_between(*, subdistrict_id: int, start, end) -> int:
    """征询通过数: consultations closed in [start, end] whose result passed."""
    return Consultation.objects.filter(subdistrict_id=subdistrict_id, status=Status.CLOSED,
                                       closed_at__date__gte=start, closed_at__date__lte=end,
                                       result__passed=True).count()

