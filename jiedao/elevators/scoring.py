"""可行性评分: a score 0–100 for a building without an elevator, from factors each with a weight and a value.

``score(inputs, weights)`` is pure: ``Inputs`` holds what is known about the building (geography, registry,
survey), ``None`` where nothing is known. Each factor's value is 0–1 (``VALUES`` below says how); a factor
whose input is missing counts at the neutral 0.5 and is listed in ``missing``, so a building is neither
favoured nor buried for lack of a survey, and the page says what to measure. The score is
Σ weight × value / Σ weight × 100, rounded to one decimal.

``inputs_for(buildings)`` gathers the inputs of many buildings in a fixed number of queries (bench:
docs/elevators.md).
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from jiedao.elevators.models import Entry, Factor, Pipes, Sunlight, Survey
from jiedao.registry.colours import years_before
from jiedao.registry.models import Household, Resident, ResidentTag

NEUTRAL = Decimal("0.5")
AGED_YEARS = 60
DISABLED_TAGS = ("disabled_care", "disability")  # 失能/失智, 残疾 (registry's tags)
CLEARANCE_FULL_M = Decimal("3.0")  # a shaft with its corridor fits
CLEARANCE_TIGHT_M = Decimal("2.4")  # the narrowest shaft fits, no corridor space


@dataclass
class Inputs:
    floors: int | None = None
    dwellings_per_floor: int | None = None
    entry: str | None = None
    front_clearance_m: Decimal | None = None
    rear_clearance_m: Decimal | None = None
    pipes: str | None = None
    fire_lane_clear: bool | None = None
    sunlight: str | None = None
    residents: int = 0
    aged: int = 0
    disabled: int = 0
    has_elevator: bool = False


@dataclass
class FactorScore:
    factor: str
    label: str
    weight: int
    value: Decimal
    shown: str  # the input as read, e.g. "6 层", "3.2 米"
    missing: bool = False

    @property
    def points(self) -> Decimal:
        return (self.value * self.weight).quantize(Decimal("0.1"))


@dataclass
class Score:
    score: Decimal
    factors: list[FactorScore] = field(default_factory=list)

    @property
    def missing(self) -> list[str]:
        return [f.factor for f in self.factors if f.missing]

    @property
    def missing_labels(self) -> list[str]:
        return [f.label for f in self.factors if f.missing]


def _floors(i: Inputs):
    if i.floors is None:
        return None, ""
    value = {4: "0.6", 5: "0.8", 6: "1", 7: "1"}.get(i.floors, "0")
    return Decimal(value), _("%(n)s 层") % {"n": i.floors}


def _dwellings(i: Inputs):
    if not i.dwellings_per_floor:
        return None, ""
    n = i.dwellings_per_floor
    return Decimal("0.4" if n == 1 else "0.8" if n == 2 else "1"), _("每层 %(n)s 户") % {"n": n}


def _entry(i: Inputs):
    if not i.entry:
        return None, ""
    return (Decimal("1") if i.entry == Entry.LEVEL else Decimal("0.5")), str(Entry(i.entry).label)


def _clearance(i: Inputs):
    known = [c for c in (i.front_clearance_m, i.rear_clearance_m) if c is not None]
    if not known:
        return None, ""
    best = max(known)
    value = Decimal("1") if best >= CLEARANCE_FULL_M else Decimal("0.6") if best >= CLEARANCE_TIGHT_M else Decimal("0")
    return value, _("较宽一侧 %(m)s 米") % {"m": best}


def _pipes(i: Inputs):
    if not i.pipes:
        return None, ""
    return {Pipes.CLEAR: Decimal("1"), Pipes.RELOCATE: Decimal("0.5"), Pipes.BLOCKING: Decimal("0")}[i.pipes], \
        str(Pipes(i.pipes).label)


def _fire_lane(i: Inputs):
    if i.fire_lane_clear is None:
        return None, ""
    return (Decimal("1"), _("不占用")) if i.fire_lane_clear else (Decimal("0"), _("占用"))


def _sunlight(i: Inputs):
    if not i.sunlight:
        return None, ""
    return {Sunlight.NONE: Decimal("1"), Sunlight.MINOR: Decimal("0.6"), Sunlight.MAJOR: Decimal("0")}[i.sunlight], \
        str(Sunlight(i.sunlight).label)


def _aged(i: Inputs):
    if not i.residents:
        return None, ""
    share = Decimal(i.aged) / Decimal(i.residents)
    # Half the residents aged 60+ is full need (Caoyang's old estates run at 40–50 %).
    return min(Decimal("1"), share * 2), _("%(a)s / %(n)s 人") % {"a": i.aged, "n": i.residents}


def _disabled(i: Inputs):
    if not i.residents:
        return None, ""
    # Each resident who cannot take the stairs counts a third; three make full need.
    return min(Decimal("1"), Decimal(i.disabled) / 3), _("%(n)s 人") % {"n": i.disabled}


VALUES = {
    Factor.FLOORS: _floors, Factor.DWELLINGS: _dwellings, Factor.ENTRY: _entry, Factor.CLEARANCE: _clearance,
    Factor.PIPES: _pipes, Factor.FIRE_LANE: _fire_lane, Factor.SUNLIGHT: _sunlight, Factor.AGED: _aged,
    Factor.DISABLED: _disabled,
}


def score(inputs: Inputs, weights: dict[str, int]) -> Score:
    """The building's score and each factor's weight, value and input (see the module's docstring)."""
    factors = []
    for factor, compute in VALUES.items():
        value, shown = compute(inputs)
        missing = value is None
        factors.append(FactorScore(factor=factor.value, label=str(factor.label), weight=weights.get(factor.value, 0),
                                   value=NEUTRAL if missing else value, shown=str(shown) if shown else "",
                                   missing=missing))
    total_weight = sum(f.weight for f in factors)
    if not total_weight:
        return Score(score=Decimal("0"), factors=factors)
    points = sum(f.value * f.weight for f in factors)
    return Score(score=(points * 100 / total_weight).quantize(Decimal("0.1")), factors=factors)


def floor_of(room: str) -> int | None:
    """The floor of a door number: "302" → 3, "1201" → 12 (the demo's and most Shanghai rooms)."""
    digits = room.strip()
    if len(digits) < 3 or not digits.isdigit():
        return None
    floor = int(digits[:-2])
    return floor or None


def inputs_for(building_ids, *, today: dt.date | None = None, buildings: dict | None = None) -> dict[int, Inputs]:
    """Inputs of many buildings: four queries whatever their number (floors come from ``buildings``,
    id → floors, when the caller has them)."""
    from jiedao.geo.models import Building

    today = today or dt.date.today()
    ids = list(building_ids)
    if buildings is None:
        buildings = dict(Building.objects.filter(pk__in=ids).values_list("pk", "floors"))
    out = {pk: Inputs(floors=buildings.get(pk)) for pk in ids}

    per_floor: dict[int, dict] = defaultdict(lambda: defaultdict(int))
    for building_id, unit_id, room in Household.objects.filter(building_id__in=ids).values_list(
            "building_id", "unit_id", "room"):
        floor = floor_of(room)
        if floor is not None:
            per_floor[building_id][(unit_id, floor)] += 1
    for building_id, counts in per_floor.items():
        out[building_id].dwellings_per_floor = max(counts.values())

    living = Q(moved_out_on__isnull=True) & ~Q(residence_status=Resident.ResidenceStatus.HUKOU_ONLY)
    cutoff = years_before(today, AGED_YEARS)
    rows = (Resident.objects.filter(living, household__building_id__in=ids).values("household__building_id")
            .annotate(n=Count("pk"), aged=Count("pk", filter=Q(birth_date__lte=cutoff))).order_by())
    for row in rows:
        i = out[row["household__building_id"]]
        i.residents, i.aged = row["n"], row["aged"]
    tagged = (ResidentTag.objects.filter(tag__code__in=DISABLED_TAGS, resident__moved_out_on__isnull=True,
                                         resident__household__building_id__in=ids)
              .values("resident__household__building_id").annotate(n=Count("resident", distinct=True)).order_by())
    for row in tagged:
        out[row["resident__household__building_id"]].disabled = row["n"]

    for s in Survey.objects.filter(building_id__in=ids):
        i = out[s.building_id]
        i.has_elevator = s.has_elevator
        i.entry = s.entry or None
        i.front_clearance_m, i.rear_clearance_m = s.front_clearance_m, s.rear_clearance_m
        i.pipes = s.pipes or None
        i.fire_lane_clear = s.fire_lane_clear
        i.sunlight = s.sunlight or None
        if s.dwellings_per_floor:
            i.dwellings_per_floor = s.dwellings_per_floor
    return out


def weights() -> dict[str, int]:
    from jiedao.elevators.models import FactorWeight

    return dict(FactorWeight.objects.values_list("factor", "weight"))
