"""Free text that leaves the staff side (Open311, the public plan pages, the resident portal): the phone and
ID numbers people write into it, masked in every common written form.

``mask_public_text(text)`` masks
- mainland mobiles: ``13912345678``, ``139-1234-5678``, ``139 1234 5678``, ``139.1234.5678``, ``139-12345678``,
  with ``+86`` / ``0086`` / ``(+86)`` in front or not → ``139****5678``;
- landlines with an area code: ``021-62541234``, ``(021) 6254 1234``, ``+86 21 6254 1234`` → ``021-****1234``;
  and local numbers without one: ``62541234``, ``6254-1234`` → ``****1234``;
- resident ID numbers (18 characters, the last may be X), plain or grouped 6-8-4 or 4-4-4-4-2 →
  ``3101**********1234``;
in half-width or full-width digits (``１３９１２３４５６７８``), with ASCII, full-width or typographic dashes, dots
and spaces. The masks keep what ``core.crypto.mask_phone`` / ``mask_id_number`` keep on the staff side.

What it leaves alone: dates (``20261123``, ``2026-11-23``), amounts (``12345678元``, ``¥12345678``,
``1234567.89``), numbers after a label such as 工单编号 / 案件 / 编号 (``工单编号 26112301``), house and room
numbers (``12号301室``), case numbers (15 digits) and service numbers (12345, 962121). A local number is the
one ambiguous form (eight digits alone); it is masked unless one of those readings applies.
"""

import datetime as dt
import re

from jiedao.core.crypto import mask_id_number

# One character for one character, so that a match in the folded text has the same span in the original.
_FOLD = str.maketrans({
    **{chr(0xFF10 + i): str(i) for i in range(10)},           # full-width digits
    "Ｘ": "X", "ｘ": "x",
    "＋": "+", "（": "(", "）": ")", "．": ".", "·": ".", "・": ".",
    "－": "-", "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "−": "-", "﹣": "-",
    "\u3000": " ", "\xa0": " ", "\u2009": " ", "\u202f": " ", "\t": " ",
})

# Between groups of digits: one space, or a dash or dot with a space on either side or not.
_SEP = r"(?:\ ?[-.]\ ?|\ )"
_CC = r"(?:\(\+86\)|\+86|0086)(?:\ ?-\ ?|\ )?"     # the country code, as people write it

_ID = re.compile(rf"""
    (?<![0-9])
    (?: [1-9]\d{{16}}[0-9Xx]
      | [1-9]\d{{5}} (?P<a>{_SEP}) \d{{8}} (?P=a) \d{{3}}[0-9Xx]
      | [1-9]\d{{3}} (?P<b>{_SEP}) \d{{4}} (?P=b) \d{{4}} (?P=b) \d{{4}} (?P=b) \d[0-9Xx] )
    (?![0-9A-Za-z])
""", re.VERBOSE)

_MOBILE = re.compile(rf"""
    (?<![0-9+])
    (?:{_CC})?
    (?: 1[3-9]\d{{9}}
      | 1[3-9]\d (?P<a>{_SEP}) \d{{4}} (?P=a) \d{{4}}
      | 1[3-9]\d {_SEP} \d{{8}}
      | 1[3-9]\d{{2}} (?P<b>{_SEP}) \d{{3}} (?P=b) \d{{4}}
      | 1[3-9]\d{{2}} (?P<c>{_SEP}) \d{{4}} (?P=c) \d{{3}} )
    (?![0-9])
""", re.VERBOSE)

_AREA_DIGITS = r"(?:10|2\d|[3-9]\d\d)"            # 010, 021 …, 0571 …: the area codes' lengths
_AREA = "0" + _AREA_DIGITS
_LOCAL = rf"(?:[2-9]\d{{7}}|[2-9]\d{{3}}{_SEP}\d{{4}}|[2-9]\d{{6}}|[2-9]\d{{2}}{_SEP}\d{{4}})"

_LANDLINE = re.compile(rf"""
    (?<![0-9])
    (?: \(\ ?(?P<area1>{_AREA})\ ?\)\ ?
      | (?P<area2>{_AREA}){_SEP}?
      | {_CC}(?:\(0\))?(?P<area3>{_AREA_DIGITS}){_SEP}? )
    (?P<local>{_LOCAL})
    (?![0-9])
""", re.VERBOSE)

_BARE_LOCAL = re.compile(rf"(?<![0-9*])(?<![0-9][.,])(?P<local>{_LOCAL})(?![0-9*])")

# What makes a bare number something other than a phone: a label before it, a unit or a decimal after it.
_LABEL_BEFORE = re.compile(r"(?:编号|单号|工单|案件|案号|订单|批号|序号|票号|卡号|账号"
                           r"|金额|价格|费用|合计|共计|No\.?|NO\.?|#|第|[¥￥$]|RMB|人民币)\s*[:：]?\s*$")
_UNIT_AFTER = re.compile(r"^\s*(?:[元万亿千百块角人户次件个名位辆台套间米平吨斤克天年月日]"
                         r"|[号室弄楼层栋幢期%％岁条份张页字项]|[.,]\d|㎡|kg|km)")
# Grouped digits with more groups of three or more beside them ("3000 4000 5000") are a list of numbers, not a
# phone; a house or room number beside a phone ("6254 1234 13号楼", "… 301室") is not such a group.
_GROUP_AFTER = re.compile(r"[ .-][0-9]{3}(?![0-9]*\s*[号室弄楼层栋幢户])")
_GROUP_BEFORE = re.compile(r"[0-9]{3}[ .-]$")


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit() or ch in "Xx")


def _looks_like_a_date(digits: str) -> bool:
    """20261123 (a date) or 20212025 (a range of years, as in 2021—2025)."""
    if len(digits) != 8 or not digits.startswith(("19", "20")):
        return False
    if digits[4:6] in ("19", "20"):
        return True
    try:
        dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        return False
    return True


def _mask_local(local: str) -> str:
    return "*" * (len(local) - 4) + local[-4:]


def _sub(pattern: re.Pattern, text: str, replace) -> str:
    """``pattern.sub`` matched in the folded text, replaced in the original (the two have the same spans)."""
    out, last = [], 0
    folded = text.translate(_FOLD)
    for match in pattern.finditer(folded):
        out += [text[last:match.start()], replace(match, text, folded)]
        last = match.end()
    return "".join(out) + text[last:] if out else text


def _id(match: re.Match, text: str, folded: str) -> str:
    return mask_id_number(_digits(match.group()).upper())


def _mobile(match: re.Match, text: str, folded: str) -> str:
    digits = _digits(match.group())[-11:]
    return digits[:3] + "****" + digits[-4:]


def _landline(match: re.Match, text: str, folded: str) -> str:
    area = match["area1"] or match["area2"] or "0" + match["area3"]
    return f"{area}-{_mask_local(_digits(match['local']))}"


def _bare_local(match: re.Match, text: str, folded: str) -> str:
    digits, start, end = _digits(match.group()), match.start(), match.end()
    grouped = len(digits) < end - start
    in_a_list = grouped and (_GROUP_AFTER.match(folded, end) or _GROUP_BEFORE.search(folded[max(0, start - 4):start]))
    if (_looks_like_a_date(digits) or in_a_list or _LABEL_BEFORE.search(folded[max(0, start - 8):start])
            or _UNIT_AFTER.match(folded[end:end + 4])):
        return text[start:end]
    return _mask_local(digits)


def mask_public_text(text: str | None) -> str:
    """``text`` with every phone and ID number masked (see the module's docstring for the forms)."""
    if not text:
        return ""
    for pattern, replace in ((_ID, _id), (_MOBILE, _mobile), (_LANDLINE, _landline), (_BARE_LOCAL, _bare_local)):
        text = _sub(pattern, text, replace)
    return text
