"""The demo's year of cases: every timeline is a path the services allow, the timing columns are exactly
what the timelines project to, the mix looks like a subdistrict's, and the same seed gives the same year."""

import datetime as dt
import io
import itertools
import random
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import F

from jiedao.cases import selectors, services
from jiedao.cases.models import Case, CaseEvent, Channel, EventKind, Process, Scenario, Status
from jiedao.core.crypto import lookup_value
from jiedao.demo import cases as demo_cases

NOW = dt.datetime(2026, 11, 23, 15, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))

# timeline kind → the action (services.TRANSITIONS) that writes it
ACTION_OF = {
    EventKind.REGISTERED: "register", EventKind.PLACED: "place", EventKind.DISPATCHED: "dispatch",
    EventKind.RETURNED: "return", EventKind.ACCEPTED: "accept", EventKind.CONTACTED: "contact",
    EventKind.EXTENSION_REQUESTED: "request_extension", EventKind.EXTENSION_APPROVED: "approve_extension",
    EventKind.EXTENSION_REFUSED: "refuse_extension", EventKind.HANDLED: "handle", EventKind.REWORK: "rework",
    EventKind.CLOSED: "close", EventKind.SUSPENDED: "suspend", EventKind.RESUMED: "resume",
    EventKind.CANCELLED: "cancel", EventKind.MERGED: "merge", EventKind.VISITED: "visit",
    EventKind.REOPENED: "reopen",
}


class Builder:
    def __init__(self, *, scale=0.05, seed=7):
        self.rng, self.scale, self.counts, self.lines = random.Random(seed), scale, {}, []

    def log(self, line):
        self.lines.append(line)


@pytest.fixture
def history(cases_world):
    builder = Builder()
    demo_cases.build(builder=builder, subdistrict=cases_world.sub, now=NOW)
    return builder


def timelines():
    out: dict[int, list[CaseEvent]] = {}
    for e in CaseEvent.objects.order_by("case_id", "at", "id"):
        out.setdefault(e.case_id, []).append(e)
    return out


def test_the_timing_columns_are_what_the_timelines_project_to(history):
    assert history.counts["cases"] == Case.objects.count() == 600
    assert history.counts["case_events"] == CaseEvent.objects.count()
    assert services.rebuild_facts(fix=False) == 0


def test_every_step_is_a_transition_the_services_allow_from_the_state_it_started_in(history):
    cases = {c.pk: c for c in Case.objects.all()}
    for case_id, events in timelines().items():
        case = cases[case_id]
        assert events[0].kind == EventKind.CREATED and events[0].at == case.reported_at
        assert events[0].to_status == Status.NEW
        for before, e in itertools.pairwise(events):
            assert e.at > before.at and e.at <= NOW
            assert e.from_status == before.to_status, (case.number, e.kind)
            if e.kind == EventKind.OVERDUE:
                assert e.from_status in (Status.DISPATCHED, Status.HANDLING)
                continue
            if e.kind == EventKind.NOT_DUPLICATE:  # services.decide_duplicate: the flag answered, the status kept
                assert e.from_status == e.to_status and e.data["candidate"]
                continue
            t = services.TRANSITIONS[ACTION_OF[e.kind]]
            assert e.from_status in t.sources, (case.number, e.kind, e.from_status)
            if t.target is not None and e.kind != EventKind.RESUMED:
                assert e.to_status == t.target
        assert case.status == events[-1].to_status
        assert case.version == sum(e.kind not in (EventKind.CREATED, EventKind.OVERDUE) for e in events)


def test_every_closed_case_was_registered_dispatched_and_handled_before_it_was_closed(history):
    closed = 0
    for events in timelines().values():
        kinds = [e.kind for e in events]
        if EventKind.CLOSED not in kinds:
            continue
        closed += 1
        first = {k: kinds.index(k) for k in (EventKind.REGISTERED, EventKind.DISPATCHED, EventKind.HANDLED)}
        assert first[EventKind.REGISTERED] < first[EventKind.DISPATCHED] < first[EventKind.HANDLED]
        for i, kind in enumerate(kinds):
            if kind == EventKind.CLOSED:  # 结案 only right after 处置反馈 (the check's warnings aside)
                assert [k for k in kinds[:i] if k != EventKind.OVERDUE][-1] == EventKind.HANDLED
    assert closed > 400


def test_the_year_looks_like_a_subdistricts(history, cases_world):
    w = cases_world
    channels = Counter(Case.objects.values_list("channel", flat=True))
    assert 0.5 < channels[Channel.HOTLINE] / 600 < 0.7 and channels[Channel.SENSOR] > 10
    statuses = Counter(Case.objects.values_list("status", flat=True))
    open_cases = sum(statuses[s] for s in (Status.NEW, Status.REGISTERED, Status.DISPATCHED, Status.HANDLING,
                                           Status.HANDLED))
    assert 0 < open_cases < 60 and statuses[Status.CANCELLED] > 0
    overdue = selectors.queue(user=w.operator, filters=selectors.QueueFilters(status="overdue"), now=NOW)
    assert overdue.exists()
    kinds = Counter(CaseEvent.objects.values_list("kind", flat=True))
    for kind in (EventKind.RETURNED, EventKind.REWORK, EventKind.EXTENSION_REQUESTED, EventKind.VISITED,
                 EventKind.MERGED, EventKind.OVERDUE, EventKind.REOPENED):
        assert kinds[kind] > 0, kind
    assert Case.objects.filter(duplicate_of__isnull=False).exists()
    # The suggestion (a simulated classifier) is mostly, not always, the category the operator chose.
    classified = Case.objects.filter(category__family="S")
    agree = classified.filter(suggested_category=F("category")).count() / classified.count()
    assert 0.8 < agree < 0.99 and all(len(s["alternatives"]) == 2 for s in
                                      classified.values_list("suggestion", flat=True)[:50])
    kpis = selectors.kpis(user=w.operator, start=NOW - dt.timedelta(days=365), end=NOW, now=NOW)["total"]
    assert kpis["registered"] > 500 and kpis["closed"] > 450
    assert 75 < kpis["on_time_rate"]["rate"] < 99
    assert 75 < kpis["first_contact_rate"]["rate"] < 99
    assert 80 < kpis["satisfaction_rate"]["rate"] < 99
    assert 1 < kpis["rework_rate"]["rate"] < 12
    assert 0 < kpis["avg_handling_hours"] < 24 * 10


def test_cases_sit_on_real_buildings_with_departments_from_the_scenarios(history, cases_world):
    w = cases_world
    buildings = {b.pk: b for b in (w.b11, w.b12, w.b21, w.b22)}
    placed = Case.objects.filter(building__isnull=False)
    assert placed.count() > 500
    for case in placed.select_related("grid")[:200]:
        b = buildings[case.building_id]
        assert case.grid_id == b.grid_id and case.address.endswith(b.address)
        assert abs(case.lat - b.lat) < 1e-3 and abs(case.lon - b.lon) < 1e-3
    routes = {(s.category_id, s.area_id): s.department_id for s in Scenario.objects.filter(subdistrict=w.sub)}
    dispatched = Case.objects.filter(returned_count=0, dispatched_at__isnull=False, category__isnull=False)
    for case in dispatched[:200]:
        expected = routes.get((case.category_id, case.area_id)) or routes[(case.category_id, None)]
        assert case.department_id == expected, case.number
    urgent = Process.objects.get(subdistrict=w.sub, code="URGENT")
    assert set(Case.objects.filter(urgent=True, dispatched_at__isnull=False).values_list("process", flat=True)) \
        == {urgent.pk}


def test_phones_are_stored_encrypted_with_a_working_blind_index(history):
    case = Case.objects.exclude(reporter_phone_last4="").order_by("pk").first()
    with connection.cursor() as cursor:
        cursor.execute("SELECT reporter_phone, reporter_phone_last4 FROM cases_case WHERE id = %s", [case.pk])
        raw, last4 = cursor.fetchone()
    assert raw.startswith("gAAAAA") and case.reporter_phone not in raw and last4 == case.reporter_phone[-4:]
    assert Case.objects.get(**lookup_value(Case, "reporter_phone", case.reporter_phone)).pk == case.pk


def test_the_same_seed_and_moment_give_the_same_year(cases_world):
    def year():
        with transaction.atomic():
            demo_cases.generate(subdistrict=cases_world.sub, count=150, seed=11, now=NOW)
            rows = list(Case.objects.order_by("pk").values_list("number", "status", "description", "handle_due",
                                                                "department_id", "rating"))
            events = list(CaseEvent.objects.order_by("pk").values_list("kind", "at"))
            transaction.set_rollback(True)
        return rows, events

    first = year()
    assert first == year() and len(first[0]) == 150


def test_the_demo_command_builds_the_history_and_gives_the_handler_a_queue(db):
    from jiedao.core.models import Subdistrict, User

    out = io.StringIO()
    call_command("demo", "--scale", "0.04", stdout=out)
    assert "cases " in out.getvalue() and "case_events " in out.getvalue()
    caoyang = Subdistrict.objects.get(code="310107005")
    # The cases demo's year at this scale; the visits demo files its problems on the 走访发现 channel.
    assert Case.objects.filter(subdistrict=caoyang).exclude(channel=Channel.VISIT).count() == 480
    assert Case.objects.filter(subdistrict=caoyang, channel=Channel.VISIT).exists()
    handler = User.objects.get(username="handler")  # 城管执法中队: the demo login sees its department's cases
    mine = selectors.queue(user=handler, filters=selectors.QueueFilters(status="all"))
    assert mine.count() > 20 and not mine.exclude(department=handler.department).exists()
    for small in Subdistrict.objects.exclude(pk=caoyang.pk):
        assert Process.objects.filter(subdistrict=small).count() == 5
        assert Scenario.objects.filter(subdistrict=small).exists()
        assert Case.objects.filter(subdistrict=small).count() == demo_cases.SMALL_SUBDISTRICT_CASES
    assert services.rebuild_facts(fix=False) == 0
