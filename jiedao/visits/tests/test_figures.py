"""The figures (走访覆盖率, 按时完成率, 高风险发现数, 问题转办数 and 办结率, 回访满意率) match a history built by
hand through the services, in total, per worker, per colour, and through planning's data elements."""

import datetime as dt

import pytest

from jiedao.cases.models import Case, Status
from jiedao.core.contributions import planning_elements
from jiedao.visits import selectors, services
from jiedao.visits.models import FeedbackCode, Risk, TaskKind, Visit, VisitTask
from jiedao.visits.tests.conftest import visit_form

Q1 = (dt.date(2026, 1, 1), dt.date(2026, 3, 31))


def _visit(w, household, worker, *, problems=(), risk=Risk.LOW):
    check_in = services.check_in_from_file(household=household, by=worker)
    visit = services.submit_visit(form=visit_form(check_in, problems=[services.Problem(p) for p in problems]),
                                  by=worker).visit
    Visit.objects.filter(pk=visit.pk).update(risk=risk)  # a fixed assessment: the figures, not the model, are tested
    return visit


def _rate(visit, rating):
    services.rate(token=services.token_for(FeedbackCode.objects.get(visit=visit)), rating=rating)


@pytest.fixture
def history(vw, clock):
    """Q1 2026 in 兰溪园. Due in Q1: the red household monthly (Jan, Feb, Mar), the yellow one quarterly, and a
    临时走访 of a plain household due 15 March. Red: visited 20 Jan (on time, one problem left open, rated
    不满意), not in February, in March only on 2 April (late). Yellow: visited 10 March (on time, high risk, a
    problem whose case is then closed, rated 满意). The plain household's task is never done."""
    w = vw
    clock.set(2026, 1, 1, 8, 0)
    services.generate_routine(subdistrict_id=w.sub.pk, start=Q1[0], end=dt.date(2026, 12, 31))
    b21 = VisitTask.objects.filter(building=w.b21).first().assignee
    b22 = w.worker2 if b21 == w.social_worker else w.social_worker
    w.b21_worker, w.b22_worker = b21, b22
    clock.set(2026, 1, 20, 10, 0)
    red_jan = _visit(w, w.red, b21, problems=["楼道灯坏了一个多月，老人晚上下楼看不见"])
    clock.set(2026, 1, 22, 19, 0)
    _rate(red_jan, 1)
    clock.set(2026, 3, 1, 9, 0)
    services.add_task(household=w.plain, by=w.head, worker=b22, due_on=dt.date(2026, 3, 15), reason="邻居反映多日未见")
    clock.set(2026, 3, 10, 15, 0)
    yellow = _visit(w, w.yellow, b21, problems=["厨房燃气软管老化开裂，有漏气危险"], risk=Risk.HIGH)
    clock.set(2026, 3, 12, 9, 0)
    _rate(yellow, 3)
    Case.objects.filter(pk=yellow.problems.get().case_id).update(status=Status.CLOSED, closed_at=clock.now)
    clock.set(2026, 4, 2, 10, 0)
    red_apr = _visit(w, w.red, b21)
    clock.set(2026, 4, 3, 10, 0)
    _rate(red_apr, 3)  # after the period: not counted
    clock.set(2026, 4, 10, 9, 0)
    return w


def test_the_totals_of_the_quarter(history):
    f = selectors.figures(user=history.leader, start=Q1[0], end=Q1[1])["total"]
    # Due: red Jan, Feb, Mar, yellow Q1, the plain household's task; done by 31 March: red Jan and yellow.
    assert (f.visits_due, f.visits_done, f.coverage) == (5, 2, 40.0)
    # Matured: red Jan, Feb, Mar, yellow Q1, the plain household's task; on time: red Jan and yellow.
    assert (f.tasks_matured, f.tasks_on_time, f.on_time) == (5, 2, 40.0)
    assert f.high_risk == 1
    assert (f.referred, f.referred_closed, f.closed_rate) == (2, 1, 50.0)
    assert (f.rated, f.satisfied, f.satisfaction) == (2, 1, 50.0)


def test_per_worker_and_per_colour(history):
    by_worker = selectors.figures(user=history.leader, start=Q1[0], end=Q1[1], group="worker")["rows"]
    busy, other = by_worker[history.b21_worker.pk], by_worker[history.b22_worker.pk]
    assert (busy.visits_due, busy.visits_done, busy.tasks_matured, busy.tasks_on_time) == (4, 2, 4, 2)
    assert (other.visits_due, other.visits_done, other.coverage, other.on_time) == (1, 0, 0.0, 0.0)
    assert (busy.referred, busy.rated, busy.high_risk) == (2, 2, 1)
    by_colour = selectors.figures(user=history.leader, start=Q1[0], end=Q1[1], group="colour")["rows"]
    assert {k: (v.visits_due, v.visits_done) for k, v in by_colour.items()
            if v.visits_due} == {"red": (3, 1), "yellow": (1, 1), "": (1, 0)}


def test_march_alone_and_a_worker_sees_only_their_own(history):
    march = selectors.figures(user=history.head, start=dt.date(2026, 3, 1), end=Q1[1])["total"]
    assert (march.visits_due, march.visits_done) == (3, 1)
    assert (march.tasks_matured, march.tasks_on_time) == (3, 1)
    own = selectors.figures(user=history.b22_worker, start=Q1[0], end=Q1[1])["total"]
    assert (own.visits_due, own.tasks_matured, own.referred, own.rated) == (1, 1, 0, 0)


def test_a_cancelled_task_leaves_the_figures(history):
    task = VisitTask.objects.get(household=history.plain, kind=TaskKind.MANUAL)
    services.cancel_task(task=task, by=history.head, reason="住户已搬去养老院")
    f = selectors.figures(user=history.leader, start=Q1[0], end=Q1[1])["total"]
    assert (f.visits_due, f.visits_done, f.tasks_matured) == (4, 2, 4)


def test_the_other_communitys_leader_scope_sees_nothing(history):
    area1 = selectors.figures(user=history.area_leader, start=Q1[0], end=Q1[1])["total"]  # area2 holds c2
    assert area1.visits_due == 5
    from jiedao.core.roles import Role, ScopeLevel
    from jiedao.testing import make_user

    elsewhere = make_user("area1_leader", role=Role.LEADER, subdistrict=history.sub, level=ScopeLevel.AREA,
                          area=history.area1)
    nothing = selectors.figures(user=elsewhere, start=Q1[0], end=Q1[1])["total"]
    assert (nothing.visits_due, nothing.referred, nothing.rated) == (0, 0, 0)


def test_planning_elements_count_the_same(history):
    def element(code):
        return planning_elements.get(code).compute(subdistrict_id=history.sub.pk, start=Q1[0], end=Q1[1])

    assert (element("visits.visits_done"), element("visits.visits_due")) == (2, 5)
    assert (element("visits.tasks_on_time"), element("visits.tasks_matured")) == (2, 5)
    assert (element("visits.problems_closed"), element("visits.problems_referred")) == (1, 2)
    assert (element("visits.ratings_satisfied"), element("visits.ratings"), element("visits.high_risk_found")) == (
        1, 2, 1)
