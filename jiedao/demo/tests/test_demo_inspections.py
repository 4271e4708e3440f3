"""The demo's 二维码巡检, 门责任制 and 垃圾分类: points of every kind with rounds and people, shops, rooms with
rosters, and a year of checks whose failed items are the year's patrol cases, some periods missed."""

import datetime as dt
import time

import pytest
from django.utils import timezone

from jiedao.cases import defaults as case_defaults
from jiedao.cases.models import Category, Channel
from jiedao.demo import caoyang
from jiedao.demo import cases as demo_cases
from jiedao.demo import inspections as demo_inspections
from jiedao.demo.builder import DemoBuilder
from jiedao.inspections import selectors, services, stars
from jiedao.inspections.models import Check, GarbageRoom, ItemResult, Point, RoomDuty, Round, Shop


@pytest.fixture
def demo_caoyang(db, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    builder = DemoBuilder(scale=0.1, log=lambda line: None)
    sub = builder.build_subdistrict(caoyang.SUBDISTRICT, caoyang.AREAS, caoyang.GRID_SPLIT, caoyang.ROADS,
                                    caoyang.ROAD_ALIASES, caoyang.BUILDINGS_PER_COMMUNITY)
    builder.build_households(sub)
    builder.build_departments(sub)
    from jiedao.core.roles import Role, ScopeLevel
    from jiedao.geo.models import Grid
    from jiedao.testing import make_user

    make_user("operator", role=Role.OPERATOR, subdistrict=sub, level=ScopeLevel.SUBDISTRICT)
    make_user("grid_worker", role=Role.GRID_WORKER, subdistrict=sub, level=ScopeLevel.GRID,
              grid=Grid.objects.filter(subdistrict=sub).order_by("code").first())
    case_defaults.install(subdistrict=sub)
    demo_cases.generate(subdistrict=sub, count=1500, seed=3, now=timezone.now())
    started = time.perf_counter()
    logins = demo_inspections.build(builder=builder, subdistrict=sub)
    return sub, logins, builder.counts, time.perf_counter() - started


def test_the_demo_has_points_rounds_shops_and_rooms_with_rosters(demo_caoyang):
    sub, logins, counts, _seconds = demo_caoyang
    kinds = set(Point.objects.filter(subdistrict=sub).values_list("kind__code", flat=True))
    assert kinds == {"stairwell", "shopfront", "garbage_room", "fire", "elevator", "manhole"}
    assert Shop.objects.filter(subdistrict=sub).count() == counts["inspection_shops"] > 50
    rooms = GarbageRoom.objects.filter(subdistrict=sub)
    assert rooms.count() > 20 and RoomDuty.objects.filter(room__subdistrict=sub).count() == 4 * rooms.count()
    assert {r.tier for r in Round.objects.filter(subdistrict=sub)} == {"routine", "self", "spot", "audit"}
    assert [u for u, _role, _place in logins] == ["fangzhang", "ducha"]


def test_a_year_of_checks_whose_failed_items_are_the_patrol_cases(demo_caoyang):
    sub, _logins, counts, _seconds = demo_caoyang
    checks = Check.objects.filter(subdistrict=sub)
    assert checks.count() == counts["inspection_checks"] > 3000
    oldest = timezone.localdate() - timezone.localtime(checks.order_by("at").first().at).date()
    assert dt.timedelta(days=330) < oldest <= dt.timedelta(days=366)
    failed = ItemResult.objects.filter(check_record__subdistrict=sub, passed=False).select_related("case", "item")
    assert failed.count() == counts["inspection_failed_items"] > 50
    codes = dict(Category.objects.values_list("pk", "code"))
    for result in failed[:200]:
        assert result.case.channel == Channel.PATROL
        assert codes[result.case.effective_category_id] == result.item.category_code
        assert result.case.community_id == result.point.community_id
    assert checks.filter(far=True).exists() and checks.filter(far=False).exists()


def test_the_history_has_missed_rounds_and_stars_below_five(demo_caoyang):
    from jiedao.core.models import User

    sub, _logins, _counts, _seconds = demo_caoyang
    operator = User.objects.get(username="operator")
    today = timezone.localdate()
    missed = selectors.missed_rounds(user=operator, start=today - dt.timedelta(days=90), end=today)
    rows = selectors.coverage(user=operator, start=today - dt.timedelta(days=90), end=today)
    assert missed and 0.6 < sum(r.done for r in rows) / sum(r.expected for r in rows) < 0.95
    month, lost = today.replace(day=1), []
    for _n in range(12):
        month = (month - dt.timedelta(days=1)).replace(day=1)
        estates, communities = stars.garbage_ratings(subdistrict_id=sub.pk, month=month)
        assert len(communities) == len({r.group for r in estates})
        lost += [x.code for r in estates for x in r.lost]
    assert "audit_failed" in lost


def test_the_demo_volunteer_scans_a_room_of_their_community(demo_caoyang):
    from jiedao.core.models import User

    fangzhang = User.objects.get(username="fangzhang")
    room = GarbageRoom.objects.filter(community=fangzhang.community).first()
    form = services.open_scan(by=fangzhang, token=services.label_token(room.point))
    assert form.round.tier == "self" and [i.code for i in form.items][:2] == ["mixed", "overflow"]
