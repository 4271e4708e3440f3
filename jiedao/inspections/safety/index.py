"""平安建设动态评估: the monthly safety index per 居委 and grid, 0–100, from the factors the installed apps
contribute (``core.contributions.safety_factors``) and the weights of ``SafetyWeight``.

For an area (a 居委 or a grid) and a month:

* each factor's events are counted with their weights and divided by the area's residents (现住居民 at the
  month's end, from the registry; an area of fewer than ``MIN_RESIDENTS`` counts as that many), giving a
  rate per 1,000 residents;
* the factor deducts ``weight × min(1, rate / saturation)`` points: its weight is the most it can take;
* the trend (``safety.trend``) deducts ``weight × min(1, rise / saturation)`` where ``rise`` is how many
  points more the factors deducted than in the month before (a falling month deducts nothing);
* the month under way counts its events as a month's worth (× the month's days / the days gone), so that
  early in a month an area does not look safer for having had fewer days;
* the score is ``100 × (1 − deductions / W)``, W the weights of the factors that are installed and enabled
  plus the trend's, so a subdistrict without sensors is scored on the same 0–100 scale, and the page says
  which factors it lacks.

Events placed in neither a 居委 nor a grid count for the subdistrict only. The counts come from ``counts``: a
closed month's stored, an open month's from its events; the scores are worked out from them at every look, so
a change of weights applies to every month at once.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from jiedao.core.contributions import SafetyEvent, SafetyFactor, safety_factors
from jiedao.geo.models import Community, Grid
from jiedao.inspections.models import DEFAULT_FACTORS, FALLBACK, TREND, SafetyWeight
from jiedao.inspections.safety.counts import month_counts, month_end, month_start, previous_month

__all__ = ["AreaScore", "FactorScore", "FactorSpec", "MonthIndex", "compute", "factor_specs", "month_end",
           "month_start", "previous_month"]

MIN_RESIDENTS = 100
PER = 1000


@dataclass(frozen=True)
class FactorSpec:
    code: str
    name: str
    definition: str
    source: str
    weight: float
    saturation: float
    enabled: bool
    installed: bool

    @property
    def counts(self) -> bool:
        return self.enabled and self.installed


@dataclass
class FactorScore:
    spec: FactorSpec
    events: int = 0
    weighted: float = 0.0
    rate: float = 0.0          # weighted events per 1,000 residents
    deduction: float = 0.0
    previous: float = 0.0      # the deduction of the month before
    items: list[SafetyEvent] = field(default_factory=list)

    @property
    def change(self) -> float:
        return round(self.deduction - self.previous, 1)


@dataclass
class AreaScore:
    level: str                 # "community" | "grid" | "subdistrict"
    id: int | None
    name: str
    residents: int
    score: float
    previous_score: float | None
    factors: list[FactorScore]
    trend_deduction: float
    rise: float
    community_id: int | None = None

    @property
    def change(self) -> float | None:
        return None if self.previous_score is None else round(self.score - self.previous_score, 1)

    @property
    def band(self) -> str:
        """The map's and the ranking's colour band."""
        return "good" if self.score >= 90 else "fair" if self.score >= 80 else "warn" if self.score >= 70 else "bad"

    @property
    def moved_by(self) -> list[FactorScore]:
        """The factors that took points, the largest first."""
        return sorted((f for f in self.factors if f.deduction > 0), key=lambda f: -f.deduction)


@dataclass
class MonthIndex:
    month: dt.date
    specs: list[FactorSpec]
    communities: list[AreaScore]
    grids: list[AreaScore]
    subdistrict: AreaScore
    unplaced: int
    counted_at: dt.datetime | None = None  # when a closed month's counts were stored; None: open, counted now
    days: tuple[int, int] | None = None  # the current month: (days gone, days in the month); see ``compute``

    @property
    def missing(self) -> list[FactorSpec]:
        """Factors with a weight whose module is not installed (they contribute nothing)."""
        return [s for s in self.specs if s.enabled and not s.installed]


def factor_specs(*, subdistrict_id: int) -> tuple[list[FactorSpec], FactorSpec]:
    """The factors (installed or named by a default or a weight row), and the trend's spec."""
    rows = {w.code: w for w in SafetyWeight.objects.filter(subdistrict_id=subdistrict_id)}
    contributed: dict[str, SafetyFactor] = safety_factors.all()
    codes = sorted((set(DEFAULT_FACTORS) | set(rows) | set(contributed)) - {TREND})

    def spec(code: str, factor: SafetyFactor | None, installed: bool) -> FactorSpec:
        weight, saturation = DEFAULT_FACTORS.get(code, FALLBACK)
        enabled = True
        if code in rows:
            weight, saturation, enabled = rows[code].weight, rows[code].saturation, rows[code].enabled
        return FactorSpec(code=code, name=str(factor.name) if factor else code,
                          definition=str(factor.definition) if factor else "",
                          source=str(factor.source) if factor else code.split(".", 1)[0],
                          weight=weight, saturation=saturation, enabled=enabled, installed=installed)

    specs = [spec(c, contributed.get(c), c in contributed) for c in codes]
    trend = FactorSpec(**{**spec(TREND, None, True).__dict__, "name": _("趋势（较上月上升）"), "source": _("平安指数"),
                          "definition": _("各因子扣分合计较上月上升的分数")})
    return specs, trend


def compute(*, subdistrict_id: int, month: dt.date, count: int = 1, keep_events: bool = True) -> list[MonthIndex]:
    """The index of ``month`` and of the ``count - 1`` months before it, oldest first, from their counts and
    those of the two months before them (for the trend and the change of the first): a closed month's stored,
    an open month's from its events (``counts``). ``keep_events=False`` keeps the counts only (the trend
    chart); otherwise each score lists the events behind it."""
    months = [month_start(month)]
    while len(months) < count:
        months.insert(0, previous_month(months[0]))
    specs, trend = factor_specs(subdistrict_id=subdistrict_id)
    counted = [s for s in specs if s.counts]
    # Two months before the first: the month before's score has its own trend, measured against its month before.
    span = [previous_month(previous_month(months[0])), previous_month(months[0]), *months]
    communities = dict(Community.objects.filter(subdistrict_id=subdistrict_id).values_list("pk", "name"))
    grids = {pk: (name, community) for pk, name, community in
             Grid.objects.filter(subdistrict_id=subdistrict_id).values_list("pk", "name", "community_id")}
    tallies = month_counts(subdistrict_id=subdistrict_id, months=span, codes=[s.code for s in counted],
                           events_of=months if keep_events else ())
    total_weight = sum(s.weight for s in counted) + (trend.weight if trend.enabled else 0)

    def placed_in(community: int | None, grid: int | None) -> list[tuple[str, int | None]]:
        """The 居委 and grid an event placed at (community, grid) counts for, those that exist: its 居委 is the
        one it names, else its grid's."""
        if community is None and grid in grids:
            community = grids[grid][1]
        return [*([("community", community)] if community in communities else []),
                *([("grid", grid)] if grid in grids else [])]

    today = timezone.localdate()

    def days_of(month: dt.date) -> tuple[int, int] | None:
        """For the month under way: the days gone (today included) and the month's days. Its events are counted
        as a month's worth (× days / gone), so that on the 4th a 居委 is not scored on four days' events against
        last month's thirty, and its index does not fall as the month fills up."""
        if month_start(today) != month:
            return None
        return today.day, month_end(month).day

    def area_scores(month: dt.date) -> tuple[dict[tuple[str, int | None], tuple[int, dict[str, FactorScore]]], int]:
        tally = tallies[month]
        days = days_of(month)
        scale = days[1] / days[0] if days else 1.0
        people: dict[tuple[str, int | None], int] = defaultdict(int)
        for grid, n in tally.residents.items():
            if grid is not None and grid in grids:
                people[("grid", grid)] += n
                people[("community", grids[grid][1])] += n
            people[("subdistrict", None)] += n
        people.setdefault(("subdistrict", None), 0)
        for c in communities:
            people.setdefault(("community", c), 0)
        for g in grids:
            people.setdefault(("grid", g), 0)
        scores: dict[tuple[str, int | None], dict[str, FactorScore]] = {
            key: {s.code: FactorScore(spec=s) for s in counted} for key in people}
        unplaced = 0
        for s in counted:
            for (community, grid), (n, weighted) in tally.factors[s.code].items():
                placed = placed_in(community, grid)
                if not placed or placed[0][0] != "community":
                    unplaced += n
                for key in [("subdistrict", None), *placed]:
                    f = scores[key][s.code]
                    f.events += n
                    f.weighted += weighted
            for e in tally.events[s.code] if tally.events is not None else ():
                for key in placed_in(e.community_id, e.grid_id):
                    scores[key][s.code].items.append(e)
        for key, by_code in scores.items():
            denominator = max(people[key], MIN_RESIDENTS)
            for f in by_code.values():
                f.rate = f.weighted * scale / denominator * PER
                f.deduction = f.spec.weight * min(1.0, f.rate / f.spec.saturation) if f.spec.saturation else 0.0
        return {key: (people[key], scores[key]) for key in people}, unplaced

    computed = {m: area_scores(m) for m in span}

    def full(month: dt.date) -> tuple[dict[tuple[str, int | None], AreaScore], int]:
        (now, unplaced), (before, _u) = computed[month], computed[previous_month(month)]
        areas = {}
        for key, (people, by_code) in now.items():
            level, pk = key
            taken = sum(f.deduction for f in by_code.values())
            prev_codes = before[key][1] if key in before else {}
            for code, f in by_code.items():
                f.previous = prev_codes[code].deduction if code in prev_codes else 0.0
                f.items.sort(key=lambda e: e.at, reverse=True)
            rise = max(0.0, taken - sum(f.deduction for f in prev_codes.values()))
            trend_taken = trend.weight * min(1.0, rise / trend.saturation) if trend.enabled and trend.saturation else 0
            name = communities.get(pk) if level == "community" else grids[pk][0] if level == "grid" else ""
            areas[key] = AreaScore(
                level=level, id=pk, name=name or "", residents=people, score=_score(taken + trend_taken, total_weight),
                previous_score=None, factors=list(by_code.values()), trend_deduction=round(trend_taken, 1),
                rise=round(rise, 1),
                community_id=pk if level == "community" else grids[pk][1] if level == "grid" else None)
        return areas, unplaced

    result = []
    earlier, _unplaced = full(span[1])
    for month in months:
        areas, unplaced = full(month)
        for key, a in areas.items():
            a.previous_score = earlier[key].score if key in earlier else None
        earlier = areas
        by_level: dict[str, list[AreaScore]] = defaultdict(list)
        for a in areas.values():
            by_level[a.level].append(a)
        result.append(MonthIndex(
            month=month, specs=[*specs, trend],
            communities=sorted(by_level["community"], key=lambda a: (-a.score, a.name)),
            grids=sorted(by_level["grid"], key=lambda a: (-a.score, a.name)),
            subdistrict=by_level["subdistrict"][0], unplaced=unplaced, counted_at=tallies[month].counted_at,
            days=days_of(month)))
    return result


def _score(taken: float, total_weight: float) -> float:
    if total_weight <= 0:
        return 100.0
    return round(max(0.0, 100.0 * (1 - taken / total_weight)), 1)
