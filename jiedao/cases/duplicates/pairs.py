"""The duplicate scorer's training pairs (训练样本对), generated from the classifier's corpus with a place and a
time drawn for each pair; deterministic for a given seed, like the corpus.

Each text is written as the corpus writes one (a category's phrases in the frame of a channel:
``classifier.corpus``), drawn with a seed of its own, so the classifier's suggestions for it are what it says
of a text it was not trained on. What makes a pair one incident or two is written down here, as the
distributions the pairs are drawn from; the scorer's weights are learned from them:

- **one incident** (label 1): two people describe it, each in their own frame and words, but it is the same
  thing: the two texts are of one category and share its particulars (the category's own slots, such as
  the dog, the lamp or the eatery, and the place and shop words). Half of them are placed in the same
  building, the others tens of metres apart (exponential, mean 50 m, at most 160 m). Half are reported
  minutes to hours apart (log-normal around 3 hours), half at any time of the week, because a problem
  still open is reported again over days (the corpus's own callers say 已经反映过好几次了);
- **different problems at the same place** (label 0): two texts of different categories sharing the place
  and shop words, placed and timed as one incident is. Half of the second categories are drawn at random,
  half among those the classifier confuses with the first (its alternatives for the first category's
  texts): 噪音扰民 beside 犬只扰民, 垃圾堆放 beside 大件垃圾;
- **the same kind of problem again** (label 0): two texts of one category with particulars of their own,
  at places and times drawn evenly over the candidates' circle and week (the same building for a few), so
  that nearness carries weight of its own.

One case in four of each pair has its category confirmed by an operator (立案), as a candidate that was
registered before the new case came in has.
"""

import math
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache

from jiedao.cases.classifier import corpus
from jiedao.cases.classifier.phrases import PHRASES
from jiedao.cases.taxonomy import CLASSIFIED

SEED = corpus.SEED + 20
PAIRS = 6_000  # half of them one incident
CONFIRMED = 0.25
MAX_METRES = 160.0
WEEK_HOURS = 168.0
PLACE_SLOTS = ("place", "shop", "who", "village", "road")  # the shared slots that name where it happens


@dataclass(frozen=True)
class Pair:
    """Two texts with their true categories, where and when they were reported relative to each other, and
    whether they are one incident. ``metres`` is None when the second case has no point."""

    text_a: str
    category_a: str
    text_b: str
    category_b: str
    same_building: bool
    buildings: bool        # both cases are placed in a building
    metres: float | None
    hours: float
    confirmed_a: bool
    confirmed_b: bool
    same: bool


@cache
def _parts(name: str) -> dict[str, list[str]]:
    return corpus.category_parts(name)


def write(name: str, rng: random.Random, fixed: dict[str, str] | None = None) -> str:
    """One text of category ``name`` as the corpus writes one, with the slots in ``fixed`` held to the word
    given (the particulars two reports of one incident share)."""
    parts = _parts(name) | {slot: [word] for slot, word in (fixed or {}).items()}
    expand = corpus.expander(parts, rng)
    group = rng.choices(range(len(corpus.FRAMES)), [w for w, _ in corpus.FRAMES])[0]
    text = expand(rng.choice(corpus.FRAMES[group][1]))
    return text.replace("，，", "，").replace("。。", "。")


def particulars(name: str, rng: random.Random, *, own: bool = True) -> dict[str, str]:
    """One word for each slot naming the place (and, with ``own``, for each of the category's own slots)."""
    parts = _parts(name)
    slots = list(PLACE_SLOTS) + (list(PHRASES[name].slots) if own else [])
    return {slot: rng.choice(parts[slot]) for slot in slots if parts.get(slot)}


def generate(*, confusions: dict[str, list[tuple[str, float]]], seed: int = SEED,
             count: int = PAIRS) -> Iterator[Pair]:
    """``count`` pairs, half one incident and half not. ``confusions`` maps a category to the other
    categories the classifier suggests for its texts, with their weight."""
    rng = random.Random(f"duplicates:{seed}")
    names = list(CLASSIFIED)
    for i in range(count):
        a = rng.choice(names)
        if i % 2 == 0:
            shared = particulars(a, rng)
            yield _pair(rng, a, a, shared, shared, same=True, place=_near)
            continue
        roll = rng.random()
        if roll < 0.8:
            others = [(n, w) for n, w in confusions.get(a, ()) if n != a]
            if roll < 0.4 or not others:
                b = rng.choice([n for n in names if n != a])
            else:
                b = rng.choices([n for n, _ in others], [w for _, w in others])[0]
            where = particulars(a, rng, own=False)
            yield _pair(rng, a, b, particulars(a, rng) | where, particulars(b, rng) | where, same=False, place=_near)
        else:
            yield _pair(rng, a, a, particulars(a, rng), particulars(a, rng), same=False, place=_anywhere)


def _pair(rng: random.Random, a: str, b: str, fixed_a: dict, fixed_b: dict, *, same: bool,
          place: Callable[[random.Random], tuple]) -> Pair:
    text_a = write(a, rng, fixed_a)
    text_b = write(b, rng, fixed_b)
    same_building, buildings, metres, hours = place(rng)
    return Pair(text_a=text_a, category_a=a, text_b=text_b, category_b=b, same_building=same_building,
                buildings=buildings, metres=metres, hours=hours, confirmed_a=rng.random() < CONFIRMED,
                confirmed_b=rng.random() < CONFIRMED, same=same)


def _near(rng: random.Random) -> tuple[bool, bool, float | None, float]:
    """Where and when one incident is reported twice (and different problems at the same place are)."""
    hours = min(WEEK_HOURS, math.exp(rng.gauss(math.log(3), 1.5))) if rng.random() < 0.5 else \
        rng.uniform(0, WEEK_HOURS)
    if rng.random() < 0.5:
        return True, True, rng.uniform(0, 15), hours
    return False, rng.random() < 0.7, _point(rng, min(MAX_METRES, rng.expovariate(1 / 50))), hours


def _anywhere(rng: random.Random) -> tuple[bool, bool, float | None, float]:
    """Anywhere in the candidates' circle and week."""
    hours = rng.uniform(0, WEEK_HOURS)
    if rng.random() < 0.1:
        return True, True, rng.uniform(0, 15), hours
    return False, rng.random() < 0.7, _point(rng, rng.uniform(10, MAX_METRES)), hours


def _point(rng: random.Random, metres: float) -> float | None:
    """A few cases have no point of their own (a building without coordinates): no distance to tell."""
    return metres if rng.random() > 0.05 else None
