"""The tally's line protocol (``jiedao consult-tally --json -``): one JSON object in, one out, per line.

In::

    {"rule": "278-special" | "278-ordinary" | "share" | "sh-elevator-2011" | "majority",
     "share": {"of": "heads" | "area", "at_least": "9/10"},          (share rule only)
     "units": [{"id": "3-101", "owner": "p1", "area": "55.20"}, ...],
     "ballots": {"p1": "agree" | "disagree" | "abstain", ...}}

Out::

    {"passed": true, "participation": {"area": "a/b", "heads": "c/d"},
     "agreement": {"area": "e/f", "heads": "g/h"}, "needed": 0, "visit_next": ["p7", ...]}

Ratios are reduced fractions of the exact decimal areas; an area may be a JSON string or number (numbers are
read as decimals, never as floats). ``needed`` is null when even everyone's agreement would not pass. A
malformed line answers ``{"error": "…"}`` (Chinese) and the next line goes on.
"""

import json
from decimal import Decimal

from jiedao.consult.rules import Choice, Rule, RuleError, Unit, fraction_text, owners_of, parse_area, tally_owners
from jiedao.consult.visitnext import visit_next


def _unit(i: int, raw) -> Unit:
    if not isinstance(raw, dict):
        raise RuleError(f"units[{i}] 应是对象")
    uid, owner = raw.get("id"), raw.get("owner")
    if not isinstance(uid, str | int) or not isinstance(owner, str | int) or str(owner) == "":
        raise RuleError(f"units[{i}] 缺少 id 或 owner")
    if "area" not in raw or raw["area"] is None:
        raise RuleError(f"units[{i}]（{uid}）缺少面积 area")
    try:
        area = parse_area(raw["area"])
    except RuleError as exc:
        raise RuleError(f"units[{i}]（{uid}）：{exc}") from None
    return Unit(str(uid), str(owner), area)


def answer(line: str) -> dict:
    """The answer to one line of the protocol."""
    try:
        data = json.loads(line, parse_float=Decimal)
    except ValueError as exc:
        return {"error": f"不是合法的 JSON：{exc}"}
    try:
        if not isinstance(data, dict):
            raise RuleError("每行应是一个 JSON 对象")
        share = data.get("share") or {}
        if not isinstance(share, dict):
            raise RuleError("share 应是对象，如 {\"of\": \"heads\", \"at_least\": \"9/10\"}")
        rule = Rule.of(str(data.get("rule", "")), share_of=share.get("of"), at_least=share.get("at_least"))
        raw_units = data.get("units")
        if not isinstance(raw_units, list) or not raw_units:
            raise RuleError("units 应是非空数组")
        units = [_unit(i, u) for i, u in enumerate(raw_units)]
        ids = [u.id for u in units]
        if len(set(ids)) != len(ids):
            raise RuleError("units 中有重复的 id")
        ballots = data.get("ballots") or {}
        if not isinstance(ballots, dict):
            raise RuleError("ballots 应是对象（业主 → agree / disagree / abstain）")
        known = {u.owner for u in units}
        strangers = sorted(str(k) for k in ballots if str(k) not in known)
        if strangers:
            raise RuleError(f"ballots 中的 {'、'.join(strangers[:5])} 不是 units 中的业主")
        ballots = {str(k): v for k, v in ballots.items()}
        bad = [k for k, v in ballots.items() if v not in Choice.values]
        if bad:
            raise RuleError(f"业主 {bad[0]} 的选票“{ballots[bad[0]]}”无效：应为 agree、disagree 或 abstain")
        owners = owners_of(units, ballots)
    except RuleError as exc:
        return {"error": str(exc)}
    t = tally_owners(rule, owners)
    plan = visit_next(rule, owners)
    return {
        "passed": t.passed,
        "participation": {"area": fraction_text(t.participation_area), "heads": fraction_text(t.participation_heads)},
        "agreement": {"area": fraction_text(t.agreement_area), "heads": fraction_text(t.agreement_heads)},
        "needed": plan.needed,
        "visit_next": plan.keys,
    }
