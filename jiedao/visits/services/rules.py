"""The plan's rules as they apply: the subdistrict's defaults, a 居委's own rules in their place, and the
periodic rule a household is visited by."""

from collections import defaultdict

from jiedao.visits import defaults
from jiedao.visits.models import RuleKind, VisitRule


def rules_by_community(*, subdistrict_id: int) -> dict[int | None, list[VisitRule]]:
    """The rules in force: the subdistrict's defaults (key None) and, per 居委 with a plan of its own, the
    defaults with its own rules in place of those of the same code. Only active rules. A subdistrict with
    no rules yet gets the shipped defaults first (``visits.defaults``)."""
    defaults.install(subdistrict_id=subdistrict_id)
    rules = list(VisitRule.objects.filter(subdistrict_id=subdistrict_id))
    base = {r.code: r for r in rules if r.community_id is None}
    out: dict[int | None, list[VisitRule]] = {None: [r for r in base.values() if r.active]}
    own: dict[int, dict[str, VisitRule]] = defaultdict(dict)
    for r in rules:
        if r.community_id is not None:
            own[r.community_id][r.code] = r
    for community_id, mine in own.items():
        merged = {**base, **mine}
        out[community_id] = [r for r in merged.values() if r.active]
    return out


def rules_for(rules: dict[int | None, list[VisitRule]], community_id: int) -> list[VisitRule]:
    return rules.get(community_id, rules[None])


def periodic_rule_for(rules: list[VisitRule], colour: str) -> VisitRule | None:
    """The periodic rule a household of ``colour`` is visited by: the most frequent that applies."""
    applicable = [r for r in rules if r.periodic and r.every_months
                  and (r.kind == RuleKind.ALL or (r.kind == RuleKind.COLOUR and r.colour == colour))]
    return min(applicable, key=lambda r: (r.every_months, r.order)) if applicable else None
