"""Each rule at its boundaries: exactly 2/3, exactly 3/4, exactly one half, one buyer with three dwellings,
the developer's unsold dwellings, thresholds that make no sense."""

from decimal import Decimal
from fractions import Fraction

import pytest

from jiedao.consult.rules import DEVELOPER_KEY, Rule, RuleError, Unit, tally


def units(n: int, area: str = "50.00") -> list[Unit]:
    return [Unit(f"u{i}", f"p{i}", Decimal(area)) for i in range(n)]


def votes(**by_choice) -> dict[str, str]:
    out = {}
    for choice, owners in by_choice.items():
        out.update({f"p{i}": choice for i in owners})
    return out


SPECIAL, ORDINARY = Rule.of("278-special"), Rule.of("278-ordinary")


def test_special_passes_at_exactly_two_thirds_participation_and_three_quarters_agreement():
    # 12 equal owners: 8 take part (exactly 2/3), 6 of them agree (exactly 3/4)
    t = tally(SPECIAL, units(12), votes(agree=range(6), disagree=range(6, 8)))
    assert (t.participation_heads, t.participation_area) == (Fraction(2, 3), Fraction(2, 3))
    assert (t.agreement_heads, t.agreement_area) == (Fraction(3, 4), Fraction(3, 4))
    assert t.passed


def test_special_fails_one_short_of_two_thirds_participation():
    t = tally(SPECIAL, units(12), votes(agree=range(7)))  # 7/12 take part, all agree
    assert t.participation_heads == Fraction(7, 12) and not t.passed


def test_special_fails_just_under_three_quarters_agreement_by_area():
    # Heads: 6 of 8 agree (3/4); area: the objectors are a little larger, so agreement area < 3/4.
    us = units(10)
    us[6] = Unit("u6", "p6", Decimal("50.01"))
    t = tally(SPECIAL, us, votes(agree=range(6), disagree=range(6, 8)))
    assert t.agreement_heads == Fraction(3, 4)
    assert t.agreement_area == Fraction(300 * 100, 40001)  # 300.00 / 400.01
    assert t.agreement_area < Fraction(3, 4) and not t.passed


def test_special_needs_both_area_and_heads_two_thirds():
    # 3 owners: one large owner (area 100) votes, two small ones do not → area ≥ 2/3 but heads 1/3.
    us = [Unit("a", "big", Decimal("100")), Unit("b", "s1", Decimal("10")), Unit("c", "s2", Decimal("10"))]
    t = tally(SPECIAL, us, {"big": "agree"})
    assert t.participation_area >= Fraction(2, 3) and t.participation_heads == Fraction(1, 3)
    assert not t.passed


def test_ordinary_fails_at_exactly_one_half_and_passes_just_above():
    # 8 owners, all take part; 4 agree: exactly one half is not 过半数.
    assert not tally(ORDINARY, units(8), votes(agree=range(4), disagree=range(4, 8))).passed
    assert tally(ORDINARY, units(8), votes(agree=range(5), disagree=range(5, 8))).passed


def test_ordinary_abstentions_take_part_but_do_not_agree():
    t = tally(ORDINARY, units(6), votes(agree=range(3), abstain=range(3, 6)))
    assert t.participation_heads == 1 and t.agreement_heads == Fraction(1, 2) and not t.passed


def test_one_buyer_with_three_dwellings_counts_as_one_head_with_their_whole_area():
    us = [Unit("1-101", "buyer", Decimal("50")), Unit("1-102", "buyer", Decimal("50")),
          Unit("1-103", "buyer", Decimal("50")), Unit("1-201", "p1", Decimal("50")),
          Unit("1-202", "p2", Decimal("50"))]
    t = tally(SPECIAL, us, {"buyer": "agree"})
    assert t.total_heads == 3 and t.voted_heads == 1
    assert t.participation_area == Fraction(3, 5) and t.participation_heads == Fraction(1, 3)
    assert not t.passed  # 3/5 of the area, 1/3 of the heads
    t = tally(SPECIAL, us, {"buyer": "agree", "p1": "agree"})
    assert t.participation_area == Fraction(4, 5) and t.participation_heads == Fraction(2, 3) and t.passed


def test_the_developers_unsold_dwellings_count_as_one_head_together():
    us = units(3) + [Unit(f"d{i}", DEVELOPER_KEY, Decimal("50.00")) for i in range(5)]
    t = tally(SPECIAL, us, votes(agree=range(3)))
    assert t.total_heads == 4 and t.participation_heads == Fraction(3, 4)
    assert t.participation_area == Fraction(3, 8) and not t.passed  # the developer holds 5/8 of the area
    t = tally(SPECIAL, us, {**votes(agree=range(2)), DEVELOPER_KEY: "agree"})
    assert t.total_heads == 4 and t.agree_heads == 3 and t.participation_area == Fraction(7, 8) and t.passed


def test_areas_are_exact_decimals():
    us = [Unit("a", "p1", Decimal("55.20")), Unit("b", "p2", Decimal("44.80")), Unit("c", "p3", Decimal("0.10"))]
    t = tally(SPECIAL, us, {"p1": "agree", "p2": "agree"})
    assert t.participation_area == Fraction(1000, 1001)


def test_share_rule_counts_of_the_whole_electorate_at_the_threshold():
    rule = Rule.of("share", share_of="heads", at_least="9/10")
    assert tally(rule, units(10), votes(agree=range(9))).passed  # exactly 90 %: 以上 includes it
    assert not tally(rule, units(10), votes(agree=range(8), disagree=[8, 9])).passed
    by_area = Rule.of("share", share_of="area", at_least="0.85")
    us = [Unit("a", "p0", Decimal("85")), Unit("b", "p1", Decimal("10")), Unit("c", "p2", Decimal("5"))]
    assert tally(by_area, us, {"p0": "agree"}).passed
    assert not tally(by_area, us, {"p1": "agree", "p2": "agree"}).passed


def test_pre_2021_elevator_rule_needs_ninety_percent_and_no_objection():
    rule = Rule.of("sh-elevator-2011")
    assert tally(rule, units(10), votes(agree=range(9))).passed
    assert not tally(rule, units(10), votes(agree=range(9), disagree=[9])).passed  # a clear objection
    assert not tally(rule, units(10), votes(agree=range(8))).passed


def test_majority_of_members_taking_part():
    rule = Rule.of("majority")
    assert tally(rule, units(7), votes(agree=range(3), disagree=[3])).passed  # 4 of 7 present, 3 of 4 agree
    assert not tally(rule, units(8), votes(agree=range(2), disagree=[2, 3])).passed  # half present is no quorum
    assert not tally(rule, units(7), votes(agree=range(2), disagree=[2, 3])).passed  # 2 of 4: not more than half


@pytest.mark.parametrize("threshold", ["1.5", "-0.1", "0", "11/10", "abc", 0.9])
def test_thresholds_that_make_no_sense_are_refused_in_chinese(threshold):
    with pytest.raises(RuleError) as exc:
        Rule.of("share", at_least=threshold)
    assert "门槛" in str(exc.value)


def test_an_unknown_rule_or_choice_is_refused():
    with pytest.raises(RuleError, match="未知的表决规则"):
        Rule.of("unanimous")
    with pytest.raises(RuleError, match="选票"):
        tally(SPECIAL, units(2), {"p0": "yes"})
