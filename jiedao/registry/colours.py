"""分色管理: derived tags and the one rule engine that gives each resident a care colour.

Derived tags (老年 60+, 高龄 80+, 独居, 独居老人) are computed from birth dates and household sizes, never
stored, so they are always current; each has a Python test (for the engine) and a query (for search and
counts) defined side by side. Entered tags are ``ResidentTag`` rows. Colour rules are data
(``ColourRule``); ``recompute`` applies them to a subdistrict (or some households) in bulk and writes
colour and explanation ("红: 独居 + 高龄 + 失能") only where they changed. A daily periodic job recomputes
every subdistrict, because residents grow older.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils import translation
from django.utils.translation import gettext

from jiedao.registry.models import COLOUR_RANK, CareColour, ColourRule, Household, Resident, ResidentTag, Tag


def years_before(today: dt.date, years: int) -> dt.date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def age_on(birth: dt.date, today: dt.date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


@dataclass(frozen=True)
class Facts:
    """What the derived tags need to know about one current resident: ``household_size`` counts the
    residents living in the household (现住, not 户在人不在); ``lives_here`` is False for someone registered
    there who lives elsewhere (户在人不在), who therefore does not live alone there either."""

    birth_date: dt.date
    household_size: int
    lives_here: bool = True


@dataclass(frozen=True)
class AgeAtLeast:
    years: int

    def test(self, facts: Facts, today: dt.date) -> bool:
        return age_on(facts.birth_date, today) >= self.years

    def q(self, today: dt.date) -> Q:
        return Q(birth_date__lte=years_before(today, self.years))


@dataclass(frozen=True)
class LivesAlone:
    """独居: the one resident living in the household (someone 户在人不在 there is not company)."""

    def test(self, facts: Facts, today: dt.date) -> bool:
        return facts.lives_here and facts.household_size == 1

    def q(self, today: dt.date) -> Q:
        away = Resident.ResidenceStatus.HUKOU_ONLY
        living = Q(residents__moved_out_on__isnull=True) & ~Q(residents__residence_status=away)
        single = Household.objects.annotate(n=Count("residents", filter=living)).filter(n=1).values("pk")
        return Q(household__in=single) & ~Q(residence_status=away)


@dataclass(frozen=True)
class AllOf:
    parts: tuple

    def test(self, facts: Facts, today: dt.date) -> bool:
        return all(p.test(facts, today) for p in self.parts)

    def q(self, today: dt.date) -> Q:
        q = Q()
        for p in self.parts:
            q &= p.q(today)
        return q


# code → rule. Tag rows with these codes (kind "derived") carry the names shown on screen.
DERIVED = {
    "elderly": AgeAtLeast(60),
    "aged_80": AgeAtLeast(80),
    "living_alone": LivesAlone(),
    "elderly_alone": AllOf((LivesAlone(), AgeAtLeast(60))),
}


def tag_q(tag: Tag, today: dt.date | None = None) -> Q:
    """The resident filter for a tag, derived or entered."""
    today = today or dt.date.today()
    if tag.code in DERIVED:
        return DERIVED[tag.code].q(today)
    return Q(pk__in=ResidentTag.objects.filter(tag=tag).values("resident_id"))


@dataclass(frozen=True)
class Rule:
    colour: str
    name: str
    all_of: frozenset[str]
    any_of: frozenset[str]

    def matches(self, codes: set[str]) -> bool:
        return self.all_of <= codes and (not self.any_of or bool(self.any_of & codes))


def active_rules() -> list[Rule]:
    rules = []
    for rule in ColourRule.objects.filter(active=True).prefetch_related("all_of", "any_of"):
        rules.append(Rule(rule.colour, rule.name, frozenset(t.code for t in rule.all_of.all()),
                          frozenset(t.code for t in rule.any_of.all())))
    return rules


def evaluate(codes: set[str], rules: list[Rule], names: dict[str, str]) -> tuple[str, str]:
    """(colour, explanation) for a resident with tag ``codes``: the first matching rule decides."""
    for rule in rules:
        if rule.matches(codes):
            shown = [names[c] for c in sorted(rule.all_of, key=list(names).index)]
            shown += [names[c] for c in sorted(rule.any_of & codes, key=list(names).index)]
            with translation.override(settings.LANGUAGE_CODE):  # stored in Chinese, shown by shown_reason
                label = str(CareColour(rule.colour).label)
            return rule.colour, f"{label}: {' + '.join(shown)}"
    return CareColour.NONE, ""


def shown_reason(reason: str) -> str:
    """An explanation as ``evaluate`` stores it (Chinese, "红: 独居 + 高龄"), in the active language: the
    colour and each tag name through the catalogue (names staff typed themselves stay as typed)."""
    colour, sep, names = reason.partition(": ")
    if not sep:
        return gettext(reason) if reason else reason
    return f"{gettext(colour)}: {' + '.join(gettext(name) for name in names.split(' + '))}"


def tags_of(facts: Facts, entered: set[str], today: dt.date) -> set[str]:
    return entered | {code for code, rule in DERIVED.items() if rule.test(facts, today)}


@transaction.atomic
def recompute(*, subdistrict_id: int | None = None, household_ids=None, today: dt.date | None = None) -> int:
    """Re-evaluate care colours of current residents (of a subdistrict, or of some households).

    Returns how many residents changed colour or explanation. Writes are grouped by (colour, reason), so
    a whole subdistrict costs a handful of UPDATE statements, not one per resident.
    """
    today = today or dt.date.today()
    rules = active_rules()
    names = dict(Tag.objects.values_list("code", "name"))
    residents = Resident.objects.current()
    if subdistrict_id is not None:
        residents = residents.filter(subdistrict_id=subdistrict_id)
    if household_ids is not None:
        residents = residents.filter(household_id__in=list(household_ids))
    rows = list(residents.values_list(
        "pk", "household_id", "birth_date", "care_colour", "care_reason", "residence_status"
    ))
    away = Resident.ResidenceStatus.HUKOU_ONLY
    size: dict[int, int] = defaultdict(int)
    for _pk, household_id, *_rest, status in rows:
        size[household_id] += status != away
    entered: dict[int, set[str]] = defaultdict(set)
    links = ResidentTag.objects.filter(resident__in=residents).values_list("resident_id", "tag__code")
    for resident_id, code in links.iterator(chunk_size=10000):
        entered[resident_id].add(code)
    changes: dict[tuple[str, str], list[int]] = defaultdict(list)
    household_colour: dict[int, str] = {}
    for pk, household_id, birth, old_colour, old_reason, status in rows:
        codes = tags_of(Facts(birth, size[household_id], status != away), entered.get(pk, set()), today)
        colour, reason = evaluate(codes, rules, names)
        if (colour, reason) != (old_colour, old_reason):
            changes[(colour, reason)].append(pk)
        if COLOUR_RANK[colour] >= COLOUR_RANK[household_colour.get(household_id, CareColour.NONE)]:
            household_colour[household_id] = colour
    for (colour, reason), pks in changes.items():
        for i in range(0, len(pks), 5000):
            Resident.objects.filter(pk__in=pks[i:i + 5000]).update(care_colour=colour, care_reason=reason)
    _write_household_colours(household_colour, subdistrict_id=subdistrict_id, household_ids=household_ids)
    return sum(len(p) for p in changes.values())


def _write_household_colours(colours: dict[int, str], *, subdistrict_id, household_ids) -> None:
    households = Household.objects.all()
    if subdistrict_id is not None:
        households = households.filter(subdistrict_id=subdistrict_id)
    if household_ids is not None:
        households = households.filter(pk__in=list(household_ids))
    current = dict(households.values_list("pk", "care_colour"))
    by_colour: dict[str, list[int]] = defaultdict(list)
    for pk, old in current.items():
        new = colours.get(pk, CareColour.NONE)  # a household with nobody left has no colour
        if new != old:
            by_colour[new].append(pk)
    for colour, pks in by_colour.items():
        for i in range(0, len(pks), 5000):
            Household.objects.filter(pk__in=pks[i:i + 5000]).update(care_colour=colour)


def explain(resident: Resident, today: dt.date | None = None) -> tuple[list[str], str, str]:
    """(tag names, colour, explanation) of one resident, computed now (the household page shows it)."""
    today = today or dt.date.today()
    size = Resident.objects.living().filter(household_id=resident.household_id).count()
    entered = set(ResidentTag.objects.filter(resident=resident).values_list("tag__code", flat=True))
    facts = Facts(resident.birth_date, size, resident.lives_here)
    codes = tags_of(facts, entered, today) if resident.moved_out_on is None else entered
    names = dict(Tag.objects.values_list("code", "name"))
    colour, reason = evaluate(codes, active_rules(), names)
    return [names[c] for c in names if c in codes], colour, reason
