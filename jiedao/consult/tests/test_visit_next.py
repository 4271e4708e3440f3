"""Who to visit next: the fewest owners whose agreement makes the vote pass, exact up to 30 owners —
checked against brute force over every subset on random small electorates of every rule."""

import itertools
import random
from decimal import Decimal

import pytest

from jiedao.consult.rules import Choice, Owner, Rule, tally_owners
from jiedao.consult.visitnext import visit_next

RULES = [Rule.of("278-special"), Rule.of("278-ordinary"), Rule.of("share", share_of="heads", at_least="9/10"),
         Rule.of("share", share_of="area", at_least="4/5"), Rule.of("sh-elevator-2011"), Rule.of("majority")]


def brute_force(rule: Rule, owners: list[Owner]) -> int | None:
    candidates = [o.key for o in owners if o.choice != Choice.AGREE]
    for size in range(len(candidates) + 1):
        for subset in itertools.combinations(candidates, size):
            chosen = set(subset)
            if tally_owners(rule, [Owner(o.key, o.area, Choice.AGREE) if o.key in chosen else o
                                   for o in owners]).passed:
                return size
    return None


def random_owners(rng: random.Random, n: int) -> list[Owner]:
    choices = [Choice.AGREE, Choice.DISAGREE, Choice.ABSTAIN, None, None]
    return [Owner(f"p{i}", Decimal(rng.randrange(3000, 14000)) / 100, rng.choice(choices)) for i in range(n)]


@pytest.mark.parametrize("rule", RULES, ids=lambda r: f"{r.code}-{r.share_of}")
def test_visit_next_is_the_exact_minimum_on_small_electorates(rule):
    rng = random.Random(f"visit-next-{rule.code}-{rule.share_of}")
    for _ in range(40):
        owners = random_owners(rng, rng.randrange(1, 11))
        plan = visit_next(rule, owners)
        assert plan.needed == brute_force(rule, owners)
        assert plan.exact and len(plan.keys) == (plan.needed or 0)
        chosen = set(plan.keys)
        after = [Owner(o.key, o.area, Choice.AGREE) if o.key in chosen else o for o in owners]
        assert tally_owners(rule, after).passed


def test_a_vote_that_passes_needs_no_visits():
    owners = [Owner(f"p{i}", Decimal(50), Choice.AGREE) for i in range(4)]
    plan = visit_next(Rule.of("278-special"), owners)
    assert (plan.needed, plan.keys) == (0, [])


def test_visit_next_prefers_owners_who_have_not_voted_among_equally_short_lists():
    # 5 equal owners; 278-ordinary: two agree, two object (exactly one half), one has not voted.
    # Converting an objector or winning the non-voter both pass; the non-voter is asked first.
    owners = [Owner("a", Decimal(50), Choice.AGREE), Owner("b", Decimal(50), Choice.AGREE),
              Owner("c", Decimal(50), Choice.DISAGREE), Owner("d", Decimal(50), Choice.DISAGREE),
              Owner("e", Decimal(50), None)]
    plan = visit_next(Rule.of("278-ordinary"), owners)
    assert plan.needed == 1 and plan.keys == ["e"]


def test_a_large_owner_can_be_worth_several_small_ones():
    owners = [Owner("big", Decimal("400"), None)] + [Owner(f"s{i}", Decimal("20"), Choice.AGREE) for i in range(8)]
    plan = visit_next(Rule.of("278-special"), owners)  # heads 8/9 agree, area 160/560 short of 2/3
    assert plan.keys == ["big"]


@pytest.mark.parametrize("rule", RULES, ids=lambda r: f"{r.code}-{r.share_of}")
def test_an_electorate_of_thirty_owners_is_solved_exactly(rule):
    # 30 owners, 18 of whom agree: brute force over the other 12 stays small enough to compare.
    rng = random.Random(f"thirty-{rule.code}-{rule.share_of}")
    for _ in range(3):
        owners = [Owner(f"p{i}", Decimal(rng.randrange(3000, 14000)) / 100,
                        Choice.AGREE if i < 18 else rng.choice([None, None, Choice.DISAGREE, Choice.ABSTAIN]))
                  for i in range(30)]
        plan = visit_next(rule, owners)
        assert plan.exact and plan.needed == brute_force(rule, owners)


def test_large_electorates_get_a_list_that_passes():
    rng = random.Random("large")
    owners = random_owners(rng, 1302)
    plan = visit_next(Rule.of("278-special"), owners)
    chosen = set(plan.keys)
    assert plan.needed == len(chosen) > 0
    assert tally_owners(Rule.of("278-special"),
                        [Owner(o.key, o.area, Choice.AGREE) if o.key in chosen else o for o in owners]).passed
