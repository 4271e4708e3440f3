"""Who to visit next (下一步走访谁): the fewest owners whose agreement would make a vote pass.

Method. Every rule's conditions are linear in "which owners change to 同意": with ``x_i ∈ {0, 1}`` for each
owner who has not agreed, the voted heads and area, the agreeing heads and area and the objections after
the change are sums of ``x_i`` weighted by 1 or by the owner's area. A condition "ratio ≥ p/q" becomes
``q·numerator − p·denominator ≥ 0`` and "ratio > p/q" becomes ``… ≥ 1``, once every area is scaled to an
integer (by the common denominator of the registered areas, e.g. ×100 for areas in 0.01 m²). Minimising
``Σ x_i`` under those constraints is a small integer linear programme, solved by HiGHS branch and bound
(``scipy.optimize.milp``); with integer data its optimum is the exact minimum. Among lists of the minimum
length it prefers owners who have not voted yet (a weight of 1/(2n) on each owner who voted against or
abstained, too small to change the length). The answer is then re-checked with the exact tally
(``rules.tally_owners``).

* up to ``EXACT_LIMIT`` (30) owners who could still agree: solved to proven optimality, no time limit
  (milliseconds at this size); ``exact`` is True. Tests compare it with brute force over all subsets.
* above: the same programme with a time limit (``LARGE_TIME_LIMIT`` seconds); the list is exact when HiGHS
  proves optimality in time (usual for a building or an estate), otherwise the best list found, and if none
  is found in time a greedy list (non-voters first, largest area first), with ``exact`` False.
"""

import math
from dataclasses import dataclass
from fractions import Fraction

from jiedao.consult.rules import AGREE, DISAGREE, Owner, Rule, RuleCode, ShareOf, tally_owners

EXACT_LIMIT = 30
LARGE_TIME_LIMIT = 2.0


@dataclass
class VisitPlan:
    needed: int | None  # None: it cannot pass even if everyone agrees (an empty electorate)
    keys: list[str]  # the owners to persuade, in the order to visit them (largest area first)
    exact: bool


def _passes_with(rule: Rule, owners: list[Owner], flipped: set[str]) -> bool:
    changed = [Owner(o.key, o.area, AGREE) if o.key in flipped else o for o in owners]
    return tally_owners(rule, changed).passed


def _order(owners: list[Owner], keys) -> list[str]:
    by_key = {o.key: o for o in owners}
    return sorted(keys, key=lambda k: (by_key[k].choice is not None, -by_key[k].area, k))


def visit_next(rule: Rule, owners: list[Owner], *, time_limit: float | None = None) -> VisitPlan:
    """The fewest owners whose 同意 would make ``rule`` pass over ``owners`` (see the module's method)."""
    if tally_owners(rule, owners).passed:
        return VisitPlan(0, [], True)
    candidates = [o for o in owners if o.choice != AGREE]
    if not candidates or not _passes_with(rule, owners, {o.key for o in candidates}):
        return VisitPlan(None, [], True)
    exact_size = len(candidates) <= EXACT_LIMIT
    limit = None if exact_size else (time_limit or LARGE_TIME_LIMIT)
    keys, proven = _solve(rule, owners, candidates, time_limit=limit)
    if keys is None or not _passes_with(rule, owners, set(keys)):
        keys, proven = _greedy(rule, owners, candidates), False
    return VisitPlan(len(keys), _order(owners, keys), proven)


def _greedy(rule: Rule, owners: list[Owner], candidates: list[Owner]) -> list[str]:
    chosen: list[str] = []
    for o in sorted(candidates, key=lambda o: (o.choice is not None, -o.area, o.key)):
        chosen.append(o.key)
        if _passes_with(rule, owners, set(chosen)):
            break
    return chosen


def _solve(rule: Rule, owners: list[Owner], candidates: list[Owner], *, time_limit: float | None):
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp

    scale = math.lcm(*(Fraction(o.area).denominator for o in owners)) if owners else 1
    area = {o.key: int(Fraction(o.area) * scale) for o in owners}
    total_area = sum(area.values())
    total_heads = len(owners)
    voted_heads = sum(1 for o in owners if o.choice is not None)
    voted_area = sum(area[o.key] for o in owners if o.choice is not None)
    agree_heads = sum(1 for o in owners if o.choice == AGREE)
    agree_area = sum(area[o.key] for o in owners if o.choice == AGREE)
    n = len(candidates)
    one = np.ones(n)
    a = np.array([area[o.key] for o in candidates], dtype=float)
    new_voter = np.array([1.0 if o.choice is None else 0.0 for o in candidates])
    objector = np.array([1.0 if o.choice == DISAGREE else 0.0 for o in candidates])

    rows, lower = [], []

    def at_least(num_const, num_coef, den_const, den_coef, p: Fraction, strict: bool = False):
        # q·(num_const + num_coef·x) − p·(den_const + den_coef·x) ≥ 0 (or ≥ 1 when strict)
        q, pp = p.denominator, p.numerator
        rows.append(q * num_coef - pp * den_coef)
        lower.append(pp * den_const - q * num_const + (1 if strict else 0))

    zero = np.zeros(n)
    two_thirds, three_quarters, half = Fraction(2, 3), Fraction(3, 4), Fraction(1, 2)
    code = rule.code
    if code in (RuleCode.SPECIAL_278, RuleCode.ORDINARY_278):
        at_least(voted_area, a * new_voter, total_area, zero, two_thirds)
        at_least(voted_heads, new_voter, total_heads, zero, two_thirds)
        p, strict = (three_quarters, False) if code == RuleCode.SPECIAL_278 else (half, True)
        at_least(agree_area, a, voted_area, a * new_voter, p, strict)
        at_least(agree_heads, one, voted_heads, new_voter, p, strict)
    elif code == RuleCode.SHARE:
        if rule.share_of == ShareOf.AREA:
            at_least(agree_area, a, total_area, zero, rule.at_least)
        else:
            at_least(agree_heads, one, total_heads, zero, rule.at_least)
    elif code == RuleCode.ELEVATOR_SH_2011:
        at_least(agree_area, a, total_area, zero, Fraction(9, 10))
        at_least(agree_heads, one, total_heads, zero, Fraction(9, 10))
        rows.append(objector)  # every objection withdrawn
        lower.append(float(objector.sum()))
    elif code == RuleCode.MAJORITY:
        at_least(voted_heads, new_voter, total_heads, zero, half, True)
        at_least(agree_heads, one, voted_heads, new_voter, half, True)
    cost = one + (1 - new_voter) / (2 * n)  # prefer owners who have not voted, never at the cost of length
    options = {"disp": False}
    if time_limit is not None:
        options["time_limit"] = time_limit
    result = milp(cost, constraints=LinearConstraint(np.array(rows), np.array(lower, dtype=float), np.inf),
                  integrality=np.ones(n), bounds=Bounds(0, 1), options=options)
    if result.x is None:
        return None, False
    keys = [o.key for o, x in zip(candidates, result.x, strict=True) if x > 0.5]
    return keys, result.status == 0
