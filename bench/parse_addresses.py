"""Benchmark: parse and resolve 10,000 door-plate addresses (地址解析) with ``AddressIndex``.

Runs without a database: the gazetteer holds 曹杨新村街道's 12 roads and 曹杨一村…曹杨九村, the index is
built from synthetic building rows, and the addresses are drawn (seeded) in the forms people type:
with or without the 上海市普陀区曹杨新村街道 prefix, lanes in digits or Chinese numerals, 号/号楼/幢,
units, rooms, full-width digits and stray spaces. About 3 % name a door number that does not exist.
Prints one line and exits non-zero when the best of three runs is over the limit or an address resolves
to the wrong building.

    .venv/bin/python bench/parse_addresses.py
"""

import math
import os
import random
import sys
import time
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiedao.settings")
django.setup()

from jiedao.geo.address import AddressIndex, Gazetteer  # noqa: E402 - needs django.setup()

LIMIT_S = 1.0
N_ADDRESSES = 10_000
ROADS = ["杨柳青路", "梅岭北路", "兰溪路", "梅岭南路", "梅岭支路", "梅川路", "桂巷路", "杏山路", "武宁路", "曹杨路",
         "枣阳路", "中宁路"]
ESTATES = [f"曹杨{n}村" for n in "一二三四五六七八九"]
LANES = ["100", "200", "300"]
LANE_NUMBERS = range(1, 31)
STREET_NUMBERS = range(1, 200, 2)
PREFIXES = ["", "", "上海市普陀区曹杨新村街道", "普陀区曹杨新村街道", "上海市普陀区", "上海普陀区", "曹杨新村街道"]
CN_LANES = {"100": "一百", "200": "二百", "300": "三百"}
FULL_WIDTH = str.maketrans("0123456789-", "０１２３４５６７８９－")


def building_rows() -> tuple[list[tuple], dict[tuple, int]]:
    """(id, road, lane, number, estate) rows; lane 100 of the first nine roads is 曹杨一村…九村."""
    rows, ids = [], {}
    for r, road in enumerate(ROADS):
        for lane in LANES:
            estate = ESTATES[r] if lane == "100" and r < len(ESTATES) else None
            for number in LANE_NUMBERS:
                ids[(road, lane, str(number))] = len(rows) + 1
                rows.append((len(rows) + 1, road, lane, str(number), estate))
        for number in STREET_NUMBERS:
            ids[(road, "", str(number))] = len(rows) + 1
            rows.append((len(rows) + 1, road, "", str(number), None))
    return rows, ids


def addresses(ids: dict[tuple, int]) -> list[tuple[str, int | None]]:
    """(text, the building it names or None) pairs."""
    rng = random.Random(20240601)
    out = []
    for _ in range(N_ADDRESSES):
        r = rng.randrange(len(ROADS))
        road = ROADS[r]
        kind = rng.random()
        if kind < 0.55:
            lane, number = rng.choice(LANES), str(rng.choice(LANE_NUMBERS))
            lane_text = CN_LANES[lane] if rng.random() < 0.1 else lane
            head = f"{road}{lane_text}弄"
        elif kind < 0.8 or r >= len(ESTATES):
            lane, number = "", str(rng.choice(STREET_NUMBERS))
            head = road
        else:
            lane, number = "100", str(rng.choice(LANE_NUMBERS))
            head = ESTATES[r]
        target = ids[(road, lane, number)]
        if rng.random() < 0.03:  # a door number nobody has
            number, target = str(500 + rng.randrange(400)), None
        text = head + number + rng.choice(["号", "号", "号", "号楼", "幢"])
        if rng.random() < 0.2:
            text += f"{rng.randint(1, 4)}单元"
        room = f"{rng.randint(1, 6)}0{rng.randint(1, 4)}"
        text += rng.choice(["", "", f"{room}室", f"{room}室", room])
        text = rng.choice(PREFIXES) + text
        if rng.random() < 0.1:
            text = text.translate(FULL_WIDTH)
        if rng.random() < 0.1:
            cut = rng.randrange(1, len(text))
            text = text[:cut] + " " + text[cut:]
        out.append((text, target))
    return out


def main() -> int:
    rows, ids = building_rows()
    gaz = Gazetteer(roads={r: r for r in ROADS}, estates={e: e for e in ESTATES})
    index = AddressIndex(rows, gaz)
    cases = addresses(ids)
    texts = [text for text, _ in cases]

    best, found = math.inf, []
    for _ in range(3):
        start = time.perf_counter()
        found = [index.parse_and_resolve(text)[1] for text in texts]
        best = min(best, time.perf_counter() - start)

    resolved = sum(1 for building_id in found if building_id is not None)
    wrong = [text for (text, target), got in zip(cases, found, strict=True) if got is not None and got != target]
    print(f"parse_addresses: {N_ADDRESSES:,} addresses in {best:.2f} s (limit {LIMIT_S:g} s), "
          f"resolved {100 * resolved / N_ADDRESSES:.1f}%")
    if wrong:
        print(f"parse_addresses: {len(wrong)} resolved to the wrong building, e.g. {wrong[:3]}", file=sys.stderr)
        return 2
    return 0 if best <= LIMIT_S else 1


if __name__ == "__main__":
    sys.exit(main())
