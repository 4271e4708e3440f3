"""分配任务: tasks made from the plan's rules by the periodic job, once each, assigned by building."""

import datetime as dt

from jiedao.cases import services as case_services
from jiedao.cases.models import Case, Channel, Status
from jiedao.registry.models import Residence, Resident
from jiedao.visits import services
from jiedao.visits.models import BuildingAssignment, TaskEvent, TaskKind, TaskStatus, VisitRule, VisitTask
from jiedao.visits.services.generation import MOVED_OUT_REASON, Period
from jiedao.visits.tests.conftest import make_household

YEAR = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))


def year_of_tasks(w) -> int:
    return services.generate_routine(subdistrict_id=w.sub.pk, start=YEAR[0], end=YEAR[1], today=YEAR[0])


def test_periods_divide_the_year_by_the_rules_months():
    assert Period.containing(dt.date(2026, 5, 17), 3) == Period(dt.date(2026, 4, 1), dt.date(2026, 6, 30))
    assert Period.containing(dt.date(2026, 2, 3), 1) == Period(dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    assert Period.containing(dt.date(2026, 12, 31), 12).key("baseline") == "baseline:202601"


def test_a_year_gives_red_monthly_yellow_quarterly_and_every_other_household_one_task(vw):
    made = year_of_tasks(vw)
    by_household = {h.pk: list(VisitTask.objects.filter(household=h).order_by("due_on"))
                    for h in (vw.red, vw.yellow, vw.plain, vw.plain2, vw.c1_home)}
    assert [t.due_on for t in by_household[vw.red.pk]][:3] == [dt.date(2026, 1, 31), dt.date(2026, 2, 28),
                                                                 dt.date(2026, 3, 31)]
    assert len(by_household[vw.red.pk]) == 12
    assert [t.due_on.month for t in by_household[vw.yellow.pk]] == [3, 6, 9, 12]
    assert [(t.starts_on, t.due_on) for t in by_household[vw.plain.pk]] == [YEAR]
    assert len(by_household[vw.c1_home.pk]) == 1
    assert made == 12 + 4 + 1 + 1 + 1
    assert {t.reason for t in by_household[vw.red.pk]} == {"红色户每月走访"}
    assert all(t.kind == TaskKind.ROUTINE and t.colour == "red" for t in by_household[vw.red.pk])


def test_running_the_generation_again_makes_nothing_new(vw):
    year_of_tasks(vw)
    count = VisitTask.objects.count()
    year_of_tasks(vw)
    services.generate_routine(subdistrict_id=vw.sub.pk, start=dt.date(2026, 5, 5), end=dt.date(2026, 5, 5))
    assert VisitTask.objects.count() == count


def test_tasks_go_to_the_communitys_workers_by_building_balancing_the_load(vw):
    year_of_tasks(vw)
    # 兰溪园: b21 holds the red and yellow households (16 visits a year), b22 two yearly ones: one each.
    workers = dict(BuildingAssignment.objects.values_list("building_id", "worker_id"))
    assert {workers[vw.b21.pk], workers[vw.b22.pk]} == {vw.social_worker.pk, vw.worker2.pk}
    assert workers[vw.b11.pk] == vw.worker_c1.pk
    assert set(VisitTask.objects.filter(building=vw.b21).values_list("assignee_id", flat=True)) == {workers[vw.b21.pk]}
    # The head is no one's default: heads take tasks only when given them.
    assert vw.head.pk not in workers.values()


def test_an_empty_dwelling_gets_no_task_and_a_household_that_moved_out_has_its_tasks_closed(vw):
    empty = make_household(vw.b22, "203", residents=0)
    year_of_tasks(vw)
    assert not VisitTask.objects.filter(household=empty).exists()
    Resident.objects.filter(household=vw.plain).update(moved_out_on=dt.date(2026, 4, 1))
    assert services.close_moved_out(subdistrict_id=vw.sub.pk) == 1
    task = VisitTask.objects.get(household=vw.plain)
    assert (task.status, task.closed_reason) == (TaskStatus.CLOSED, MOVED_OUT_REASON)
    assert TaskEvent.objects.get(task=task).kind == "closed"
    assert services.close_moved_out(subdistrict_id=vw.sub.pk) == 0


def test_a_household_someone_moved_into_is_visited_within_30_days(vw, clock):
    resident = Resident.objects.filter(household=vw.plain).first()
    Residence.objects.create(resident=resident, household=vw.plain, moved_in_on=dt.date(2026, 2, 20))
    Residence.objects.create(resident=resident, household=vw.plain2, moved_in_on=dt.date(2025, 12, 1))  # too long ago
    assert services.generate_moved_in(subdistrict_id=vw.sub.pk) == 1
    task = VisitTask.objects.get(kind=TaskKind.MOVED_IN)
    assert (task.household_id, task.starts_on, task.due_on) == (vw.plain.pk, dt.date(2026, 2, 20),
                                                                dt.date(2026, 3, 22))
    assert services.generate_moved_in(subdistrict_id=vw.sub.pk) == 0


def test_a_closed_case_of_the_household_gets_a_return_visit_within_5_working_days(vw, clock):
    case = case_services.intake(subdistrict=vw.sub, channel=Channel.VISIT, description="楼道里堆满了纸板，影响通行",
                                by=vw.social_worker, household_id=vw.yellow.pk).case
    assert services.generate_follow_ups(subdistrict_id=vw.sub.pk) == 0  # still open
    clock.set(2026, 3, 6, 16, 0)  # a Friday
    Case.objects.filter(pk=case.pk).update(status=Status.CLOSED, closed_at=clock.now)
    assert services.generate_follow_ups(subdistrict_id=vw.sub.pk) == 1
    task = VisitTask.objects.get(kind=TaskKind.FOLLOW_UP)
    assert (task.household_id, task.source_case_id, task.key) == (vw.yellow.pk, case.pk, f"case:{case.pk}")
    assert task.due_on == dt.date(2026, 3, 13)  # Friday + 5 working days
    assert services.generate_follow_ups(subdistrict_id=vw.sub.pk) == 0


def test_a_communitys_own_rule_replaces_the_default_for_that_community_only(vw):
    services.generate_routine(subdistrict_id=vw.sub.pk, start=YEAR[0], end=YEAR[0])  # installs the defaults
    VisitTask.objects.all().delete()
    services.set_plan_rule(community=vw.c2, code="red", every_months=2, by=vw.head)
    red_c1 = make_household(vw.b11, "302", colour="red")
    year_of_tasks(vw)
    assert VisitTask.objects.filter(household=vw.red).count() == 6
    assert VisitTask.objects.filter(household=red_c1).count() == 12
    services.set_plan_rule(community=vw.c2, code="yellow", active=False, by=vw.head)
    assert VisitRule.objects.filter(community=vw.c2).count() == 2


def test_a_period_already_visited_gets_its_task_as_done(vw, clock):
    from jiedao.visits.tests.conftest import visit_form

    clock.set(2026, 3, 5, 10, 0)
    check_in = services.check_in_from_file(household=vw.plain, by=vw.social_worker)
    visit = services.submit_visit(form=visit_form(check_in), by=vw.social_worker).visit
    clock.set(2026, 3, 9, 8, 0)
    services.generate_routine(subdistrict_id=vw.sub.pk, start=dt.date(2026, 3, 9), end=dt.date(2026, 3, 9))
    task = VisitTask.objects.get(household=vw.plain)
    assert (task.status, task.visit_id) == (TaskStatus.DONE, visit.pk)
    assert VisitTask.objects.get(household=vw.plain2).status == TaskStatus.OPEN
