"""The demo's 加装电梯: surveyed candidates with scores, projects at different stages built through the
services (one linked to consult's open vote, one past a passed vote in 施工), the 13th plan's nine completed
elevators; within its time budget, deterministically."""

import datetime as dt
import time

import pytest

from jiedao.consult.models import Status
from jiedao.core.contributions import planning_elements
from jiedao.core.models import User
from jiedao.demo import caoyang
from jiedao.demo import consult as demo_consult
from jiedao.demo import elevators as demo_elevators
from jiedao.demo.builder import DemoBuilder
from jiedao.elevators import selectors, services
from jiedao.elevators.models import Project, Stage, Survey


@pytest.fixture
def caoyang_sub(db, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    builder = DemoBuilder(scale=0.1, log=lambda line: None)
    sub = builder.build_subdistrict(caoyang.SUBDISTRICT, caoyang.AREAS, caoyang.GRID_SPLIT, caoyang.ROADS,
                                    caoyang.ROAD_ALIASES, caoyang.BUILDINGS_PER_COMMUNITY)
    builder.build_households(sub)
    demo_consult.build(builder=builder, subdistrict=sub)
    return builder, sub


def snapshot(sub):
    return (sorted(Project.objects.filter(subdistrict=sub).values_list("building__code", "stage", "completed_on")),
            sorted(Survey.objects.filter(building__subdistrict=sub).values_list("building__code", "entry", "pipes",
                                                                                 "front_clearance_m")))


def test_the_demo_has_candidates_projects_at_each_kind_of_stage_and_the_open_vote(caoyang_sub):
    builder, sub = caoyang_sub
    started = time.perf_counter()
    demo_elevators.build(builder=builder, subdistrict=sub)
    elapsed = time.perf_counter() - started
    assert elapsed < 3.0, f"elevators demo took {elapsed:.2f} s"

    stages = {s for s in Project.objects.filter(subdistrict=sub).values_list("stage", flat=True)}
    assert {Stage.CONSENT, Stage.DESIGN, Stage.VOTE, Stage.CONSTRUCTION, Stage.OPERATION} <= stages
    voting = Project.objects.get(subdistrict=sub, stage=Stage.VOTE)
    outcome = services.vote_outcome(voting)
    assert outcome.status == Status.OPEN and not outcome.closed
    building = Project.objects.get(subdistrict=sub, stage=Stage.CONSTRUCTION)
    assert services.vote_outcome(building).passed is True
    assert building.reviews.filter(outcome="approved").exists()

    completed = planning_elements.get("elevators.completed_in_period")
    assert completed.compute(subdistrict_id=sub.pk, start=dt.date(2016, 1, 1), end=dt.date(2020, 12, 31)) == 9

    head = User.objects.filter(role="community_head", subdistrict=sub).order_by("pk").first()
    ranked = selectors.candidate_list(user=head, subdistrict=sub)
    assert ranked and any(not c.score.missing for c in ranked)
    assert [c.score.score for c in ranked] == sorted((c.score.score for c in ranked), reverse=True)


def test_the_demo_is_deterministic_and_resets(caoyang_sub):
    builder, sub = caoyang_sub
    demo_elevators.build(builder=builder, subdistrict=sub)
    first = snapshot(sub)
    demo_elevators.reset(subdistricts=[sub])
    assert not Project.objects.filter(subdistrict=sub).exists()
    assert not Survey.objects.filter(building__subdistrict=sub).exists()
    demo_consult.reset(subdistricts=[sub])
    demo_consult.build(builder=builder, subdistrict=sub)
    demo_elevators.build(builder=builder, subdistrict=sub)
    assert snapshot(sub) == first
