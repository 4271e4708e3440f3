"""The training corpus of the visit assessment: labelled visit notes generated from phrases.py.

Nothing is downloaded. A note is built like a social worker's record: an opening (``今天上午上门走访，``, a
building and room), sometimes who lives there (``王阿姨，82岁，独居``), the findings of the visit (problems of
a type at a level, phrases.FINDINGS and TYPES2) mixed with fine observations (FINE, which name the checklist
items found fine), and what was done (ACTIONS). Its labels follow from the findings: the risk is the highest
level among them (低 with none), the types those of its findings.

Voices vary as they do in a 居委's records: sentences joined by commas or full stops, a record form
(``走访对象：…。情况：…。处理：…``), a message to the 居委 head (``@书记 …``), phone-typed notes without
punctuation, Shanghainese turns (讲, 伊, 屋里厢, 阿拉), and now and then a character lost in typing.

``generate(count, seed)`` is deterministic: the same seed gives the same corpus and the same model.
"""

import random
import re
from collections.abc import Iterator
from dataclasses import dataclass

from jiedao.visits.assessment import phrases
from jiedao.visits.assessment.lexicon import TYPES

SEED = 15  # issue 15
COUNT = 12000  # notes in the training corpus
RISK_SHARES = (("低", 0.40), ("中", 0.33), ("高", 0.27))

_CHOICE = re.compile(r"\{([^{}\[\]]*)\}")
_OPTIONAL = re.compile(r"\[([^{}\[\]]*)\]")


@dataclass(frozen=True)
class Note:
    risk: str
    types: tuple[str, ...]
    text: str


def expand(template: str, rng: random.Random) -> str:
    """Fill ``{slot}``, ``{甲|乙}`` and ``[optional]`` from the innermost out until none is left."""
    text = template
    while True:
        match = _CHOICE.search(text) or _OPTIONAL.search(text)
        if match is None:
            return text
        inner = match.group(1)
        if match.group(0).startswith("["):
            value = inner if rng.random() < 0.5 else ""
        elif "|" in inner:
            value = rng.choice(inner.split("|"))
        else:
            value = rng.choice(phrases.SLOTS[inner])
        text = text[:match.start()] + value + text[match.end():]


def _weighted(rng: random.Random, shares) -> str:
    x, total = rng.random(), 0.0
    for value, share in shares:
        total += share
        if x < total:
            return value
    return shares[-1][0]


def _findings(rng: random.Random, risk: str) -> list[tuple[tuple[str, ...], str, str]]:
    """(types, level, text) of the note's problems for a note of ``risk``."""
    if risk == "低":
        return []
    chosen: list[tuple[tuple[str, ...], str]] = []
    if rng.random() < 0.15:  # a finding of two types at once
        pairs = [(kinds, level) for kinds, level in phrases.TYPES2 if level == risk]
        kinds, _level = rng.choice(pairs)
        chosen.append((kinds, risk))
    else:
        chosen.append(((rng.choice(TYPES),), risk))
    extra = rng.random()
    if extra < 0.30:  # a second concern
        chosen.append(((rng.choice(TYPES),), "中"))
    if extra < 0.06:
        chosen.append(((rng.choice(TYPES),), "中"))
    out = []
    for kinds, level in chosen:
        templates = phrases.TYPES2[(kinds, level)] if len(kinds) == 2 else phrases.FINDINGS[(kinds[0], level)]
        out.append((kinds, level, expand(rng.choice(templates), rng)))
    return out


def _intro(rng: random.Random) -> str:
    age = rng.randint(60, 96)
    living = rng.choice(["独居", "一个人住", "与老伴同住", "老两口住", "和儿子一家住", "和女儿同住", "子女在外地",
                         "丧偶独居", "孤老", "与保姆同住"])
    return expand(rng.choice([f"{{p}}，{age}岁，{living}", f"{{p}}{age}岁，{living}", f"{living}老人，{age}岁",
                              f"户主{{sur}}某，{age}岁", f"{{p}}今年{age}了"]), rng)


def _join(segments: list[str], rng: random.Random) -> str:
    out = ""
    for i, segment in enumerate(segments):
        if i:
            out += "。" if rng.random() < 0.35 else "，"
        out += segment
    return out + rng.choice(["。", "。", "", "！"] if out else [""])


def note(rng: random.Random) -> Note:
    """One generated note with its labels."""
    risk = _weighted(rng, RISK_SHARES)
    found = _findings(rng, risk)
    fine_count = rng.choice([1, 1, 2, 2, 3, 4]) if risk == "低" else rng.choice([0, 0, 1, 1, 2])
    fine = [expand(rng.choice(phrases.FINE), rng) for _ in range(fine_count)]
    neutral = [expand(rng.choice(phrases.NEUTRAL), rng) for _ in range(rng.choice([0, 1, 1, 2, 3]))]
    problems = [text for _, _, text in found]
    if rng.random() < 0.2:  # someone else's words: a relay, at every level
        which = problems if problems and (not fine or rng.random() < 0.6) else fine
        if which:
            i = rng.randrange(len(which))
            which[i] = expand(rng.choice(phrases.RELAYS), rng) + rng.choice(["，", "", "：", "，"]) + which[i]
    body = problems + fine + neutral
    rng.shuffle(body)
    if rng.random() < 0.35:
        body.insert(0, _intro(rng))
    if rng.random() < 0.18:  # a 回访 of a closed case, or an old problem now solved; a new problem may follow
        if problems and rng.random() < 0.7:
            first = min(body.index(text) for text in problems)
            body[first] = rng.choice(phrases.NEW_AFTER_SOLVED) + rng.choice(["，", "", "，"]) + body[first]
            body.insert(0, expand(rng.choice(phrases.CLOSED), rng))
        else:
            body.insert(0, expand(rng.choice(phrases.CLOSED), rng))
    if rng.random() < 0.22:  # a danger that is over, a safeguard, someone else's problem: at every level
        body.insert(rng.randrange(len(body) + 1), expand(rng.choice(phrases.SOLVED), rng))
    action = expand(rng.choice(phrases.ACTIONS[risk]), rng) if rng.random() < 0.6 else ""
    opening = expand(rng.choice(phrases.OPENINGS), rng)
    voice = rng.random()
    if voice < 0.12:  # a record form
        label = rng.choice(["情况", "走访情况", "存在问题", "了解情况", "基本情况"])
        text = (expand("走访对象：{p}。", rng) + f"{label}：" + _join(body, rng).rstrip("。！") + "。"
                + (f"处理{rng.choice(['', '情况', '意见'])}：{action}。" if action else ""))
    elif voice < 0.17:  # a message to the 居委 head
        text = (expand("@{书记|主任|张书记|李主任} {bldg}", rng) + rng.choice(["：", " ", "，"])
                + _join([*body, action] if action else body, rng))
    else:
        text = opening + _join([*body, action] if action else body, rng)
    if rng.random() < 0.08:  # typed on a phone: no punctuation
        text = re.sub(r"[，。！：；]", rng.choice([" ", ""]), text).strip()
    if rng.random() < 0.15:
        for old, new in phrases.DIALECT:
            if rng.random() < 0.6:
                text = text.replace(old, new)
    if rng.random() < 0.05:  # typed in a hurry: "和" as "+", several exclamation marks
        text = text.replace("和", "+").replace("！", "!!!")
    if len(text) > 12 and rng.random() < 0.08:  # a character lost, doubled or two swapped
        i = rng.randrange(len(text) - 1)
        text = rng.choice([text[:i] + text[i + 1:], text[:i] + text[i] + text[i:],
                           text[:i] + text[i + 1] + text[i] + text[i + 2:]])
    types = tuple(kind for kind in TYPES if any(kind in kinds for kinds, _, _ in found))
    return Note(risk=risk, types=types, text=text.strip() or "走访")


def generate(count: int = COUNT, seed: int = SEED) -> Iterator[Note]:
    """``count`` distinct labelled notes, deterministic for ``seed``."""
    rng = random.Random(f"{seed}:visits")
    seen: set[str] = set()
    while len(seen) < count:
        made = note(rng)
        if made.text not in seen:
            seen.add(made.text)
            yield made
