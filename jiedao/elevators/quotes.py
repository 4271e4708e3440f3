"""工程智能报价: the cost of one elevator from the cost table, the subsidy, and each dwelling's share.

Pure arithmetic over plain values, in yuan as ``Decimal`` (no floats):

- stops: one per floor (a 平层 elevator stops at every floor's landing, a 半层 one at the half-landings
  between them, with the ground stop either way), so ``stops = floors``;
- lines: each cost item times its basis: per elevator 1, per stop ``stops``, shaft per floor ``floors`` (the
  items of the chosen shaft only), corridor per floor above the ground ``floors − 1`` for 平层入户 (0 for
  半层), pipe relocation 1 when the survey says the pipes must move;
- subsidy: ``min(total × rate, cap)``, to the fen;
- net: ``total − subsidy``, shared by the dwellings by the coefficient of their floor; shares are rounded
  to the fen by the largest remainder, so they add up to ``net`` exactly.
"""

from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

FEN = Decimal("0.01")


@dataclass(frozen=True)
class Item:
    code: str
    name: str
    basis: str  # CostItem.Basis
    amount: Decimal
    shaft: str = ""


@dataclass(frozen=True)
class Dwelling:
    key: str  # the household's id, as text
    room: str
    floor: int


def quantity(item: Item, *, floors: int, entry: str, shaft: str, pipes_relocate: bool) -> int:
    if item.shaft and item.shaft != shaft:
        return 0
    return {
        "elevator": 1,
        "stop": floors,
        "shaft_floor": floors,
        "corridor": floors - 1 if entry == "level" else 0,
        "pipes": 1 if pipes_relocate else 0,
    }[item.basis]


def price(items: list[Item], *, floors: int, entry: str, shaft: str,
          pipes_relocate: bool) -> tuple[list[dict], Decimal]:
    """The quote's lines (items that apply, with quantity and subtotal) and their total."""
    if floors < 2:
        raise ValidationError({"floors": _("楼层数应至少为 2 层，才需要加装电梯")})
    lines, total = [], Decimal("0")
    for item in items:
        n = quantity(item, floors=floors, entry=entry, shaft=shaft, pipes_relocate=pipes_relocate)
        if n:
            subtotal = (item.amount * n).quantize(FEN)
            lines.append({"code": item.code, "name": item.name, "basis": item.basis, "unit_price": str(item.amount),
                          "quantity": n, "subtotal": str(subtotal)})
            total += subtotal
    return lines, total


def subsidy(total: Decimal, *, rate: Decimal, cap: Decimal) -> Decimal:
    """政府补贴: ``rate`` of the total, at most ``cap``."""
    return min((total * rate).quantize(FEN, rounding=ROUND_HALF_UP), cap)


def coefficient_of(floor: int, table: dict[int, Decimal]) -> Decimal:
    """The sharing coefficient of ``floor``; floors above the table's top take the top's."""
    if floor in table:
        return table[floor]
    below = [f for f in table if f <= floor]
    return table[max(below)] if below else Decimal("0")


def shares(net: Decimal, dwellings: list[Dwelling], table: dict[int, Decimal]) -> list[dict]:
    """Each dwelling's share of ``net`` by its floor's coefficient; the shares add up to ``net`` exactly."""
    if not dwellings:
        raise ValidationError(_("该单元在实有人口库中没有登记住户，无法分摊费用：请先登记各户"))
    weights = [coefficient_of(d.floor, table) for d in dwellings]
    parts = sum(weights)
    if parts <= 0:
        raise ValidationError(_("分摊系数合计为 0（只有底层住户？），请检查分摊系数表"))
    exact = [net * w / parts for w in weights]
    rounded = [e.quantize(FEN, rounding=ROUND_DOWN) for e in exact]
    left = int(((net - sum(rounded)) / FEN).to_integral_value())
    # Largest remainder first; ties go to the higher floor, then the door order, so the result is fixed.
    order = sorted(range(len(dwellings)), key=lambda i: (-(exact[i] - rounded[i]), -dwellings[i].floor, i))
    for i in order[:left]:
        rounded[i] += FEN
    return [{"household": d.key, "room": d.room, "floor": d.floor, "coefficient": str(w), "amount": str(a)}
            for d, w, a in zip(dwellings, weights, rounded, strict=True)]
