"""A small, safe formula language for computed indicators (计算公式), in the manner of DHIS2.

An indicator's value is ``numerator / denominator × factor`` where numerator and denominator are
expressions over *data elements* that modules register in code (planning.elements)::

    {registry.residents_60_plus}                 # an element
    {registry.residents_60_plus} * 100 / {registry.residents}
    ({planning.roads_completed} + 2) / 8

Numbers, the four operators, unary minus, parentheses and ``{element}`` references: nothing else. The
expression is parsed by hand into a tiny tree, never handed to ``eval``; unknown elements, stray
characters and unbalanced parentheses are Chinese ValidationErrors naming the problem.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, DivisionByZero, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_LENGTH = 500
_TOKEN = re.compile(r"\s*(?:(?P<num>\d+(?:\.\d+)?)|\{(?P<ref>[^{}]*)\}|(?P<op>[-+*/()]))")
_ELEMENT_CODE = re.compile(r"^[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+$")


@dataclass(frozen=True)
class Num:
    value: Decimal


@dataclass(frozen=True)
class Ref:
    code: str


@dataclass(frozen=True)
class Neg:
    operand: object


@dataclass(frozen=True)
class BinOp:
    op: str
    left: object
    right: object


class FormulaError(ValidationError):
    pass


def _tokens(text: str) -> list[tuple[str, str]]:
    out, pos = [], 0
    text = text.rstrip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match:
            rest = text[pos:]
            at = pos + len(rest) - len(rest.lstrip())
            raise FormulaError(
                _("公式第 %(pos)s 个字符「%(char)s」无法识别：只能使用数字、+ - * / ( ) 和 {数据元素}") % {
                    "pos": at + 1, "char": text[at]},
                code="formula",
            )
        kind = match.lastgroup
        value = match.group(kind)
        if kind == "ref":
            value = value.strip()
            if not _ELEMENT_CODE.match(value):
                raise FormulaError(
                    _("数据元素名「%(name)s」格式有误：应为「模块.元素」，如 {registry.residents}") % {"name": value},
                    code="formula",
                )
        out.append((kind, value))
        pos = match.end()
    return out


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]]):
        self.tokens = tokens
        self.i = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise FormulaError(_("公式不完整：结尾缺少数字或数据元素"), code="formula")
        self.i += 1
        return token

    def expr(self):
        node = self.term()
        while (t := self.peek()) and t[1] in "+-" and t[0] == "op":
            self.i += 1
            node = BinOp(t[1], node, self.term())
        return node

    def term(self):
        node = self.factor()
        while (t := self.peek()) and t[1] in "*/" and t[0] == "op":
            self.i += 1
            node = BinOp(t[1], node, self.factor())
        return node

    def factor(self):
        kind, value = self.take()
        if kind == "num":
            return Num(Decimal(value))
        if kind == "ref":
            return Ref(value)
        if value == "-":
            return Neg(self.factor())
        if value == "(":
            node = self.expr()
            closing = self.peek()
            if closing != ("op", ")"):
                raise FormulaError(_("公式括号不匹配：缺少右括号「)」"), code="formula")
            self.i += 1
            return node
        raise FormulaError(
            _("公式在「%(op)s」处不完整：运算符前后都需要数字或数据元素") % {"op": value}, code="formula"
        )


def parse(text: str):
    """The expression tree of ``text``; ValidationError (Chinese) when it is not a formula."""
    text = (text or "").strip()
    if not text:
        raise FormulaError(_("公式不能为空"), code="formula")
    if len(text) > MAX_LENGTH:
        raise FormulaError(_("公式过长（最多 %(n)s 个字符）") % {"n": MAX_LENGTH}, code="formula")
    parser = _Parser(_tokens(text))
    tree = parser.expr()
    if parser.peek() is not None:
        _kind, value = parser.peek()
        if value == ")":
            raise FormulaError(_("公式括号不匹配：多了右括号「)」"), code="formula")
        raise FormulaError(_("公式在「%(token)s」处多出内容：两个数值之间缺少运算符") % {"token": value},
                           code="formula")
    return tree


def references(tree) -> list[str]:
    """Element codes the expression uses, in order of first use."""
    found: list[str] = []

    def walk(node):
        if isinstance(node, Ref) and node.code not in found:
            found.append(node.code)
        elif isinstance(node, Neg):
            walk(node.operand)
        elif isinstance(node, BinOp):
            walk(node.left)
            walk(node.right)

    walk(tree)
    return found


def evaluate(tree, lookup: Callable[[str], Decimal]) -> Decimal:
    """The value of the expression with each element's value from ``lookup``.

    Raises ``ZeroDivisionError`` when a divisor is zero: the caller reports "分母为 0" for the period.
    """
    if isinstance(tree, Num):
        return tree.value
    if isinstance(tree, Ref):
        return Decimal(lookup(tree.code))
    if isinstance(tree, Neg):
        return -evaluate(tree.operand, lookup)
    left, right = evaluate(tree.left, lookup), evaluate(tree.right, lookup)
    if tree.op == "+":
        return left + right
    if tree.op == "-":
        return left - right
    if tree.op == "*":
        return left * right
    if right == 0:
        raise ZeroDivisionError
    try:
        return left / right
    except (DivisionByZero, InvalidOperation) as exc:  # pragma: no cover - guarded above
        raise ZeroDivisionError from exc
