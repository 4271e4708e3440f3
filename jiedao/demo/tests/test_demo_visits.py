"""The demo's year of 四百走访: people for every 居委, tasks from the plan, visits with varied, encrypted,
assessed notes, problems filed as cases with their 回访, feedback, and figures in a plausible range; and the
demo can be reset with visits in it."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from jiedao.cases.models import Case, Channel
from jiedao.core.models import Subdistrict, User
from jiedao.core.roles import Role
from jiedao.demo.people import DEMO_PASSWORD
from jiedao.geo.models import Building, Community
from jiedao.visits import selectors
from jiedao.visits.models import (
    BuildingAssignment,
    FeedbackCode,
    TaskEvent,
    TaskKind,
    Visit,
    VisitProblem,
    VisitTask,
)


@pytest.fixture(scope="module")
def demo_visits(django_db_setup, django_db_blocker):
    """The demo at a small scale, with its visits (built here until the demo builder calls demo.visits), once
    for the module, inside a transaction rolled back at its end; each test runs in a savepoint within it."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("demo", "--scale", "0.04", stdout=io.StringIO())
            sub = Subdistrict.objects.get(code="310107005")
            if not VisitTask.objects.exists():
                from jiedao.demo import visits
                from jiedao.demo.builder import DemoBuilder

                visits.build(builder=DemoBuilder(scale=0.04, log=lambda m: None), subdistrict=sub)
            yield sub
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


pytestmark = pytest.mark.django_db


def test_every_community_has_a_head_and_workers_and_every_building_someone_to_visit_it(demo_visits):
    for community in Community.objects.filter(subdistrict=demo_visits):
        assert User.objects.filter(community=community, role=Role.COMMUNITY_HEAD).count() == 1
        assert User.objects.filter(community=community, role=Role.SOCIAL_WORKER).exists()
    assert BuildingAssignment.objects.count() == Building.objects.filter(subdistrict=demo_visits).count()
    head = User.objects.get(username="community_head")
    assert head.check_password(DEMO_PASSWORD) and head.community.name == "曹杨一村居委会"
    assert User.objects.get(username="social_worker").community_id == head.community_id


def test_tasks_follow_the_plan_and_visits_complete_most_of_them(demo_visits):
    today = timezone.localdate()
    red = VisitTask.objects.filter(kind=TaskKind.ROUTINE, colour="red").values("household_id").first()
    months = VisitTask.objects.filter(household_id=red["household_id"], kind=TaskKind.ROUTINE).count()
    assert 12 <= months <= 13
    past = list(VisitTask.objects.filter(kind=TaskKind.ROUTINE, due_on__lt=today).values_list("due_on", "done_at"))
    on_time = sum(1 for due, done in past if done and timezone.localtime(done).date() <= due)
    assert 0.75 < on_time / len(past) < 0.97
    assert VisitTask.objects.filter(kind=TaskKind.FOLLOW_UP).exists()
    assert VisitTask.objects.filter(kind=TaskKind.HIGH_RISK).exists()
    changed = TaskEvent.objects.filter(kind__in=("postponed", "cancelled")).exclude(reason="")
    assert changed.exists() and changed.count() == VisitTask.objects.filter(
        pk__in=changed.values("task")).exclude(due_version=0, status="open").count()


def test_notes_are_varied_encrypted_and_assessed(demo_visits):
    notes = list(Visit.objects.values_list("note", flat=True)[:2000])
    assert len(set(notes)) / len(notes) > 0.7
    with connection.cursor() as cursor:
        cursor.execute("SELECT note FROM visits_visit LIMIT 5")
        assert all(row[0].startswith("gAAAA") for row in cursor.fetchall())  # Fernet tokens
    assert not Visit.objects.filter(assessed_at__isnull=True).exists()
    assert {"low", "medium", "high"} <= set(Visit.objects.values_list("risk", flat=True).distinct())
    assert Visit.objects.filter(flagged=True).exists()
    assert Visit.objects.filter(outcome="nobody").exists()


def test_problems_are_visit_cases_linked_to_the_household_and_rated_return_visits(demo_visits):
    problem = VisitProblem.objects.select_related("case", "visit").first()
    assert problem.case.channel == Channel.VISIT
    assert problem.case.household_id == problem.visit.household_id
    assert problem.case.external_id == f"V{problem.visit_id}-1"
    assert Case.objects.filter(channel=Channel.VISIT, status="closed").exists()
    assert Visit.objects.filter(return_visit=True).exists()
    assert FeedbackCode.objects.filter(rating__isnull=False, case__isnull=False).exists()


def test_the_figures_of_the_last_full_quarter_are_plausible(demo_visits):
    today = timezone.localdate()
    first = dt.date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
    end = first - dt.timedelta(days=1)
    start = dt.date(end.year, (end.month - 1) // 3 * 3 + 1, 1)
    leader = User.objects.get(username="leader")
    f = selectors.figures(user=leader, start=start, end=end)["total"]
    assert 75 <= f.coverage <= 100
    assert 70 <= f.on_time <= 98
    assert f.high_risk > 0 and f.referred > 0
    assert f.satisfaction is None or f.satisfaction > 70


def test_the_personas_pages_have_something_to_show(demo_visits, client):
    client.force_login(User.objects.get(username="social_worker"))
    today = client.get("/visits/")
    assert today.status_code == 200 and today.context["list"].open_count > 0
    client.force_login(User.objects.get(username="community_head"))
    board = client.get("/visits/board/")
    assert board.status_code == 200 and board.context["loads"]
    client.force_login(User.objects.get(username="leader"))
    assert client.get("/visits/figures/").status_code == 200


def test_the_demo_resets_with_its_visits(demo_visits):
    from jiedao.demo.builder import DemoBuilder
    from jiedao.visits.purge import delete_all_for_demo_reset

    subs = Subdistrict.objects.filter(code__in=DemoBuilder.demo_codes())
    assert delete_all_for_demo_reset(subdistricts=subs) > 0
    DemoBuilder.reset()
    assert not Visit.objects.exists() and not VisitTask.objects.exists()
    assert not User.objects.filter(role=Role.COMMUNITY_HEAD).exists()


def test_every_stored_assessment_is_the_models_assessment_of_the_decrypted_note(demo_visits):
    from jiedao.visits.assessment import assess_notes
    from jiedao.visits.models import RISK_BY_LABEL

    visits = list(Visit.objects.order_by("?")[:300])
    fresh = assess_notes([v.note for v in visits])
    assert [v.risk for v in visits] == [RISK_BY_LABEL.get(a.risk, "") for a in fresh]
    assert [v.risk_types for v in visits] == [list(a.types) for a in fresh]


def test_notes_assessed_in_forked_processes_are_assessed_as_in_one(monkeypatch):
    from jiedao.demo import visits
    from jiedao.visits.assessment import assess_notes

    rng = __import__("random").Random(5)
    notes = [visits.routine_note("王阿姨", rng, level=level)[0] for level in ("low", "medium", "high") * 20]
    notes += ["正常", notes[0], ""]
    monkeypatch.setattr(visits, "PARALLEL_FROM", 2)
    assert visits._assess(notes) == assess_notes(notes)


def test_the_writers_datetimes_are_the_backends_own(settings):
    from jiedao.demo import visits

    visits._db.bind()
    ops = connection.ops
    aware = dt.datetime(2026, 3, 1, 0, 30, 5, 123, tzinfo=timezone.get_default_timezone())
    for value in (aware, aware.replace(microsecond=0), aware.astimezone(dt.UTC), None):
        assert visits._db.at(value) == (None if value is None else ops.adapt_datetimefield_value(value))


def test_work_shared_with_forked_processes_comes_back_whole_and_in_order(monkeypatch):
    import os

    from jiedao.demo import visits

    monkeypatch.setattr(visits, "PARALLEL_FROM", 2)
    squares = list(range(1000))
    out = visits._in_parallel(lambda a, b: [(i * i, os.getpid()) for i in squares[a:b]], len(squares))
    assert [x for x, _ in out] == [i * i for i in squares]
    if (os.cpu_count() or 1) > 1:
        assert len({pid for _, pid in out}) > 1 and out[0][1] == os.getpid()
    assert visits._job is None
