"""Coverage (覆盖率): who lives within a circle of a facility, weighted by residents and by residents aged 60+.

Definitions (docs/facilities.md):

- A building is *covered* by a type within a circle when the walking distance from its entrance to the
  nearest open facility of the type is at most the circle's reach (metres, or minutes × the walking speed:
  the elderly's for elderly services). A building the network does not reach is *unreachable*, never "far".
- ``resident_rate  # 居民覆盖率``: residents living in covered buildings / residents living in the buildings
  counted (现住: registered and not 户在人不在).
- ``elderly_rate  # 老年人覆盖率``: the same for residents aged 60 or more; the rate that counts for elderly
  services (``FacilityType.elderly``).
- ``building_rate  # 楼栋覆盖率``: covered buildings / buildings.
"""

import datetime as dt
from dataclasses import dataclass

import numpy as np
from django.db.models import Count, Q

from jiedao.core.cache import ProcessCache
from jiedao.registry import colours
from jiedao.registry import selectors as registry_selectors
from jiedao.registry.models import Resident

ELDERLY_AGE = 60


@dataclass
class Weights:
    """Per building (in the engine's order): residents living there, those aged 60+, and households."""

    residents: np.ndarray
    elderly: np.ndarray
    households: np.ndarray


def load_weights(*, subdistrict_id: int, building_ids: np.ndarray, today: dt.date | None = None) -> Weights:
    """Residents (现住) and residents aged 60+ of every building today, and its households (户, counted as
    the registry counts them: with at least one resident registered)."""
    today = today or dt.date.today()
    born_by = colours.years_before(today, ELDERLY_AGE)
    rows = (Resident.objects.filter(subdistrict_id=subdistrict_id).living()
            .values("household__building_id")
            .annotate(n=Count("pk"), old=Count("pk", filter=Q(birth_date__lte=born_by))))
    households = households_by_building(subdistrict_id=subdistrict_id, day=today)
    index = {b: i for i, b in enumerate(building_ids.tolist())}
    residents = np.zeros(len(building_ids))
    elderly = np.zeros(len(building_ids))
    for row in rows:
        i = index.get(row["household__building_id"])
        if i is not None:
            residents[i], elderly[i] = row["n"], row["old"]
    return Weights(residents, elderly, np.array([households.get(b, 0) for b in building_ids.tolist()], dtype=float))


def households_by_building(*, subdistrict_id: int, day: dt.date) -> dict[int, int]:
    """Households with a resident registered on ``day``, per building (the registry's 户数 by building)."""
    return dict(registry_selectors.residents_on(subdistrict_id=subdistrict_id, day=day)
                .values("household__building_id").annotate(n=Count("household_id", distinct=True))
                .values_list("household__building_id", "n"))


# Weights change with every registration; kept a minute per process, cleared by a registry write here.
_weights: ProcessCache[Weights] = ProcessCache(ttl=60, cleared_by=["registry.Resident", "registry.Household"])


def weights_for(engine) -> Weights:
    last = int(engine.building_ids[-1]) if len(engine.building_ids) else 0
    key = (engine.subdistrict_id, len(engine.building_ids), last, dt.date.today())
    return _weights.get(key, lambda: load_weights(subdistrict_id=engine.subdistrict_id,
                                                  building_ids=engine.building_ids))


@dataclass
class Tally:
    """Coverage of one group of buildings (a 居委, a 片区, the whole scope)."""

    key: int | None
    name: str
    buildings: int = 0
    covered_buildings: int = 0
    unreachable_buildings: int = 0
    residents: int = 0
    covered_residents: int = 0
    elderly: int = 0
    covered_elderly: int = 0

    @staticmethod
    def _rate(part: int, whole: int) -> float | None:
        return round(100 * part / whole, 1) if whole else None

    @property
    def building_rate(self) -> float | None:  # 楼栋覆盖率
        return self._rate(self.covered_buildings, self.buildings)

    @property
    def resident_rate(self) -> float | None:  # 居民覆盖率
        return self._rate(self.covered_residents, self.residents)

    @property
    def elderly_rate(self) -> float | None:  # 老年人覆盖率
        return self._rate(self.covered_elderly, self.elderly)

    @property
    def uncovered_residents(self) -> int:
        return self.residents - self.covered_residents

    @property
    def uncovered_elderly(self) -> int:
        return self.elderly - self.covered_elderly

    def rate(self, *, elderly: bool) -> float | None:
        return self.elderly_rate if elderly else self.resident_rate

    def as_dict(self) -> dict:
        return {
            "id": self.key, "name": self.name, "buildings": self.buildings,
            "covered_buildings": self.covered_buildings, "unreachable_buildings": self.unreachable_buildings,
            "residents": self.residents, "covered_residents": self.covered_residents,
            "residents_60_plus": self.elderly, "covered_residents_60_plus": self.covered_elderly,
            "building_rate": self.building_rate, "resident_rate": self.resident_rate,
            "elderly_rate": self.elderly_rate,
        }


@dataclass(frozen=True)
class Groups:
    """Which group (居委, 片区) each building is in: the group ids and each building's index among them, found
    once per engine rather than on every tally."""

    keys: np.ndarray
    index: np.ndarray

    @classmethod
    def of(cls, ids: np.ndarray) -> "Groups":
        keys, index = np.unique(ids, return_inverse=True)
        return cls(keys, np.asarray(index).reshape(-1))


def tally(*, distance: np.ndarray, within: float, weights: Weights, mask: np.ndarray,
          groups: "np.ndarray | Groups | None" = None, names: dict[int, str] | None = None) -> list[Tally]:
    """Coverage of the buildings selected by ``mask``: one ``Tally`` per group (a building's 居委 or 片区 id in
    ``groups``) that has buildings in the mask, sorted by name; one for them all when ``groups`` is None."""
    whole = groups is None
    if whole:
        groups = Groups(np.zeros(1, dtype=np.int64), np.zeros(len(distance), dtype=np.int64))
    elif not isinstance(groups, Groups):
        groups = Groups.of(groups)
    covered = distance <= within
    group = groups.index[mask]
    n = len(groups.keys)

    def total(values) -> np.ndarray:  # per group, all at once
        return np.bincount(group, weights=values[mask], minlength=n)

    residents, elderly = weights.residents, weights.elderly
    sums = np.rint([np.bincount(group, minlength=n), total(covered * 1.0), total(~np.isfinite(distance) * 1.0),
                    total(residents), total(residents * covered), total(elderly), total(elderly * covered)])
    names = names or {}
    out = [
        Tally(None if whole else key, names.get(key, ""), *counts)
        for key, counts in zip(groups.keys.tolist(), sums.astype(np.int64).T.tolist(), strict=True)
        if counts[0] or whole
    ]
    return sorted(out, key=lambda t: t.name)
