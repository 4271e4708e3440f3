"""Contributions (贡献点): the one way an app offers things to the apps above it.

Imports run one way (``docs/architecture.md``): planning, the dashboard and the portal sit above the
domain apps and never import their models. Instead each app may have a ``contributions`` module that adds
entries to the points defined here; Django's ``autodiscover_modules("contributions")`` imports every app's
module the first time a point is read, as the admin finds each app's ``admin`` module.

A point is defined here, in core, because both sides must reach it: the app that contributes sits below
the app that reads. This module imports nothing of the platform's own.

Points:

* ``planning_elements``: data elements (数据元素) that planning's computed indicators are written over,
  e.g. ``cases.closed_on_time``. Each counts something for one subdistrict over a reporting period.
* ``household_sections``: sections of the registry's household file (一户一档), e.g. the household's cases
  (``cases.cases``) or visits (``visits.visits``). The registry renders them without importing the apps
  that give them. An entry is a ``HouseholdSection``::

      household_sections.add(HouseholdSection(
          code="cases.cases",                 # "<app>.<name>", unique
          title=_("案件"),                     # the section's heading
          order=20,                           # sections show by order, then code
          template="cases/household_section.html",
          context=cases_context,              # (*, user, household) -> dict | None
          data=cases_data,                    # optional: (*, user, household) -> JSON-able | None, for the API
      ))

  ``context(user=, household=)`` is asked for every reader and household: it reads what *that reader* may
  see (its own scope and role checks, e.g. ``Model.objects.within(scope_of(user))``) and returns the
  template's context, or None to hide the section from this reader. The template is rendered with that
  context plus ``household`` and ``section``; it draws the section's body (the heading is the registry's).
  ``data`` answers the household's JSON API the same way (None: not in the API for this reader); without
  it the section is on the page only. ``sections_for_household(user=, household=)`` gives the entries a
  reader gets, in order, with their context.
* ``safety_factors``: the factors of the 平安建设动态评估 (safety index), e.g. the safety categories' cases
  (``cases.safety_cases``), sensor alarms (``sensing.alarms``), failed inspection items
  (``inspections.failed_items``), high-risk visits (``visits.high_risk``). Each gives, for a subdistrict
  and a period, the events behind it, each placed in a 居委 and grid and linked to its page; the index
  (in ``inspections``) weighs them per 1,000 residents. A module that is not installed contributes
  nothing, and the index says which factors it lacks.
"""

import datetime as dt
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Generic, Protocol, TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise
from django.utils.module_loading import autodiscover_modules

_discovered = False
_discovering = threading.Lock()


def discover() -> None:
    """Import every installed app's ``contributions`` module, once per process."""
    global _discovered
    if _discovered:
        return
    with _discovering:
        if not _discovered:
            autodiscover_modules("contributions")
            _discovered = True


class Keyed(Protocol):
    code: str


T = TypeVar("T", bound=Keyed)


class ContributionPoint(Generic[T]):
    """Entries keyed by ``code``, added by the apps' ``contributions`` modules.

    An entry that ``is_placeholder`` (a source announced but not built yet) never replaces a real one,
    whichever app is imported first; two real entries under one code are a configuration error.
    """

    def __init__(self, name: str, *, is_placeholder: Callable[[T], bool] = lambda entry: False):
        self.name = name
        self._entries: dict[str, T] = {}
        self._is_placeholder = is_placeholder

    def add(self, entry: T) -> T:
        """Add ``entry`` under its code; see the class docstring for what replaces what."""
        existing = self._entries.get(entry.code)
        if existing is not None and not self._is_placeholder(existing):
            if self._is_placeholder(entry):
                return existing
            if existing != entry:
                raise ImproperlyConfigured(f"{self.name}: {entry.code} is contributed twice")
        self._entries[entry.code] = entry
        return entry

    def get(self, code: str) -> T | None:
        discover()
        return self._entries.get(code)

    def all(self) -> dict[str, T]:
        """Every entry, sorted by code."""
        discover()
        return dict(sorted(self._entries.items()))

    @contextmanager
    def replaced(self, *entries: T) -> Iterator[None]:
        """Within the block, ``entries`` stand in for the entries of the same codes (for tests and for
        recomputing with a corrected source); the originals come back afterwards."""
        discover()
        saved = dict(self._entries)
        try:
            self._entries.update({e.code: e for e in entries})
            yield
        finally:
            self._entries = saved

    @contextmanager
    def alone(self, *entries: T) -> Iterator[None]:
        """Within the block, ``entries`` are the point's only entries (for tests of what reads the point)."""
        discover()
        saved = self._entries
        try:
            self._entries = {e.code: e for e in entries}
            yield
        finally:
            self._entries = saved


# ------------------------------------------------------------------------------------- planning elements

class ComputeElement(Protocol):
    def __call__(self, *, subdistrict_id: int, start: dt.date, end: dt.date) -> int | Decimal: ...


@dataclass(frozen=True)
class PlanningElement:
    """A data element (数据元素): a named count over one subdistrict and one reporting period.

    ``compute(subdistrict_id=, start=, end=)`` counts over the period from ``start`` to ``end`` (both
    days included, local time); a level (e.g. residents aged 80 or more) is taken at ``end``. An element
    whose module is not built yet has no ``compute`` and says why in ``unavailable``, so that an indicator
    over it says "数据来源尚未接入" instead of showing a made-up number.
    """

    code: str  # "<app>.<name>", e.g. "cases.closed_on_time"
    name: str | Promise
    unit: str
    definition: str | Promise
    source: str | Promise  # the module the figure comes from, shown beside computed values
    compute: ComputeElement | None = None
    unavailable: str | Promise = ""

    def __post_init__(self):
        if (self.compute is None) == (not self.unavailable):
            raise ImproperlyConfigured(f"{self.code}: give either compute or the reason it is unavailable")

    @property
    def module(self) -> str:
        return self.code.split(".", 1)[0]

    @property
    def available(self) -> bool:
        return self.compute is not None


planning_elements: ContributionPoint[PlanningElement] = ContributionPoint(
    "planning_elements", is_placeholder=lambda element: not element.available,
)


def planning_element(code: str, *, name, unit: str, definition, source) -> Callable[[ComputeElement], ComputeElement]:
    """Decorate a counting function to contribute it as the planning element ``code``::

        @planning_element("cases.closed", name=_("已办结案件"), unit="个", source=_("一网统管案件"),
                          definition=_("报告期内办结的案件数"))
        def closed(*, subdistrict_id: int, start: dt.date, end: dt.date) -> int: ...
    """

    def decorate(compute: ComputeElement) -> ComputeElement:
        planning_elements.add(PlanningElement(code, name, unit, definition, source, compute=compute))
        return compute

    return decorate


# ------------------------------------------------------------------------------------ household sections

class SectionContext(Protocol):
    def __call__(self, *, user: Any, household: Any) -> dict | None: ...


class SectionData(Protocol):
    def __call__(self, *, user: Any, household: Any) -> Any: ...


@dataclass(frozen=True)
class HouseholdSection:
    """A section of the household file (一户一档) given by an app above core, read by the registry.

    ``context(user=, household=)`` returns the template's context for this reader, or None to hide the
    section from them; it is where the contributing app applies the reader's scope and role. ``data``,
    when given, answers the household's JSON API the same way (None: left out for this reader).
    """

    code: str  # "<app>.<name>", e.g. "cases.cases"
    title: str | Promise
    order: int
    template: str
    context: SectionContext
    data: SectionData | None = None

    @property
    def module(self) -> str:
        return self.code.split(".", 1)[0]


household_sections: ContributionPoint[HouseholdSection] = ContributionPoint("household_sections")


def sections_for_household(*, user, household) -> list[tuple[HouseholdSection, dict]]:
    """The household-file sections ``user`` gets for ``household``, by order then code, each with the
    context its app gave; sections whose ``context`` answered None are left out."""
    shown = []
    for section in sorted(household_sections.all().values(), key=lambda s: (s.order, s.code)):
        context = section.context(user=user, household=household)
        if context is not None:
            shown.append((section, context))
    return shown


def section_data_for_household(*, user, household) -> list[dict]:
    """The household-file sections with ``data`` as the JSON API gives them: ``{"code", "title", "data"}``
    by order then code, leaving out those whose ``data`` answered None for ``user``."""
    shown = []
    for section in sorted(household_sections.all().values(), key=lambda s: (s.order, s.code)):
        if section.data is None:
            continue
        data = section.data(user=user, household=household)
        if data is not None:
            shown.append({"code": section.code, "title": str(section.title), "data": data})
    return shown


# ---------------------------------------------------------------------------------------- safety factors

@dataclass(frozen=True)
class SafetyEvent:
    """One event behind a safety factor: a case, an alarm, a failed inspection item, a high-risk visit."""

    at: dt.datetime
    community_id: int | None  # 居委
    grid_id: int | None       # 网格
    label: str                # what a reader sees in the list behind a score, e.g. "202612030000598 飞线充电"
    url: str                  # its page (the reader's own permissions apply when it is opened)
    weight: float = 1.0       # e.g. an urgent alarm counting more than a routine one; 1 by default


class SafetyEvents(Protocol):
    def __call__(self, *, subdistrict_id: int, start: dt.date, end: dt.date) -> list[SafetyEvent]: ...


@dataclass(frozen=True)
class SafetyFactor:
    """A factor of the safety index (平安建设动态评估): the events of one kind in a subdistrict over a period
    (``start`` to ``end``, both days included, local time), which the index counts per 居委 and grid."""

    code: str  # "<app>.<name>", e.g. "cases.safety_cases"
    name: str | Promise
    definition: str | Promise
    source: str | Promise  # the module it comes from, shown beside the factor
    events: SafetyEvents

    @property
    def module(self) -> str:
        return self.code.split(".", 1)[0]


safety_factors: ContributionPoint[SafetyFactor] = ContributionPoint("safety_factors")
