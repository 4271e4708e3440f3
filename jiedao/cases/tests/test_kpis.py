"""KPIs (考核指标) against a hand-built history whose every number is worked out by hand below."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from jiedao.cases import selectors, services
from jiedao.cases.models import Channel

from .conftest import TZ


def intake(w, text, address="兰溪路200弄5号", category="噪音扰民"):
    return services.intake(subdistrict=w.sub, channel=Channel.HOTLINE, description=text, address=address,
                           by=w.operator, category=category).case


@pytest.fixture
def history(cases_world, clock):
    """Six cases; the comment on each says what it contributes to November 2026.

    A  registered 11-02, dispatched 11-02 09:00 to 城管 (1 working day: due 11-03 24:00), contacted after 1 h,
       handled 11-03 10:00, closed 11-03 11:00 (on time), rated 满意.          handling 26 h
    B  registered 11-02, dispatched 11-02 09:00 to 派出所, contacted after 5 h (late: limit 2 h), handled
       11-04 09:00, reworked, handled 11-05 09:00 (late), closed 11-05 10:00, rated 不满意.   handling 73 h
    C  registered 11-04, dispatched 11-04 09:00 to 城管, contacted after 1 h, extension of 3 working days
       approved (due 11-10 24:00), handled 11-09 09:00, closed 11-09 10:00 (on time).   handling 121 h
    D  registered 11-05, dispatched 11-05 09:00 to 城管, never contacted, still in hand: overdue on 11-20.
    E  received 11-05, merged into D as a duplicate (never registered).
    F  registered and dispatched 10-30 (Friday) to 城管 (due 11-02 24:00), contacted, handled 11-02 08:00,
       closed 11-02 08:30: closed in November, registered and dispatched in October.   handling 71.5 h
    """
    w = cases_world
    op, cg, pc = w.operator, w.chengguan, w.police

    def go(case, *steps):
        for action, who, extra in steps:
            case = services.perform(case=case, action=action, by=who, **extra)
        return case

    clock.set(2026, 10, 30, 9, 0)
    f = intake(w, "杏山路上路灯不亮，晚上很黑", category="噪音扰民")
    f = go(f, ("register", op, {}), ("dispatch", op, {"department": "CGZD"}), ("accept", cg, {}),
           ("contact", cg, {"note": "已联系"}))
    clock.set(2026, 11, 2, 8, 0)
    f = go(f, ("handle", cg, {"note": "已处理"}))
    clock.set(2026, 11, 2, 8, 30)
    f = go(f, ("close", op, {}))

    clock.set(2026, 11, 2, 8, 50)
    a = intake(w, "楼下饭店半夜搬东西很吵")
    b = intake(w, "隔壁邻居家狗天天叫", address="梅岭北路41号")
    a = go(a, ("register", op, {}))
    b = go(b, ("register", op, {}))
    clock.set(2026, 11, 2, 9, 0)
    a = go(a, ("dispatch", op, {"department": "CGZD"}), ("accept", cg, {}))
    b = go(b, ("dispatch", op, {"department": "PCS"}), ("accept", pc, {}))
    clock.set(2026, 11, 2, 10, 0)
    a = go(a, ("contact", cg, {"note": "已联系"}))
    clock.set(2026, 11, 2, 14, 0)
    b = go(b, ("contact", pc, {"note": "已联系"}))
    clock.set(2026, 11, 3, 10, 0)
    a = go(a, ("handle", cg, {"note": "已处理"}))
    clock.set(2026, 11, 3, 11, 0)
    a = go(a, ("close", op, {}), ("visit", op, {"rating": 3}))
    clock.set(2026, 11, 4, 9, 0)
    b = go(b, ("handle", pc, {"note": "已处理"}), ("rework", op, {"note": "仍有问题"}))
    c = go(intake(w, "小区门口有人摆摊卖菜占道"), ("register", op, {}), ("dispatch", op, {"department": "CGZD"}),
           ("accept", cg, {}))
    clock.set(2026, 11, 4, 10, 0)
    c = go(c, ("contact", cg, {"note": "已联系"}), ("request_extension", cg, {"days": 3, "note": "需协调"}),
           ("approve_extension", op, {}))
    clock.set(2026, 11, 5, 9, 0)
    b = go(b, ("handle", pc, {"note": "已再次处理"}))
    d = go(intake(w, "居民楼道里堆满杂物，消防通道被占", address="兰溪路200弄6号"), ("register", op, {}),
           ("dispatch", op, {"department": "CGZD"}))
    e = intake(w, "居民楼道里堆满杂物，消防通道被堵", address="兰溪路200弄6号")
    e = go(e, ("merge", op, {"into": d.number}))
    clock.set(2026, 11, 5, 10, 0)
    b = go(b, ("close", op, {}), ("visit", op, {"rating": 1}))
    clock.set(2026, 11, 9, 9, 0)
    c = go(c, ("handle", cg, {"note": "已处理"}))
    clock.set(2026, 11, 9, 10, 0)
    c = go(c, ("close", op, {}))
    clock.set(2026, 11, 20, 12, 0)
    return {"a": a, "b": b, "c": c, "d": d, "e": e, "f": f}


def november():
    return dt.datetime(2026, 11, 1, tzinfo=TZ), dt.datetime(2026, 12, 1, tzinfo=TZ)


def test_every_kpi_matches_the_hand_computed_value(cases_world, history):
    start, end = november()
    total = selectors.kpis(user=cases_world.operator, start=start, end=end)["total"]
    assert total["registered"] == 4                      # A B C D (F in October, E never)
    assert total["closed"] == 4                          # A B C F
    assert total["close_rate"] == {"numerator": 3, "denominator": 4, "rate": 75.0}        # of A B C D
    assert total["on_time_rate"] == {"numerator": 3, "denominator": 4, "rate": 75.0}      # B late
    assert total["first_contact_rate"] == {"numerator": 2, "denominator": 4, "rate": 50.0}  # A C; B late, D none
    assert total["rework_rate"] == {"numerator": 1, "denominator": 4, "rate": 25.0}        # B
    assert total["extension_rate"] == {"numerator": 1, "denominator": 4, "rate": 25.0}     # C
    assert total["satisfaction_rate"] == {"numerator": 1, "denominator": 2, "rate": 50.0}  # A 满意, B 不满意
    assert total["duplicate_rate"] == {"numerator": 1, "denominator": 5, "rate": 20.0}     # E of A B C D E
    assert total["avg_handling_hours"] == round((26 + 73 + 121 + 71.5) / 4, 1)
    assert total["overdue_open"] == 1                    # D


def test_kpis_by_department_and_by_month(cases_world, history):
    start, end = november()
    rows = {r["label"]: r["metrics"] for r in selectors.kpis(user=cases_world.operator, start=start, end=end,
                                                              by="department")["rows"]}
    assert rows["派出所"]["on_time_rate"]["rate"] == 0.0 and rows["派出所"]["closed"] == 1
    assert rows["城管执法中队"]["on_time_rate"] == {"numerator": 3, "denominator": 3, "rate": 100.0}
    assert rows["城管执法中队"]["overdue_open"] == 1
    months = selectors.kpis(user=cases_world.operator, start=dt.datetime(2026, 10, 1, tzinfo=TZ), end=end,
                            bucket="month")["rows"]
    by_month = {r["bucket"]: r["metrics"] for r in months if r["bucket"] != "now"}
    assert by_month["2026-10-01"]["registered"] == 1 and by_month["2026-11-01"]["registered"] == 4


def rate(n, d):
    return {"numerator": n, "denominator": d, "rate": round(100 * n / d, 1) if d else None}


def test_every_kpi_by_department_matches_the_hand_computed_value(cases_world, history):
    """By department, each case counted only for the date columns that fall in the period (F: closed in
    November, registered and dispatched in October), under the department it is with now."""
    start, end = november()
    rows = {r["label"]: r["metrics"] for r in selectors.kpis(user=cases_world.operator, start=start, end=end,
                                                              by="department")["rows"]}
    assert rows["城管执法中队"] == {                        # A C D F
        "registered": 3, "closed": 3, "close_rate": rate(2, 3), "on_time_rate": rate(3, 3),
        "first_contact_rate": rate(2, 3), "rework_rate": rate(0, 3), "extension_rate": rate(1, 3),
        "satisfaction_rate": rate(1, 1), "duplicate_rate": rate(0, 3),
        "avg_handling_hours": round((26 + 121 + 71.5) / 3, 1), "overdue_open": 1}
    assert rows["派出所"] == {                              # B
        "registered": 1, "closed": 1, "close_rate": rate(1, 1), "on_time_rate": rate(0, 1),
        "first_contact_rate": rate(0, 1), "rework_rate": rate(1, 1), "extension_rate": rate(0, 1),
        "satisfaction_rate": rate(0, 1), "duplicate_rate": rate(0, 1), "avg_handling_hours": 73.0,
        "overdue_open": 0}
    assert rows[None] == {                                  # E, merged before dispatch
        "registered": 0, "closed": 0, "close_rate": rate(0, 0), "on_time_rate": rate(0, 0),
        "first_contact_rate": rate(0, 0), "rework_rate": rate(0, 0), "extension_rate": rate(0, 0),
        "satisfaction_rate": rate(0, 0), "duplicate_rate": rate(1, 1), "avg_handling_hours": None,
        "overdue_open": 0}
    assert set(rows) == {"城管执法中队", "派出所", None}


def test_drill_down_lists_exactly_the_cases_behind_a_number(cases_world, history):
    start, end = november()
    h = history
    late = selectors.kpi_cases(user=cases_world.operator, metric="on_time_rate", part="outside", start=start, end=end)
    assert [c.number for c in late] == [h["b"].number]
    contacted = selectors.kpi_cases(user=cases_world.operator, metric="first_contact_rate", start=start, end=end)
    assert {c.number for c in contacted} == {h["a"].number, h["c"].number}
    overdue = selectors.kpi_cases(user=cases_world.operator, metric="overdue_open", start=start, end=end)
    assert [c.number for c in overdue] == [h["d"].number]


def test_kpis_follow_scope(cases_world, history):
    start, end = november()
    mine = selectors.kpis(user=cases_world.police, start=start, end=end)["total"]
    assert mine["closed"] == 1 and mine["registered"] == 1  # only B was ever the police's
    with pytest.raises(PermissionDenied):
        selectors.kpis(user=cases_world.grid_worker, start=start, end=end)
    assert selectors.kpis(user=cases_world.other_operator, start=start, end=end)["total"]["registered"] == 0


def test_monthly_counts_for_the_trend_chart(cases_world, history):
    counts = selectors.monthly_counts(user=cases_world.operator, months=[dt.date(2026, 10, 1), dt.date(2026, 11, 1)])
    assert counts == {"registered": [1, 4], "closed": [0, 4]}


def test_planning_elements_count_the_kpi_page_numbers_for_the_whole_subdistrict(cases_world, history):
    """The plan's 按时办结率 and 先行联系率 are computed from the same cases, by the same definitions."""
    from jiedao.core.contributions import planning_elements

    def element(code, start=dt.date(2026, 11, 1), end=dt.date(2026, 11, 30), sub=cases_world.sub):
        return planning_elements.get(code).compute(subdistrict_id=sub.pk, start=start, end=end)

    assert element("cases.closed") == 4              # A B C F
    assert element("cases.closed_on_time") == 3      # B late
    assert element("cases.dispatched") == 4          # A B C D (F dispatched in October)
    assert element("cases.contacted_in_time") == 2   # A C
    assert element("cases.closed", start=dt.date(2026, 10, 1), end=dt.date(2026, 10, 31)) == 0
    assert element("cases.dispatched", start=dt.date(2026, 10, 30), end=dt.date(2026, 10, 30)) == 1  # F, one day
    assert element("cases.closed", sub=cases_world.other_sub) == 0
