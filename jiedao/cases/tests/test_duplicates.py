"""疑似重复 (issue 20): the same incident reported in other words is flagged across channels, with reasons the
operator can check; different problems at one place are not; bad input flags nothing; the operator's 合并 /
不是重复 is recorded, and the share of flags accepted counted per month."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from jiedao.cases import selectors, services
from jiedao.cases.models import Case, Channel, EventKind, Status
from jiedao.cases.services import duplicates
from jiedao.core.models import AuditAction, AuditLog
from jiedao.core.roles import Role, ScopeLevel
from jiedao.testing import make_user

GATE = "兰溪路200弄5号"  # building b11 of the test world
# Two points 20 m apart on either side of the border between grids g11 and g12 (same 居委).
WEST, EAST = (31.2325, 121.40490), (31.2325, 121.40510)


def hotline(w, text, **kw):
    return services.intake(subdistrict=w.sub, channel=Channel.HOTLINE, description=text, by=w.operator, **kw).case


def test_the_same_incident_in_other_words_is_flagged_across_channels(cases_world, clock):
    w = cases_world
    first = hotline(w, "我们小区大门口那根路灯柱子上的灯坏掉了，天一黑什么都看不见", address=GATE)
    clock.advance(minutes=40)
    patrol = services.report(by=w.grid_worker, description="小区门口照明灯不亮，已拍照上报", lat=w.b11.lat,
                             lon=w.b11.lon)
    clock.advance(hours=2)
    sensor = services.sensor_alarm(subdistrict=w.sub, device="LD-0205", alarm_type="路灯离线", alarm_id="A-1",
                                   by=w.operator, address=GATE).case
    assert patrol.channel == Channel.PATROL and patrol.possible_duplicate_of == first
    assert sensor.channel == Channel.SENSOR and sensor.possible_duplicate_of in (first, patrol)
    created = sensor.events.get(kind=EventKind.CREATED)
    assert created.data["possible_duplicate_of"] == sensor.possible_duplicate_of.number


def test_different_problems_at_the_same_place_are_not_flagged(cases_world, clock):
    w = cases_world
    hotline(w, "楼下那家饭店的油烟直接往我家窗户里灌，一股油腻味", address=GATE)
    clock.advance(minutes=30)
    noise = hotline(w, "楼下那家饭店后厨半夜还在剁肉洗碗，叮叮当当吵得睡不着", address=GATE)
    clock.advance(minutes=30)
    lamp = hotline(w, "小区门口的路灯不亮了", address=GATE)
    clock.advance(minutes=30)
    pavement = hotline(w, "小区门口人行道的地砖翘起来好几块，差点绊倒", address=GATE)
    assert (noise.possible_duplicate_of, pavement.possible_duplicate_of) == (None, None)
    assert lamp.possible_duplicate_of is None


def test_the_answer_is_up_to_three_candidates_with_probability_and_reasons(cases_world, clock):
    w = cases_world
    texts = ["门口路灯坏了好几天了", "大门口那盏灯晚上不亮", "小区门口路灯不亮，晚上很黑", "门口的灯坏了没人修"]
    earlier = []
    for text in texts:
        earlier.append(hotline(w, text, address=GATE))
        clock.advance(minutes=20)
    case = hotline(w, "我们小区门口的照明灯一到晚上就灭，出门看不清路", address=GATE)
    matches = duplicates.duplicate_matches(case=case, user=w.operator)
    assert len(matches) == 3
    assert [m.probability for m in matches] == sorted((m.probability for m in matches), reverse=True)
    assert case.possible_duplicate_of_id == matches[0].case_id
    assert {m.case_id for m in matches} <= {c.pk for c in earlier}
    best = matches[0]
    assert best.probability >= 0.5 and best.reasons[0] == "同一楼栋"
    assert "同为路灯损坏" in best.reasons and any(r.endswith("分钟内") or r.endswith("小时内") for r in best.reasons)
    assert best.reasons_text == " · ".join(best.reasons) and best.reasons[-1].startswith("描述")
    answer = best.as_dict()
    assert answer["number"] == best.number and 0.5 <= answer["probability"] <= 1 and answer["reasons"]
    with translation.override("en"):
        english = duplicates.duplicate_matches(case=case, user=w.operator)[0].reasons
    assert english[0] == "same building" and any(r.startswith("within ") for r in english)


def test_the_reasons_give_distance_hours_and_both_categories_when_they_differ(cases_world, clock):
    w = cases_world
    first = hotline(w, "路口那个窨井盖松了，车一压就哐当响", lat=WEST[0], lon=WEST[1])
    clock.advance(hours=5)
    case = hotline(w, "路口的下水道盖板翘起来了，骑车差点摔", lat=EAST[0], lon=EAST[1])
    [match] = [m for m in duplicates._scored(case, statuses=duplicates._INTAKE_STATUSES) if m.case_id == first.pk]
    assert match.reasons[0] == "相距 19 米" and match.reasons[1] == "5 小时内"
    other = Case(subdistrict=w.sub, description="路口的路灯坏了", lat=EAST[0], lon=EAST[1], building=None,
                 suggestion={"category": "路灯损坏", "confidence": 0.9, "alternatives": []},
                 reported_at=clock.now + dt.timedelta(days=2))
    [match] = [m for m in duplicates._scored(other, statuses=duplicates._INTAKE_STATUSES) if m.case_id == first.pk]
    assert match.reasons[1] == "3 天内" and f"分类：路灯损坏 / {first.suggestion['category']}" in match.reasons


def test_one_or_two_characters_or_no_place_flag_nothing_and_raise_nothing(cases_world, clock):
    w = cases_world
    hotline(w, "灯", address=GATE)
    clock.advance(minutes=5)
    assert hotline(w, "路灯", address=GATE).possible_duplicate_of is None  # the candidate's text is too short too
    clock.advance(minutes=5)
    full = hotline(w, "小区门口的路灯坏了，晚上很黑", address=GATE)
    clock.advance(minutes=5)
    assert hotline(w, "灯坏", address=GATE).possible_duplicate_of is None
    assert hotline(w, "!!", address=GATE).possible_duplicate_of is None
    clock.advance(minutes=5)
    nowhere = hotline(w, "门口的路灯坏了，晚上黑漆漆的", address="就在那个老地方")
    assert nowhere.needs_placement and nowhere.possible_duplicate_of is None
    assert duplicates.duplicate_matches(case=nowhere, user=w.operator) == []
    assert hotline(w, "门口的路灯坏了，晚上看不见路", address=GATE).possible_duplicate_of == full


def test_a_candidate_the_user_cannot_see_is_left_out(cases_world, clock):
    w = cases_world
    east = hotline(w, "路边那盏路灯一直不亮，晚上走路害怕", lat=EAST[0], lon=EAST[1])
    clock.advance(minutes=30)
    west = hotline(w, "这边路灯坏了，天黑以后一片漆黑", lat=WEST[0], lon=WEST[1])
    assert (east.grid, west.grid) == (w.g12, w.g11)
    assert west.possible_duplicate_of == east  # intake sees every case of the subdistrict
    assert [m.number for m in duplicates.duplicate_matches(case=west, user=w.operator)] == [east.number]
    assert duplicates.duplicate_matches(case=west, user=w.grid_worker) == []  # g12 is not the grid worker's
    with pytest.raises(PermissionDenied):
        duplicates.duplicate_matches(case=west, user=w.other_operator)
    assert AuditLog.objects.filter(action=AuditAction.DENIED, actor=w.other_operator).exists()


def test_case_lists_name_a_flagged_case_only_to_those_who_may_see_it(cases_world, clock, login):
    """The queue and the KPI drill-down list a case of grid g11 flagged against one in the next grid: the
    lists of a leader of g11 leave the other case's number out, the operator's name it."""
    w = cases_world
    g11_leader = make_user("g11_leader", role=Role.LEADER, subdistrict=w.sub, level=ScopeLevel.GRID, grid=w.g11)
    east = hotline(w, "路边那盏路灯一直不亮，晚上走路害怕", lat=EAST[0], lon=EAST[1])
    clock.advance(minutes=30)
    west = hotline(w, "这边路灯坏了，天黑以后一片漆黑", lat=WEST[0], lon=WEST[1])
    assert west.possible_duplicate_of == east and west.grid == w.g11
    day = clock.now.date()
    urls = ["/api/v1/cases/?limit=50",
            f"/api/v1/cases/kpis/cases?metric=duplicate_rate&part=denominator&start={day}"
            f"&end={day + dt.timedelta(days=1)}"]
    for user, expected in ((g11_leader, None), (w.operator, east.number)):
        client = login(user)
        for url in urls:
            answer = client.get(url)
            assert answer.status_code == 200, answer.content
            [row] = [r for r in answer.json()["items"] if r["number"] == west.number]
            assert row["possible_duplicate_of"] == expected, (user, url)
            if user == g11_leader:
                assert east.number not in answer.content.decode()


def test_a_flag_still_shows_its_case_once_closed_but_a_preview_asks_as_intake(cases_world, clock):
    w = cases_world
    first = hotline(w, "小区门口的路灯坏了好几天，晚上很黑", address=GATE)
    clock.advance(hours=1)
    second = hotline(w, "大门口那盏灯不亮了，晚上出门看不清路", address=GATE)
    Case.objects.filter(pk=first.pk).update(status=Status.CLOSED)
    assert [m.case_id for m in duplicates.duplicate_matches(case=second, user=w.operator)] == [first.pk]
    # The second order as the 12345 desk's preview asked for it, a minute before it was saved.
    preview = Case(subdistrict=w.sub, description=second.description, lat=second.lat, lon=second.lon,
                   building=second.building, suggestion=second.suggestion,
                   reported_at=clock.now - dt.timedelta(minutes=1))
    assert duplicates.duplicate_matches(case=preview, user=w.operator) == []  # intake flags open cases only
    assert duplicates.find_duplicate(case=preview) is None
    Case.objects.filter(pk=first.pk).update(status=Status.CANCELLED)
    assert duplicates.duplicate_matches(case=second, user=w.operator) == []


def test_finding_a_duplicate_is_one_query(cases_world, clock, django_assert_num_queries):
    w = cases_world
    for text in ("门口路灯坏了好几天了", "门口的路灯不亮", "小区门口饭店油烟很大"):
        hotline(w, text, address=GATE)
        clock.advance(minutes=10)
    case = hotline(w, "门口那盏灯晚上不亮", address=GATE)
    unsaved = Case(id=case.pk, subdistrict=w.sub, description=case.description, lat=case.lat, lon=case.lon,
                   building=case.building, suggestion=case.suggestion, reported_at=clock.now)  # as intake asks
    with django_assert_num_queries(1):
        assert duplicates.find_duplicate(case=unsaved) == case.possible_duplicate_of


# The operator's decision


def flagged_pair(w, clock) -> tuple[Case, Case]:
    first = hotline(w, "小区门口的路灯坏了好几天，晚上很黑", address=GATE)
    clock.advance(hours=1)
    second = hotline(w, "大门口那盏灯不亮了，晚上出门看不清路", address=GATE)
    assert second.possible_duplicate_of == first
    return first, second


def test_merging_a_flagged_case_is_recorded_on_the_case_and_audited(cases_world, clock):
    w = cases_world
    first, second = flagged_pair(w, clock)
    merged = duplicates.decide_duplicate(by=w.operator, case=second, accepted=True)
    merged.refresh_from_db()
    assert merged.status == Status.CANCELLED and merged.duplicate_of == first
    assert merged.duplicate_accepted is True and merged.duplicate_decided_at == clock.now
    assert merged.events.filter(kind=EventKind.MERGED).get().data == {"into": first.number}
    assert AuditLog.objects.filter(action=AuditAction.UPDATE, object_id=str(second.pk),
                                   detail__duplicate="merged", detail__into=first.number).exists()


def test_a_merged_case_cannot_be_answered_not_a_duplicate_afterwards(cases_world, clock):
    w = cases_world
    _first, second = flagged_pair(w, clock)
    merged = duplicates.decide_duplicate(by=w.operator, case=second, accepted=True)
    with pytest.raises(ValidationError):
        duplicates.decide_duplicate(by=w.operator, case=merged, accepted=False)
    merged.refresh_from_db()
    assert merged.duplicate_accepted is True and not merged.events.filter(kind=EventKind.NOT_DUPLICATE).exists()
    month = clock.now.date().replace(day=1)
    assert duplicates.duplicate_acceptance(user=w.operator, months=[month])[0]["accepted"] == 1


def test_merging_into_another_candidate_takes_its_number(cases_world, clock):
    w = cases_world
    first, _second = flagged_pair(w, clock)
    clock.advance(hours=1)
    third = hotline(w, "门口路灯不亮，黑灯瞎火的", address=GATE)
    merged = duplicates.decide_duplicate(by=w.operator, case=third, accepted=True, into=first.number)
    assert merged.duplicate_of == first and merged.duplicate_accepted is True


def test_not_a_duplicate_clears_the_flag_and_says_which_case_it_was(cases_world, clock):
    w = cases_world
    first, second = flagged_pair(w, clock)
    clock.advance(minutes=3)
    kept = duplicates.decide_duplicate(by=w.operator, case=second, accepted=False, note="另一盏灯",
                                       version=second.version)
    kept.refresh_from_db()
    assert kept.status == Status.NEW and kept.possible_duplicate_of is None and kept.duplicate_of is None
    assert kept.duplicate_accepted is False and kept.duplicate_decided_at == clock.now
    assert kept.version == second.version + 1
    event = kept.events.get(kind=EventKind.NOT_DUPLICATE)
    assert (event.data, event.note, event.actor) == ({"candidate": first.number}, "另一盏灯", w.operator)
    assert AuditLog.objects.filter(action=AuditAction.UPDATE, object_id=str(second.pk),
                                   detail__duplicate="rejected", detail__candidate=first.number).exists()
    flagged = selectors.queue(user=w.operator, filters=selectors.QueueFilters(status="all", duplicates=True))
    assert list(flagged) == []  # the queue's 疑似重复 filter no longer lists it
    with pytest.raises(ValidationError):  # answered once
        duplicates.decide_duplicate(by=w.operator, case=kept, accepted=False)


def test_a_stale_version_is_a_conflict_and_changes_nothing(cases_world, clock):
    w = cases_world
    _first, second = flagged_pair(w, clock)
    with pytest.raises(services.Conflict):
        duplicates.decide_duplicate(by=w.operator, case=second, accepted=False, version=second.version + 5)
    second.refresh_from_db()
    assert second.possible_duplicate_of is not None and second.duplicate_accepted is None


def test_only_an_operator_in_scope_decides(cases_world, clock):
    w = cases_world
    _first, second = flagged_pair(w, clock)
    for user in (w.grid_worker, w.handler, w.other_operator):
        with pytest.raises(PermissionDenied):
            duplicates.decide_duplicate(by=user, case=second, accepted=False)
        assert AuditLog.objects.filter(action=AuditAction.DENIED, actor=user).exists()
    second.refresh_from_db()
    assert second.possible_duplicate_of is not None and second.duplicate_accepted is None


def test_a_case_without_a_flag_or_a_target_out_of_sight_is_refused(cases_world, clock):
    w = cases_world
    first, second = flagged_pair(w, clock)
    with pytest.raises(ValidationError) as exc:
        duplicates.decide_duplicate(by=w.operator, case=first, accepted=True, into=second.number)
    assert "possible_duplicate_of" in exc.value.message_dict
    elsewhere = services.intake(subdistrict=w.other_sub, channel=Channel.HOTLINE, description="路灯坏了很久",
                                by=w.other_operator).case
    for into in (elsewhere.number, "不存在的编号"):  # another subdistrict's case reads as no case at all
        with pytest.raises(ValidationError) as exc:
            duplicates.decide_duplicate(by=w.operator, case=second, accepted=True, into=into)
        assert exc.value.message_dict == {"into": ["请填写要合并到的有效案件编号"]}
    assert AuditLog.objects.filter(action=AuditAction.ERROR, object_id=str(second.pk)).count() == 2
    second.refresh_from_db()
    assert second.status == Status.NEW and second.duplicate_accepted is None


# 疑似重复采纳率 for the KPI page


def test_the_share_of_flags_accepted_is_counted_per_month(cases_world, clock):
    w = cases_world
    clock.set(2026, 9, 10, 9, 0)
    _a, b = flagged_pair(w, clock)
    duplicates.decide_duplicate(by=w.operator, case=b, accepted=True)
    clock.set(2026, 10, 5, 9, 0)
    _c, d = flagged_pair(w, clock)
    duplicates.decide_duplicate(by=w.operator, case=d, accepted=False)
    clock.advance(hours=1)
    e = hotline(w, "门口路灯坏了，晚上出门要打手电", address=GATE)
    assert e.possible_duplicate_of is not None
    services.perform(case=e, action="merge", by=w.operator)  # the plain merge step counts as accepted too
    clock.advance(hours=1)
    f = hotline(w, "门口那盏路灯还是不亮", address=GATE)
    assert f.possible_duplicate_of is not None  # not answered yet
    clock.advance(hours=1)
    hotline(w, "梅岭北路41号楼下垃圾没人清运", address="梅岭北路41号")  # not flagged: not counted
    clock.set(2026, 11, 5, 9, 0)
    months = [dt.date(2026, 9, 1), dt.date(2026, 10, 1), dt.date(2026, 11, 1)]
    rows = duplicates.duplicate_acceptance(user=w.operator, months=months)
    assert rows == [
        {"month": months[0], "flagged": 1, "accepted": 1, "rejected": 0, "pending": 0, "rate": 100.0},
        {"month": months[1], "flagged": 3, "accepted": 1, "rejected": 1, "pending": 1, "rate": 50.0},
        {"month": months[2], "flagged": 0, "accepted": 0, "rejected": 0, "pending": 0, "rate": None},
    ]
    # Within the reader's scope: the cases lie in 片区 1, the area leader leads 片区 2.
    assert [r["flagged"] for r in duplicates.duplicate_acceptance(user=w.area_leader, months=months)] == [0, 0, 0]
    with pytest.raises(PermissionDenied):
        duplicates.duplicate_acceptance(user=w.grid_worker, months=months)
