"""Address parsing (地址解析) and resolution to a building.

Shanghai door-plate addresses: [上海市][区][街道/镇] 路 [N弄] N号 [N单元] [N室], or an estate (小区/新村)
name instead of the road: "曹杨一村12号301室". Roads and estates come from the gazetteer (geo.Road,
geo.Estate) so that "梅岭北路" is not cut at "梅岭北"; unknown roads still parse by their suffix.

Written by hand: the general Chinese address parsers on PyPI (cpca, jionlp) stop at the district level or
need large dictionaries; door plates are a regular grammar once the gazetteer is known.
"""

import re
import unicodedata
from dataclasses import asdict, dataclass, field

from django.utils.translation import gettext as _

from jiedao.core.cache import ProcessCache
from jiedao.core.validators import SHANGHAI_DISTRICTS

_CN_DIGITS = {
    "〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_NUM = "[〇零一二两三四五六七八九十百千]+"

_CITY = re.compile(r"^(上海市|上海)")
_DISTRICT = re.compile(
    "^(" + "|".join(sorted(SHANGHAI_DISTRICTS.values(), key=len, reverse=True)) + r"|[\u4e00-\u9fff]{1,4}区)"
)
_SUBDISTRICT = re.compile(r"^([\u4e00-\u9fff]{2,6}?(?:街道|镇))")
_GENERIC_ROAD = re.compile(rf"^([\u4e00-\u9fff]{{1,8}}?(?:大道|公路|路|街|巷))(?=\d|$|{_CN_NUM}[弄号])")
_LANE = re.compile(rf"^(\d+|{_CN_NUM})弄")
_NUMBER = re.compile(rf"^(\d+(?:[-之]\d+)?|{_CN_NUM})(?:号楼|号|幢|栋|楼)")
_BARE_NUMBER = re.compile(r"^(\d+)(?=[-—]\d)")
_UNIT = re.compile(r"^[-—]?(\d+)单元")
_ROOM = re.compile(r"^[-—]?(\d{2,5})(?:室|号)?$")
_ROOM_ANY = re.compile(r"^[-—]?(\d{2,5})室")
_TRAILING_NUMBER = re.compile(r"^(\d+)$")


def chinese_to_int(text: str) -> int:
    """二百 → 200, 十二 → 12, 一二三 → 123 (digit-by-digit readings are common in door plates)."""
    if all(ch in _CN_DIGITS for ch in text):
        return int("".join(str(_CN_DIGITS[ch]) for ch in text))
    total, current = 0, 0
    for ch in text:
        if ch in _CN_DIGITS:
            current = _CN_DIGITS[ch]
        else:
            total += (current or 1) * _CN_UNITS[ch]
            current = 0
    return total + current


def _num(text: str) -> str:
    return text if text[0].isdigit() else str(chinese_to_int(text))


@dataclass
class ParsedAddress:
    raw: str
    city: str | None = None
    district: str | None = None
    subdistrict: str | None = None
    road: str | None = None
    estate: str | None = None
    lane: str | None = None
    number: str | None = None
    unit: str | None = None
    room: str | None = None
    rest: str = ""

    @property
    def recognised(self) -> bool:
        return bool(self.road or self.estate)


@dataclass
class Gazetteer:
    """Known road names (with aliases → canonical name) and estate names of one subdistrict or more."""

    roads: dict[str, str] = field(default_factory=dict)
    estates: dict[str, str] = field(default_factory=dict)

    def __post_init__(self):
        self._road_keys = sorted(self.roads, key=len, reverse=True)
        self._estate_keys = sorted(self.estates, key=len, reverse=True)

    def match_road(self, text: str) -> tuple[str, int] | None:
        for key in self._road_keys:
            if text.startswith(key):
                return self.roads[key], len(key)
        return None

    def match_estate(self, text: str) -> tuple[str, int] | None:
        for key in self._estate_keys:
            if text.startswith(key):
                return self.estates[key], len(key)
        return None


def normalise(text: str) -> str:
    """Full-width to half-width, no spaces or punctuation that door plates do not use."""
    text = unicodedata.normalize("NFKC", text or "")
    return re.sub(r"[\s,，。:：()（）]", "", text).replace("－", "-").replace("—", "-")


def parse(text: str, gazetteer: Gazetteer | None = None) -> ParsedAddress:
    """Split an address into its parts. Never raises: what it cannot read stays in ``rest``."""
    gaz = gazetteer or Gazetteer()
    s = normalise(text)
    out = ParsedAddress(raw=text)
    for attr, pattern in (("city", _CITY), ("district", _DISTRICT), ("subdistrict", _SUBDISTRICT)):
        # Stop at a known road or estate, unless it is the start of the subdistrict's own name
        # (an estate called "曹杨新村" inside "曹杨新村街道").
        hit = gaz.match_road(s) or gaz.match_estate(s)
        if hit and not s[hit[1]:].startswith(("街道", "镇")):
            break
        m = pattern.match(s)
        if m:
            setattr(out, attr, m.group(1))
            s = s[m.end():]
    if hit := gaz.match_road(s):
        out.road, n = hit
        s = s[n:]
    elif hit := gaz.match_estate(s):
        out.estate, n = hit
        s = s[n:]
    elif m := _GENERIC_ROAD.match(s):
        out.road = m.group(1)
        s = s[m.end():]
    if m := _LANE.match(s):
        out.lane = _num(m.group(1))
        s = s[m.end():]
    if out.road is not None and out.lane is None and (hit := gaz.match_estate(s)):
        out.estate, n = hit  # "兰溪路曹杨一村12号" names both
        s = s[n:]
    if m := _NUMBER.match(s) or _BARE_NUMBER.match(s):
        out.number = _num(m.group(1))
        s = s[m.end():]
    if m := _UNIT.match(s):
        out.unit = m.group(1)
        s = s[m.end():]
    if m := _ROOM_ANY.match(s) or (_ROOM.match(s) if out.number else None):
        out.room = m.group(1)
        s = s[m.end():]
    elif out.number is None and out.recognised and (m := _TRAILING_NUMBER.match(s)):
        out.number = m.group(1)  # "梅岭北路41": a bare number after the road is the door number
        s = s[m.end():]
    out.rest = s
    return out


class AddressIndex:
    """Door plates of known buildings → building id, for resolving parsed addresses in bulk."""

    def __init__(self, rows, gazetteer: Gazetteer):
        """``rows``: (building_id, road name, lane, number, estate name) tuples."""
        self.gazetteer = gazetteer
        self.by_plate: dict[tuple[str, str, str], int] = {}
        self.by_estate: dict[tuple[str, str], int] = {}
        for building_id, road, lane, number, estate in rows:
            self.by_plate[(road, lane or "", number)] = building_id
            if estate:
                self.by_estate.setdefault((estate, number), building_id)

    def resolve(self, parsed: ParsedAddress) -> int | None:
        if parsed.number is None:
            return None
        if parsed.road is not None:
            found = self.by_plate.get((parsed.road, parsed.lane or "", parsed.number))
            if found is not None:
                return found
        if parsed.estate is not None:
            return self.by_estate.get((parsed.estate, parsed.number))
        return None

    def parse_and_resolve(self, text: str) -> tuple[ParsedAddress, int | None]:
        parsed = parse(text, self.gazetteer)
        return parsed, self.resolve(parsed)


# The index of each subdistrict (None: all), kept by each process for a minute: a building or road added
# meanwhile is found within a minute.
_indexes: ProcessCache[AddressIndex] = ProcessCache(ttl=60)


def address_index(subdistrict_id: int | None) -> AddressIndex:
    """The gazetteer and door-plate index of a subdistrict (or all), rebuilt at most once a minute."""
    return _indexes.get(subdistrict_id, lambda: _build_address_index(subdistrict_id))


def _build_address_index(subdistrict_id: int | None) -> AddressIndex:
    from jiedao.geo.models import Building, Estate, Road

    roads, estates, buildings = Road.objects.all(), Estate.objects.all(), Building.objects.all()
    if subdistrict_id is not None:
        roads = roads.filter(subdistrict_id=subdistrict_id)
        estates = estates.filter(subdistrict_id=subdistrict_id)
        buildings = buildings.filter(subdistrict_id=subdistrict_id)
    road_names: dict[str, str] = {}
    for name, aliases in roads.values_list("name", "aliases"):
        road_names[name] = name
        for alias in aliases or []:
            road_names[alias] = name
    gaz = Gazetteer(roads=road_names, estates={n: n for n in estates.values_list("name", flat=True)})
    return AddressIndex(
        buildings.values_list("id", "road__name", "lane", "number", "estate__name").iterator(), gaz
    )


def parse_and_resolve(text: str, *, user) -> dict:
    """Parse ``text`` and find the building within the user's scope; the API's answer."""
    from django.core.exceptions import ValidationError

    from jiedao.core.scope import scope_of
    from jiedao.geo.models import Building

    if not (text or "").strip():
        raise ValidationError(_("地址不能为空"))
    if len(text) > 200:
        raise ValidationError(_("地址太长：最多 200 个字"))
    scope = scope_of(user)
    parsed, building_id = address_index(None if scope.is_all else scope.subdistrict_id).parse_and_resolve(text)
    building = None
    if building_id is not None:
        building = Building.objects.within(scope).select_related("road").filter(pk=building_id).first()
    result = asdict(parsed)
    result.update(
        building_id=building.pk if building else None,
        building_address=building.address if building else None,
        grid_id=building.grid_id if building else None,
    )
    if not parsed.recognised:
        result["message"] = _("无法识别地址中的道路或小区")
    elif building is None:
        result["message"] = _("地址已解析，但没有找到对应的楼栋")
    else:
        result["message"] = None
    return result
