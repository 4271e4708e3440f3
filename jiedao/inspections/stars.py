"""五星: the monthly star ratings of street-front shops (门责任制) and of 小区 and 居委 (垃圾分类).

Every rating starts at five stars; each active rule of the subdistrict (``ShopStarRule``,
``GarbageStarRule``, data) takes ``stars`` for every ``per`` occurrences in the month, at most
``max_stars``, and explains itself: the rule, how many occurrences, and the checks or cases behind them.
An occurrence is

* a failed checklist item of the rule's ``item_code`` (a finding: 占道经营, 混投 …) at the shop's or the
  小区's rooms' points, on checks of the rule's ``tiers`` when it names some;
* with ``category_code`` instead: a case of that category, of any channel, at a building of the 小区
  (cancelled cases, e.g. merged duplicates, do not count, nor cases filed from a check, which count as
  findings already); for a shop, a failed item filed under that category;
* with neither: a check with at least one failed item (of the rule's ``tiers``).

A 居委's rating is the mean of its 小区' stars, rounded half up, and lists the 小区 that lost stars.
Both read a handful of queries for a whole subdistrict and month (bench/inspections_stars.py).
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.urls import reverse
from django.utils import timezone

from jiedao.inspections.models import GarbageRoom, GarbageStarRule, ItemResult, Shop, ShopStarRule

FULL = 5
EVIDENCE = 20  # checks or cases listed under a lost star


@dataclass
class Evidence:
    label: str
    url: str


@dataclass
class LostStars:
    """Stars one rule took, with why."""

    code: str
    name: str
    count: int
    stars: int
    explanation: str
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class Rating:
    id: int
    name: str
    stars: int = FULL
    lost: list[LostStars] = field(default_factory=list)
    group: str = ""  # the street of a shop, the 居委 of a 小区

    def as_dict(self) -> dict:
        return {"id": self.id, "name": self.name, "stars": self.stars, "group": self.group, "lost": [
            {"code": x.code, "name": x.name, "count": x.count, "stars": x.stars, "explanation": x.explanation,
             "evidence": [{"label": e.label, "url": e.url} for e in x.evidence]} for x in self.lost]}


def month_start(value: dt.date) -> dt.date:
    return value.replace(day=1)


def _window(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    start = month_start(month)
    following = (start + dt.timedelta(days=32)).replace(day=1)
    return dt.datetime.combine(start, dt.time.min, tz), dt.datetime.combine(following, dt.time.min, tz)


def _apply(rating: Rating, rules, occurrences: dict[str, list[Evidence]]) -> Rating:
    for rule in rules:
        found = occurrences.get(rule.code, [])
        lost = min(rule.max_stars, len(found) // max(rule.per, 1) * rule.stars)
        if lost:
            rating.lost.append(LostStars(rule.code, rule.name, len(found), lost, rule.explanation or rule.name,
                                         found[:EVIDENCE]))
    rating.stars = max(0, FULL - sum(x.stars for x in rating.lost))
    return rating


def _findings(point_ids, rules, month: dt.date) -> dict[int, dict[str, list[Evidence]]]:
    """point → rule code → the occurrences of that rule's kind at the point in the month."""
    lo, hi = _window(month)
    out: dict[int, dict[str, list[Evidence]]] = defaultdict(lambda: defaultdict(list))
    rows = ItemResult.objects.filter(point_id__in=point_ids, passed=False, check_record__at__gte=lo,
                                     check_record__at__lt=hi) \
        .values_list("point_id", "item__code", "item__category_code", "check_record_id", "check_record__tier",
                     "check_record__at", "item__name").order_by("check_record__at", "pk")
    counted_checks: set[tuple[str, int]] = set()
    check_url = reverse("inspections:check", args=[0]).removesuffix("0/")
    for point_id, item_code, category, check_id, tier, at, item_name in rows:
        for rule in rules:
            tiers = getattr(rule, "tiers", None) or []
            if tiers and tier not in tiers:
                continue
            url = f"{check_url}{check_id}/"
            when = timezone.localtime(at).strftime("%m-%d")
            if rule.item_code:
                if rule.item_code == item_code:
                    out[point_id][rule.code].append(Evidence(f"{when} {item_name}", url))
            elif rule.category_code:
                if rule.category_code == category and not hasattr(rule, "tiers"):
                    out[point_id][rule.code].append(Evidence(f"{when} {item_name}", url))
            elif (rule.code, check_id) not in counted_checks:
                counted_checks.add((rule.code, check_id))
                out[point_id][rule.code].append(Evidence(f"{when} #{check_id}", url))
    return out


def shop_ratings(*, subdistrict_id: int, month: dt.date, shops: list[Shop] | None = None) -> list[Rating]:
    """Each shop's 五星 for ``month`` (all active shops of the subdistrict unless ``shops`` are given)."""
    rules = list(ShopStarRule.objects.filter(subdistrict_id=subdistrict_id, active=True).order_by("order", "code"))
    if shops is None:
        shops = list(Shop.objects.filter(subdistrict_id=subdistrict_id, active=True).select_related("road"))
    found = _findings([s.point_id for s in shops], rules, month)
    return [_apply(Rating(s.pk, s.name, group=s.road.name), rules, found.get(s.point_id, {})) for s in shops]


def street_ranking(ratings: list[Rating]) -> list[dict]:
    """商铺五星按街道排名: per street, its shops' mean stars, best first, with its shops best first."""
    streets: dict[str, list[Rating]] = defaultdict(list)
    for r in ratings:
        streets[r.group].append(r)
    ranked = [{"street": name, "shops": sorted(rs, key=lambda r: (-r.stars, r.name)), "count": len(rs),
               "mean": round(sum(r.stars for r in rs) / len(rs), 2),
               "five_star": sum(r.stars == FULL for r in rs)} for name, rs in streets.items()]
    ranked.sort(key=lambda s: (-s["mean"], s["street"]))
    for n, s in enumerate(ranked, start=1):
        s["rank"] = n
    return ranked


def garbage_ratings(*, subdistrict_id: int, month: dt.date, estate_ids=None) -> tuple[list[Rating], list[Rating]]:
    """垃圾分类五星 for ``month``: every 小区 of the subdistrict (or of ``estate_ids``), and every 居委 of
    those 小区. Returns (小区 ratings, 居委 ratings)."""
    from jiedao.cases.models import Case, Category, Status
    from jiedao.geo.models import Community, Estate

    rules = list(GarbageStarRule.objects.filter(subdistrict_id=subdistrict_id, active=True)
                 .order_by("order", "code"))
    estates = Estate.objects.filter(subdistrict_id=subdistrict_id).order_by("code")
    if estate_ids is not None:
        estates = estates.filter(pk__in=list(estate_ids))
    estates = list(estates.values_list("pk", "name", "community_id"))
    rooms = dict(GarbageRoom.objects.filter(subdistrict_id=subdistrict_id, active=True,
                                            estate_id__in=[e[0] for e in estates])
                 .values_list("point_id", "estate_id"))
    occurrences: dict[int, dict[str, list[Evidence]]] = defaultdict(lambda: defaultdict(list))
    finding_rules = [r for r in rules if not r.category_code]
    for point_id, by_rule in _findings(list(rooms), finding_rules, month).items():
        for code, found in by_rule.items():
            occurrences[rooms[point_id]][code].extend(found)
    case_rules = [r for r in rules if r.category_code]
    if case_rules:
        lo, hi = _window(month)
        categories = dict(Category.objects.filter(code__in=[r.category_code for r in case_rules])
                          .values_list("pk", "code"))
        cases = Case.objects.filter(subdistrict_id=subdistrict_id, reported_at__gte=lo, reported_at__lt=hi,
                                    effective_category_id__in=list(categories),
                                    building__estate_id__in=[e[0] for e in estates]) \
            .exclude(status=Status.CANCELLED) \
            .exclude(pk__in=ItemResult.objects.filter(case__isnull=False).values("case_id")) \
            .values_list("building__estate_id", "effective_category_id", "number").order_by("reported_at")
        for estate_id, category_id, number in cases:
            for rule in case_rules:
                if categories[category_id] == rule.category_code:
                    occurrences[estate_id][rule.code].append(
                        Evidence(number, reverse("cases:detail", args=[number])))
    community_names = dict(Community.objects.filter(pk__in={e[2] for e in estates}).values_list("pk", "name"))
    estate_ratings = [_apply(Rating(pk, name, group=community_names.get(c, "")), rules, occurrences.get(pk, {}))
                      for pk, name, c in estates]
    by_community: dict[int, list[Rating]] = defaultdict(list)
    for (_pk, _name, community_id), rating in zip(estates, estate_ratings, strict=True):
        by_community[community_id].append(rating)
    community_ratings = []
    for community_id, ratings in sorted(by_community.items(), key=lambda kv: community_names.get(kv[0], "")):
        mean = Decimal(sum(r.stars for r in ratings)) / len(ratings)
        stars = int(mean.quantize(Decimal(1), rounding=ROUND_HALF_UP))
        lost = [LostStars(f"estate-{r.id}", r.name, len(r.lost), FULL - r.stars,
                          "；".join(f"{x.name} -{x.stars}" for x in r.lost),
                          [Evidence(e.label, e.url) for x in r.lost for e in x.evidence][:EVIDENCE])
                for r in ratings if r.stars < FULL]
        community_ratings.append(Rating(community_id, community_names.get(community_id, ""), stars, lost))
    return estate_ratings, community_ratings
