"""The rules of a vote (表决规则) as data, and the one pure tally function that applies them.

Nothing here touches the database: ``tally(rule, units, ballots)`` takes the electorate (one ``Unit`` per
专有部分 or household, each with its owner's key and registered area) and the last ballot of each owner, and
answers whether the matter passes, with exact ratios. ``visit_next`` (in ``jiedao.consult.visitnext``) asks
the same function which owners' agreement would make it pass.

Counting (最高人民法院《关于审理建筑物区分所有权纠纷案件具体应用法律若干问题的解释》 arts. 8–9):

* area: the sum of the registered areas (专有部分面积) of the owners' dwellings;
* heads (人数): one per owner, so several dwellings of one buyer count once, and the developer's unsold or
  undelivered dwellings count once together (they all carry one owner key);
* "以上"/"以下" include the boundary (Civil Code art. 1259), "过半数" / "超过" do not.

All arithmetic is exact: areas are ``Decimal`` (as registered, e.g. ``55.20``) summed without rounding,
ratios are ``fractions.Fraction``. No floats.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation, localcontext
from fractions import Fraction
from typing import NamedTuple

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop


class RuleCode(models.TextChoices):
    SPECIAL_278 = "278-special", _("民法典第278条 特别事项（双三分之二参与、双四分之三同意）")
    ORDINARY_278 = "278-ordinary", _("民法典第278条 一般事项（双三分之二参与、双过半数同意）")
    SHARE = "share", _("比例征询（旧改、成套改造等，按项目设定）")
    ELEVATOR_SH_2011 = "sh-elevator-2011", _("上海加装电梯旧规（2021年前：本幢九成同意且无明确反对）")
    MAJORITY = "majority", _("议事过半数（红色议事厅、1+3+X联席会议）")


class Choice(models.TextChoices):
    AGREE = "agree", _("同意")
    DISAGREE = "disagree", _("不同意")
    ABSTAIN = "abstain", _("弃权")


class ShareOf(models.TextChoices):
    HEADS = "heads", _("按户数（人数）")
    AREA = "area", _("按面积")


# Plain strings for the hot loops: an enum member's attribute lookup costs more than the tally itself.
AGREE, DISAGREE, ABSTAIN = "agree", "disagree", "abstain"
CHOICES = frozenset((AGREE, DISAGREE, ABSTAIN))

DEVELOPER_KEY = "developer"  # the one owner key of all the developer's unsold or undelivered dwellings


class RuleError(ValueError):
    """A rule or an electorate that cannot be tallied; the message is Chinese and names the fix."""


@dataclass(frozen=True)
class Rule:
    """A rule as data. ``share_of`` and ``at_least`` serve the share rule only."""

    code: str
    share_of: str = ShareOf.HEADS
    at_least: Fraction = Fraction(9, 10)

    @classmethod
    def of(cls, code: str, *, share_of: str | None = None, at_least=None) -> "Rule":
        """A checked rule: an unknown code, an unknown basis or a threshold outside (0, 1] is refused."""
        if code not in RuleCode.values:
            raise RuleError(f"未知的表决规则“{code}”：应为 {'、'.join(RuleCode.values)} 之一")
        if code != RuleCode.SHARE:
            return cls(code=code)
        share_of = share_of or ShareOf.HEADS
        if share_of not in ShareOf.values:
            raise RuleError(f"比例征询的计算依据“{share_of}”无效：应为 heads（按户数）或 area（按面积）")
        return cls(code=code, share_of=share_of, at_least=parse_threshold(at_least if at_least is not None else "9/10"))

    @property
    def uses_area(self) -> bool:
        return self.code in (RuleCode.SPECIAL_278, RuleCode.ORDINARY_278, RuleCode.ELEVATOR_SH_2011) or (
            self.code == RuleCode.SHARE and self.share_of == ShareOf.AREA)


def parse_threshold(value) -> Fraction:
    """A threshold such as ``"9/10"``, ``"0.85"`` or ``Fraction(4, 5)``: exact, and in (0, 1]."""
    if isinstance(value, float):
        raise RuleError("比例门槛请写成分数或小数字符串（如 \"9/10\" 或 \"0.9\"），不要用浮点数")
    try:
        threshold = Fraction(str(value).strip()) if not isinstance(value, Fraction) else value
    except (ValueError, ZeroDivisionError):
        raise RuleError(f"比例门槛“{value}”无法识别：请写成如 9/10 或 0.85") from None
    if threshold <= 0 or threshold > 1:
        raise RuleError(f"比例门槛 {value} 不合理：必须大于 0 且不超过 1（100%）")
    return threshold


def parse_area(value) -> Decimal:
    """A registered area in m², exact: a decimal string or Decimal, not negative."""
    if isinstance(value, float):
        raise RuleError("面积请写成小数字符串（如 \"55.20\"），不要用浮点数")
    try:
        area = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise RuleError(f"面积“{value}”不是数字") from None
    if not area.is_finite() or area < 0:
        raise RuleError(f"面积 {value} 不合理：必须是不小于 0 的数字")
    return area


class Unit(NamedTuple):
    """One 专有部分 (or household) of the electorate: its id, its owner's key and its registered area."""

    id: str
    owner: str
    area: Decimal = Decimal(0)


class Owner(NamedTuple):
    """An owner (one head): the sum of their dwellings' areas, and their ballot (None: did not vote)."""

    key: str
    area: Decimal
    choice: str | None


@dataclass
class Tally:
    """The result of one tally. Ratios are exact fractions; ``participation`` is of the whole electorate,
    ``agreement`` of those taking part (278 rules, 议事) or of the whole electorate (share rules, 2011 rule)."""

    rule: Rule
    passed: bool
    total_area: Fraction
    total_heads: int
    voted_area: Fraction
    voted_heads: int
    agree_area: Fraction
    agree_heads: int
    disagree_heads: int
    participation_area: Fraction
    participation_heads: Fraction
    agreement_area: Fraction
    agreement_heads: Fraction
    conditions: list[tuple[str, bool]] = field(default_factory=list)  # (what, met) in words, for the board


def owners_of(units: Iterable[Unit], ballots: Mapping[str, str]) -> list[Owner]:
    """Group the units by owner key (one head each) and attach each owner's ballot."""
    areas: dict[str, Decimal] = {}
    zero = Decimal(0)
    with localcontext() as ctx:
        ctx.prec = 200  # registered areas are short decimals: their sums stay exact
        for _id, owner, area in units:
            areas[owner] = areas.get(owner, zero) + area
    for choice in ballots.values():
        if choice not in CHOICES:
            raise RuleError(f"选票“{choice}”无效：应为 agree（同意）、disagree（不同意）或 abstain（弃权）")
    return [Owner(key, area, ballots.get(key)) for key, area in areas.items()]


def _ratio(num, den) -> Fraction:
    return Fraction(num) / Fraction(den) if den else Fraction(0)


def tally(rule: Rule, units: Iterable[Unit], ballots: Mapping[str, str]) -> Tally:
    """Apply ``rule`` to the electorate ``units`` and the owners' ``ballots`` (owner key → choice; an owner
    absent from ``ballots`` did not vote). The one implementation of every rule."""
    return tally_owners(rule, owners_of(units, ballots))


def tally_owners(rule: Rule, owners: list[Owner]) -> Tally:
    """The same over owners already grouped (``owners_of``)."""
    return decide(rule, totals_of(owners))


def totals_of(owners: list[Owner]) -> "Totals":
    """The sums every rule looks at, in one pass (the hot loop of every board and bench)."""
    total_area = voted_area = agree_area = Decimal(0)
    voted_heads = agree_heads = disagree_heads = 0
    with localcontext() as ctx:
        ctx.prec = 200  # registered areas are short decimals: their sums stay exact
        for _key, area, choice in owners:
            total_area += area
            if choice is not None:
                voted_heads += 1
                voted_area += area
                if choice == AGREE:
                    agree_heads += 1
                    agree_area += area
                elif choice == DISAGREE:
                    disagree_heads += 1
    return Totals(total_area, len(owners), voted_area, voted_heads, agree_area, agree_heads, disagree_heads)


class Totals(NamedTuple):
    """What every rule looks at: the electorate's and the ballots' sums (areas exact)."""

    total_area: Decimal
    total_heads: int
    voted_area: Decimal
    voted_heads: int
    agree_area: Decimal
    agree_heads: int
    disagree_heads: int


def decide(rule: Rule, totals: Totals) -> Tally:
    """The rule applied to the sums: the one place each rule's conditions are written."""
    (total_area, total_heads, voted_area, voted_heads, agree_area, agree_heads, disagree_heads) = totals
    t = Tally(
        rule=rule, passed=False, total_area=Fraction(total_area), total_heads=total_heads,
        voted_area=Fraction(voted_area), voted_heads=voted_heads, agree_area=Fraction(agree_area),
        agree_heads=agree_heads, disagree_heads=disagree_heads,
        participation_area=_ratio(voted_area, total_area), participation_heads=_ratio(voted_heads, total_heads),
        agreement_area=_ratio(agree_area, voted_area), agreement_heads=_ratio(agree_heads, voted_heads),
    )
    if total_heads == 0:
        t.conditions = [(gettext_noop("表决人为空"), False)]
        return t
    two_thirds, three_quarters, half = Fraction(2, 3), Fraction(3, 4), Fraction(1, 2)
    if rule.code in (RuleCode.SPECIAL_278, RuleCode.ORDINARY_278):
        conditions = [
            (gettext_noop("参与表决的专有部分面积占总面积三分之二以上"), t.participation_area >= two_thirds),
            (gettext_noop("参与表决人数占总人数三分之二以上"), t.participation_heads >= two_thirds),
        ]
        if rule.code == RuleCode.SPECIAL_278:
            conditions += [
                (gettext_noop("同意的面积占参与表决面积四分之三以上"),
                 voted_heads > 0 and t.agreement_area >= three_quarters),
                (gettext_noop("同意的人数占参与表决人数四分之三以上"),
                 voted_heads > 0 and t.agreement_heads >= three_quarters),
            ]
        else:
            conditions += [
                (gettext_noop("同意的面积超过参与表决面积的半数"), t.agreement_area > half),
                (gettext_noop("同意的人数超过参与表决人数的半数"), t.agreement_heads > half),
            ]
    elif rule.code == RuleCode.SHARE:
        t.agreement_area, t.agreement_heads = _ratio(agree_area, total_area), _ratio(agree_heads, total_heads)
        basis = t.agreement_area if rule.share_of == ShareOf.AREA else t.agreement_heads
        what = "面积" if rule.share_of == ShareOf.AREA else "户数"
        conditions = [(f"同意的{what}占全部{what} {rule.at_least} 以上", basis >= rule.at_least)]
    elif rule.code == RuleCode.ELEVATOR_SH_2011:
        t.agreement_area, t.agreement_heads = _ratio(agree_area, total_area), _ratio(agree_heads, total_heads)
        nine_tenths = Fraction(9, 10)
        conditions = [
            (gettext_noop("同意的面积占本幢总面积百分之九十以上"), t.agreement_area >= nine_tenths),
            (gettext_noop("同意的人数占本幢总人数百分之九十以上"), t.agreement_heads >= nine_tenths),
            (gettext_noop("无明确反对"), disagree_heads == 0),
        ]
    elif rule.code == RuleCode.MAJORITY:
        conditions = [
            (gettext_noop("到会（参与表决）成员过半数"), t.participation_heads > half),
            (gettext_noop("同意的成员超过参与表决成员的半数"), t.agreement_heads > half),
        ]
    else:  # Rule.of refuses unknown codes; a hand-built Rule with one is a programming error
        raise RuleError(f"未知的表决规则“{rule.code}”")
    t.conditions = conditions
    t.passed = all(met for _what, met in conditions)
    return t


def fraction_text(value: Fraction) -> str:
    """``331/500``: a reduced fraction, always with its denominator (``0/1``, ``1/1``)."""
    return f"{value.numerator}/{value.denominator}"
