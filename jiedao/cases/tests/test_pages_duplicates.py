"""疑似重复 on a case's page (issue 20): the likely earlier reports of the same incident with how likely and
why, for the staff who may see them; the operator's 合并 or 不是重复 recorded through
services.decide_duplicate and shown afterwards; a case the user cannot see is never named."""

import json
import re

import pytest

from jiedao.cases import services
from jiedao.cases.models import Channel, EventKind, Status
from jiedao.core.models import AuditAction, AuditLog

GATE = "兰溪路200弄5号"  # building b11 of the test world, in grid g11
# Two points 20 m apart on either side of the border between grids g11 and g12 (same 居委).
WEST, EAST = (31.2325, 121.40490), (31.2325, 121.40510)


def hotline(w, text, **kw):
    return services.intake(subdistrict=w.sub, channel=Channel.HOTLINE, description=text, by=w.operator, **kw).case


@pytest.fixture
def pair(cases_world, clock):
    """Two orders of one broken lamp an hour apart, in other words: the second flagged as the first's
    duplicate; and an earlier third order of the same lamp."""
    w = cases_world
    third = hotline(w, "门口路灯坏了好几天了，晚上很黑", address=GATE)
    clock.advance(minutes=30)
    first = hotline(w, "小区门口的路灯坏了好几天，晚上很黑", address=GATE)
    clock.advance(hours=1)
    second = hotline(w, "大门口那盏灯不亮了，晚上出门看不清路", address=GATE)
    assert second.possible_duplicate_of in (first, third)
    return first, second, third


def section(html: str) -> str:
    found = re.search(r'<section class="card duplicates.*?</section>', html, re.S)
    return found.group(0) if found else ""


def test_the_case_page_lists_the_likely_duplicates_with_probability_and_reasons(pair, login, cases_world):
    first, second, third = pair
    page = login(cases_world.operator).get(f"/cases/{second.number}/").content.decode()
    box = section(page)
    assert box, "no 疑似重复 section"
    matches = services.duplicate_matches(case=second)
    assert {m.number for m in matches} == {first.number, third.number}
    for m in matches:
        assert f'href="/cases/{m.number}/"' in box
        assert f"{round(100 * m.probability)}%" in box
        assert m.reasons_text in box and "同一楼栋" in m.reasons_text
    assert box.index(matches[0].number) < box.index(matches[1].number)  # likeliest first
    assert "受理时标记" in box  # which one intake flagged
    # The operator answers: 合并 into either candidate, or 不是重复.
    assert box.count('name="duplicate-accepted" value="1"') == 2 and 'name="duplicate-accepted" value="0"' in box
    assert f'name="duplicate-version" value="{second.version}"' in box


def test_a_case_without_likely_duplicates_has_no_section(pair, login, cases_world):
    _first, _second, third = pair
    page = login(cases_world.operator).get(f"/cases/{third.number}/").content.decode()
    assert section(page) == "" and "不是重复" not in page


def test_staff_who_do_not_operate_see_the_matches_without_the_buttons(pair, login, cases_world):
    first, second, _third = pair
    box = section(login(cases_world.grid_worker).get(f"/cases/{second.number}/").content.decode())
    assert first.number in box and "%" in box
    assert "duplicate-accepted" not in box and "/duplicate/" not in box


def test_a_candidate_outside_the_users_scope_is_never_named(cases_world, clock, login):
    w = cases_world
    east = hotline(w, "路边那盏路灯一直不亮，晚上走路害怕", lat=EAST[0], lon=EAST[1])
    clock.advance(minutes=30)
    west = hotline(w, "这边路灯坏了，天黑以后一片漆黑", lat=WEST[0], lon=WEST[1])
    assert (east.grid, west.grid, west.possible_duplicate_of) == (w.g12, w.g11, east)
    assert east.number in section(login(w.operator).get(f"/cases/{west.number}/").content.decode())
    page = login(w.grid_worker).get(f"/cases/{west.number}/").content.decode()  # g11's worker: east is in g12
    assert east.number not in page  # not in the section, not in the timeline's 疑似重复 line, nowhere
    assert section(page) == ""


def test_merging_from_the_page_is_recorded_as_the_flags_answer(pair, login, cases_world, clock):
    first, second, third = pair
    other = third if second.possible_duplicate_of == first else first
    client = login(cases_world.operator)
    clock.advance(minutes=5)
    response = client.post(f"/cases/{second.number}/duplicate/", {
        "duplicate-accepted": "1", "duplicate-into": other.number, "duplicate-version": second.version})
    assert response.status_code == 302 and response["Location"] == f"/cases/{second.number}/"
    second.refresh_from_db()
    assert (second.status, second.duplicate_of, second.duplicate_accepted) == (Status.CANCELLED, other, True)
    assert second.duplicate_decided_at == clock.now
    page = client.get(f"/cases/{second.number}/").content.decode()
    assert f"已合并到 {other.number}" in page  # the message
    box = section(page)
    assert "已合并为重复件" in box and f'href="/cases/{other.number}/"' in box and "duplicate-accepted" not in box
    assert clock.now.strftime("%Y-%m-%d %H:%M") in box


def test_not_a_duplicate_from_the_page_clears_the_flag_and_says_so(pair, login, cases_world):
    _first, second, _third = pair
    flagged = second.possible_duplicate_of
    client = login(cases_world.operator)
    response = client.post(f"/cases/{second.number}/duplicate/", {
        "duplicate-accepted": "0", "duplicate-note": "另一盏灯", "duplicate-version": second.version})
    assert response.status_code == 302
    second.refresh_from_db()
    assert (second.status, second.possible_duplicate_of, second.duplicate_accepted) == (Status.NEW, None, False)
    page = client.get(f"/cases/{second.number}/").content.decode()
    box = section(page)
    assert "已判定不是重复" in box and f"与 {flagged.number} 不是同一事件" in box
    assert "duplicate-accepted" not in box  # answered once
    assert "另一盏灯" in page  # the note, on the timeline's 判定不是重复 event
    assert second.events.filter(kind=EventKind.NOT_DUPLICATE).count() == 1


def test_the_merge_step_of_a_flagged_case_goes_through_the_decision(pair, login, cases_world):
    _first, second, _third = pair
    response = login(cases_world.operator).post(f"/cases/{second.number}/actions/merge/", {
        "merge-into": second.possible_duplicate_of.number, "merge-note": "同一盏灯", "merge-version": second.version})
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.status == Status.CANCELLED and second.duplicate_of == second.possible_duplicate_of
    assert second.duplicate_accepted is True
    assert AuditLog.objects.filter(action=AuditAction.UPDATE, object_id=str(second.pk),
                                   detail__duplicate="merged").exists()


def test_a_stale_decision_is_refused_with_the_case_as_it_is_now(pair, login, cases_world):
    _first, second, _third = pair
    services.perform(case=second, action="note", by=cases_world.operator, note="已电话核实")
    response = login(cases_world.operator).post(f"/cases/{second.number}/duplicate/", {
        "duplicate-accepted": "0", "duplicate-note": "不是一回事", "duplicate-version": second.version})
    assert response.status_code == 409
    box = section(response.content.decode())
    assert "已被他人更新" in box and 'value="不是一回事"' in box  # their note kept
    second.refresh_from_db()
    assert f'name="duplicate-version" value="{second.version}"' in box
    assert second.duplicate_accepted is None and second.possible_duplicate_of is not None


def test_merging_into_a_number_the_operator_cannot_use_is_refused_on_the_page(pair, login, cases_world):
    _first, second, _third = pair
    response = login(cases_world.operator).post(f"/cases/{second.number}/duplicate/", {
        "duplicate-accepted": "1", "duplicate-into": "NOPE-1", "duplicate-version": second.version})
    assert response.status_code == 400
    assert "请填写要合并到的有效案件编号" in section(response.content.decode())
    second.refresh_from_db()
    assert second.status == Status.NEW and second.duplicate_accepted is None


def test_only_an_operator_in_scope_may_decide(pair, login, cases_world):
    _first, second, _third = pair
    for user in (cases_world.grid_worker, cases_world.other_operator):
        response = login(user).post(f"/cases/{second.number}/duplicate/", {
            "duplicate-accepted": "0", "duplicate-version": second.version})
        assert response.status_code in (403, 404)
    second.refresh_from_db()
    assert second.duplicate_accepted is None and second.possible_duplicate_of is not None
    assert AuditLog.objects.filter(action=AuditAction.DENIED, actor=cases_world.grid_worker).exists()


# 疑似重复采纳率 on the KPI page


def flagged_lamp(w, clock, address):
    hotline(w, "小区门口的路灯坏了好几天，晚上很黑", address=address)
    clock.advance(hours=1)
    case = hotline(w, "大门口那盏灯不亮了，晚上出门看不清路", address=address)
    assert case.possible_duplicate_of is not None
    return case


def test_the_kpi_page_shows_the_share_of_flags_accepted_each_month(cases_world, clock, login):
    w = cases_world
    merged, kept, _waiting = (flagged_lamp(w, clock, a) for a in (GATE, "兰溪路200弄6号", "梅岭北路41号"))
    services.decide_duplicate(by=w.operator, case=merged, accepted=True)
    services.decide_duplicate(by=w.operator, case=kept, accepted=False)
    clock.set(2026, 10, 12, 9, 0)  # a month earlier: one flag, merged
    services.decide_duplicate(by=w.operator, case=flagged_lamp(w, clock, "梅岭北路43号"), accepted=True)

    response = login(w.operator).get("/cases/kpis/?period=month&date=2026-11-02&by=department")
    page = response.content.decode()
    table = re.search(r'<table class="data monthly" data-testid="duplicate-acceptance">.*?</table>', page,
                      re.S).group(0)
    rows = dict(re.findall(r'<tr data-month="(\d{4}-\d\d)">(.*?)</tr>', table, re.S))
    assert list(rows) == ["2025-12", *(f"2026-{m:02d}" for m in range(1, 12))]  # the trend chart's 12 months

    def cells(month):
        return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r'<td class="num \w+">(.*?)</td>', rows[month],
                                                                        re.S)]

    assert cells("2026-11") == ["50.0%", "3", "1", "1", "1"]  # rate, flagged, merged, not, waiting
    assert cells("2026-10") == ["100.0%", "1", "1", "0", "0"]
    assert cells("2026-09") == ["—", "0", "0", "0", "0"]  # nothing answered: no rate, not 0 %
    charts = json.loads(re.search(r'<script id="kpi-charts" type="application/json">(.*?)</script>', page,
                                  re.S).group(1))
    acceptance = charts["acceptance"]
    assert acceptance["rate"]["data"][-2:] == [100.0, 50.0] and acceptance["rate"]["data"][0] is None
    assert [s["data"][-1] for s in acceptance["series"]] == [1, 1, 1]
    assert "疑似重复采纳率" in page and "判定合并为重复件的比例" in page  # its definition under 指标说明


def test_the_acceptance_figure_counts_only_the_readers_scope(cases_world, clock, login):
    w = cases_world
    services.decide_duplicate(by=w.operator, case=flagged_lamp(w, clock, "梅岭北路41号"), accepted=False)  # area 2
    services.decide_duplicate(by=w.operator, case=flagged_lamp(w, clock, GATE), accepted=True)  # area 1
    page = login(w.area_leader).get("/cases/kpis/?period=month&date=2026-11-02").content.decode()  # area 2's
    assert re.search(r'<tr data-month="2026-11"><th scope="row">2026-11</th>\s*<td class="num rate"><strong>0.0%'
                     r'</strong></td>\s*<td class="num flagged">1</td>', page)
    page = login(w.leader).get("/cases/kpis/?period=month&date=2026-11-02").content.decode()
    assert re.search(r'<tr data-month="2026-11"><th scope="row">2026-11</th>\s*<td class="num rate"><strong>50.0%'
                     r'</strong></td>\s*<td class="num flagged">2</td>', page)
    other = login(w.other_operator).get("/cases/kpis/?period=month&date=2026-11-02").content.decode()
    assert re.search(r'<tr data-month="2026-11"><th scope="row">2026-11</th>\s*<td class="num rate"><span '
                     r'class="muted">—</span></td>\s*<td class="num flagged">0</td>', other)
