"""五星: the monthly ratings of shops (门责任制) and of 小区 and 居委 (垃圾分类) match hand-built histories,
every lost star explained by its rule and the checks or cases behind it; rules are data."""

import datetime as dt

import pytest
from django.utils import timezone

from jiedao.cases import services as case_services
from jiedao.cases.models import Channel
from jiedao.inspections import services, stars
from jiedao.inspections.models import Check, GarbageStarRule, Tier
from jiedao.inspections.tests.conftest import all_pass, client_id

pytestmark = pytest.mark.django_db


def check(w, user, point, token=None, round_id=None, **failed):
    token = token or services.label_token(point)
    form = services.open_scan(by=user, token=token, round_id=round_id)
    return services.submit_check(by=user, token=token, client_id=client_id(), round_id=round_id,
                                 results=all_pass(form, **{code: False for code in failed})).check


@pytest.fixture
def shop_world(insp_world):
    w = insp_world
    w.shop = services.register_shop(by=w.head, building=w.b11, name="老王面馆", licence_no="91310107MA1FL00001",
                                    kind="food", contact_name="王老板", contact_phone="13812345678")
    w.shop2 = services.register_shop(by=w.head, building=w.b12, name="便民超市", licence_no="91310107MA1FL00002")
    services.create_round(by=w.head, name="门责巡查", points=[w.shop.point, w.shop2.point],
                          assignees=[w.grid_worker], frequency="daily")
    return w


def test_a_shop_loses_the_stars_its_rules_say_each_explained(shop_world):
    w = shop_world
    check(w, w.grid_worker, w.shop.point, occupying_road=True, signboard=True)
    check(w, w.grid_worker, w.shop.point, occupying_road=True, frontage=True)
    check(w, w.grid_worker, w.shop.point, occupying_road=True)  # a third: the rule takes at most two
    ratings = {r.id: r for r in stars.shop_ratings(subdistrict_id=w.sub.pk, month=timezone.localdate())}
    mine = ratings[w.shop.pk]
    assert mine.stars == 2
    assert [(x.code, x.count, x.stars) for x in mine.lost] == [("occupying_road", 3, 2), ("signboard", 1, 1)]
    assert "每月最多扣 2 星" in mine.lost[0].explanation and len(mine.lost[0].evidence) == 3
    assert ratings[w.shop2.pk].stars == 5 and ratings[w.shop2.pk].lost == []


def test_last_months_findings_do_not_count_this_month(shop_world):
    w = shop_world
    old = check(w, w.grid_worker, w.shop.point, fumes=True)
    month = timezone.localdate().replace(day=1)
    Check.objects.filter(pk=old.pk).update(at=timezone.now().replace(day=1) - dt.timedelta(days=2))
    assert stars.shop_ratings(subdistrict_id=w.sub.pk, month=month, shops=[w.shop])[0].stars == 5
    last = (month - dt.timedelta(days=1)).replace(day=1)
    assert stars.shop_ratings(subdistrict_id=w.sub.pk, month=last, shops=[w.shop])[0].stars == 4


def test_streets_are_ranked_by_their_shops_mean_stars(shop_world):
    w = shop_world
    from jiedao.testing import make_building

    w3 = services.register_shop(by=w.operator, building=make_building(w.g21, road=w.road2, number="45"),
                                name="花店", licence_no="91310107MA1FL00003")
    services.create_round(by=w.operator, name="梅岭北路门责", points=[w3.point], assignees=[w.auditor3])
    check(w, w.auditor3, w3.point, unsorted=True)
    ranking = stars.street_ranking(stars.shop_ratings(subdistrict_id=w.sub.pk, month=timezone.localdate()))
    assert [(s["street"], s["mean"], s["rank"]) for s in ranking] == [("兰溪路", 5.0, 1), ("梅岭北路", 4.0, 2)]


@pytest.fixture
def garbage_world(insp_world):
    w = insp_world
    w.room1 = services.create_room(by=w.head, building=w.b11, name="一村1号垃圾厢房", hours=["07:00-09:00"],
                                   bins={"wet": 2, "dry": 2, "recyclable": 1, "hazardous": 1})
    w.room2 = services.create_room(by=w.operator, building=w.b21, name="兰溪园垃圾厢房", hours=["18:00-20:00"],
                                   bins={"wet": 1, "dry": 1})
    w.self_round = services.create_round(by=w.head, name="居民区自查", points=[w.room1.point], tier=Tier.SELF,
                                         assignees=[w.volunteer], frequency="daily")
    w.audit_round = services.create_round(by=w.operator, name="第三方督察", points=[w.room1.point, w.room2.point],
                                          tier=Tier.AUDIT, assignees=[w.auditor3], frequency="monthly")
    return w


def test_estates_and_communities_get_the_stars_their_history_earns(garbage_world, clock_free=None):
    w = garbage_world
    for failed in ({"mixed": True}, {"mixed": True, "overflow": True}, {"mixed": True, "overflow": True}):
        check(w, w.volunteer, w.room1.point, **failed)  # 自查: 3 混投, 2 满溢, none counts as 督察
    check(w, w.auditor3, w.room1.point, round_id=w.audit_round.pk, broken_bags=True)
    check(w, w.auditor3, w.room2.point, round_id=w.audit_round.pk, broken_bags=True)
    for n in range(3):  # 垃圾分类不规范 cases from the hotline at 一村's building
        case_services.intake(subdistrict=w.sub, channel=Channel.HOTLINE, by=w.operator, category="S0102",
                             description=f"楼下垃圾厢房混投严重 {n}", address="兰溪路200弄5号")
    estates, communities = stars.garbage_ratings(subdistrict_id=w.sub.pk, month=timezone.localdate())
    e1 = next(r for r in estates if r.id == w.room1.estate_id)
    e2 = next(r for r in estates if r.id == w.room2.estate_id)
    assert [(x.code, x.count, x.stars) for x in e1.lost] == [
        ("mixed", 3, 1), ("overflow", 2, 1), ("audit_failed", 1, 1), ("cases", 3, 1)]
    assert e1.stars == 1
    assert [(x.code, x.count, x.stars) for x in e2.lost] == [("audit_failed", 1, 1)]  # one 破袋: every 3
    assert e2.stars == 4
    by_community = {r.id: r for r in communities}
    assert by_community[w.c1.pk].stars == 1 and by_community[w.c2.pk].stars == 4
    assert by_community[w.c2.pk].lost[0].name == e2.name
    # The rules are data: 混投 now costs a star each time, at most two.
    GarbageStarRule.objects.filter(subdistrict=w.sub, code="mixed").update(per=1)
    estates, _ = stars.garbage_ratings(subdistrict_id=w.sub.pk, month=timezone.localdate())
    assert next(r for r in estates if r.id == w.room1.estate_id).stars == 0


def test_a_community_is_the_mean_of_its_estates_rounded_half_up(garbage_world):
    w = garbage_world
    from jiedao.geo import codes
    from jiedao.geo.models import Estate
    from jiedao.testing import make_building

    second = Estate.objects.create(subdistrict=w.sub, community=w.c2, name="兰溪园二期",
                                   code=codes.estate_code(w.sub.code, 99))
    room3 = services.create_room(by=w.operator, building=make_building(w.g22, road=w.road2, number="47",
                                                                       estate=second),
                                 name="二期厢房", hours=[], bins={})
    services.create_round(by=w.operator, name="二期督察", points=[room3.point], tier=Tier.AUDIT,
                          assignees=[w.auditor3])
    check(w, w.auditor3, w.room2.point, round_id=w.audit_round.pk, off_hours=True)   # 兰溪园: 4 stars
    check(w, w.auditor3, room3.point, off_hours=True)                              # 二期: 4 stars
    estates, communities = stars.garbage_ratings(subdistrict_id=w.sub.pk, month=timezone.localdate())
    assert {r.name: r.stars for r in estates if r.group == w.c2.name} == {w.room2.estate.name: 4, "兰溪园二期": 4}
    c2 = next(r for r in communities if r.id == w.c2.pk)
    assert c2.stars == 4 and {x.name for x in c2.lost} == {w.room2.estate.name, "兰溪园二期"}
