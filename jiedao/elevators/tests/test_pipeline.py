"""The pipeline: one stage after another, never skipped; 表决 through consult under art. 278 special, and no
公示 unless the vote passed; no 施工 without the lawyer's approval; blockers hold a project; dates in order."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from jiedao.consult import services as consult_services
from jiedao.core.contributions import planning_elements
from jiedao.elevators import selectors, services
from jiedao.elevators.models import Stage
from jiedao.elevators.tests.conftest import TODAY, start_open_vote, vote_at_booth, vote_online

pytestmark = pytest.mark.django_db


def refusal(call) -> dict:
    with pytest.raises(ValidationError) as e:
        call()
    return e.value.message_dict


def test_a_stage_cannot_be_skipped(estate, head):
    p = services.create_project(building=estate.building(), by=head)
    assert refusal(lambda: services.advance_project(project=p, to="vote", by=head)) == {
        "to": ["不能跳过阶段：当前为“意愿征询”，下一阶段应为“方案设计”"]}
    assert refusal(lambda: services.advance_project(project=p, to="construction", by=head))["to"][0].startswith(
        "不能跳过阶段")
    assert refusal(lambda: services.advance_project(project=p, to="launch", by=head)) == {"to": ["未知的阶段：launch"]}
    p.refresh_from_db()
    assert p.stage == Stage.CONSENT


def test_the_vote_needs_a_quote_and_a_consultation(estate, head):
    b = estate.building()
    p = services.create_project(building=b, by=head)
    services.advance_project(project=p, to="design", by=head)
    assert refusal(lambda: services.advance_project(project=p, to="vote", by=head)) == {
        "to": ["进入表决前须先生成工程报价（各户分摊）"]}
    services.save_survey(building=b, by=head, entry="half", pipes="clear")
    services.make_quote(project=p, by=head)
    assert refusal(lambda: services.advance_project(project=p, to="vote", by=head)) == {
        "to": ["请先发起表决征询（民法典第二百七十八条特别事项）"]}


def test_a_passed_vote_with_online_and_booth_ballots_leads_on_to_construction(world, project_at_design, head):
    p = project_at_design
    c = start_open_vote(p, by=head)
    p.refresh_from_db()
    assert p.stage == Stage.VOTE and c.rule == "278-special" and c.source == f"elevators:{p.pk}"
    assert c.dwellings.count() == 12
    assert refusal(lambda: services.advance_project(project=p, to="notice", by=head)) == {
        "to": ["表决尚未结束，不能进入公示"]}
    dwellings = list(c.dwellings.order_by("pk"))
    for d in dwellings[:6]:
        vote_online(d, "agree")
    for d in dwellings[6:10]:
        vote_at_booth(d, "agree", by=head, checker=world.social_worker)
    vote_online(dwellings[10], "disagree")  # 11 of 12 take part (≥ 2/3), 10 of 11 agree (≥ 3/4)
    consult_services.close_consultation(c, by=head)
    outcome = services.vote_outcome(p)
    assert outcome.closed and outcome.passed
    services.advance_project(project=p, to="notice", by=head)
    services.advance_project(project=p, to="approval", by=head)
    assert refusal(lambda: services.advance_project(project=p, to="construction", by=head)) == {
        "to": ["施工合同尚未经加梯顾问团律师审查通过，不能开工"]}
    services.record_review(project=p, lawyer="王律师", outcome="changes", note="保修期应写明 5 年", by=head)
    assert "律师审查" in services.stage_refusal(p, Stage.CONSTRUCTION)
    services.record_review(project=p, lawyer="王律师", firm="加梯顾问团", outcome="approved", by=head)
    services.advance_project(project=p, to="construction", by=head)
    p.refresh_from_db()
    assert p.stage == Stage.CONSTRUCTION
    assert [e["stage"] for e in selectors.pipeline(p) if e["event"]] == [
        Stage.CONSENT, Stage.DESIGN, Stage.VOTE, Stage.NOTICE, Stage.APPROVAL, Stage.CONSTRUCTION]

    # 验收 → 运维 completes it: the planning elements and the KPIs count it.
    completed = planning_elements.get("elevators.retrofits_completed")
    assert not getattr(completed, "is_placeholder", False)
    assert completed.compute(subdistrict_id=world.sub.pk, start=TODAY.replace(month=1, day=1), end=TODAY) == 0
    services.advance_project(project=p, to="acceptance", by=head)
    services.advance_project(project=p, to="operation", by=head)
    assert completed.compute(subdistrict_id=world.sub.pk, start=TODAY.replace(month=1, day=1), end=TODAY) == 1
    assert completed.compute(subdistrict_id=world.sub.pk, start=TODAY, end=TODAY - dt.timedelta(days=1)) == 0
    assert planning_elements.get("elevators.under_construction").compute(
        subdistrict_id=world.sub.pk, start=TODAY, end=TODAY) == 0
    assert selectors.kpis(user=head, subdistrict=world.sub)["completed_per_year"] == [{"year": TODAY.year, "count": 1}]
    assert refusal(lambda: services.advance_project(project=p, to="operation", by=head)) == {
        "to": ["项目已进入运维，没有下一阶段"]}


def test_a_failed_vote_stops_the_project_before_notice(world, project_at_design, head):
    p = project_at_design
    c = start_open_vote(p, by=head)
    dwellings = list(c.dwellings.order_by("pk"))
    for d in dwellings[:8]:
        vote_online(d, "agree")
    for d in dwellings[8:11]:
        vote_online(d, "disagree")  # 11 take part, 8 of 11 agree: under 3/4
    consult_services.close_consultation(c, by=head)
    assert services.vote_outcome(p).passed is False
    assert refusal(lambda: services.advance_project(project=p, to="notice", by=head)) == {
        "to": ["表决未通过（参与或同意未达到法定比例），不能进入公示"]}
    p.refresh_from_db()
    assert p.stage == Stage.VOTE


def test_the_vote_does_not_open_while_owners_are_missing(project_at_design, head):
    from django.utils import timezone

    now = timezone.now()
    services.start_vote(project=project_at_design, opens_at=now, closes_at=now + dt.timedelta(days=7), by=head)
    with pytest.raises(ValidationError, match="还有 12 个表决单位信息不全，不能开启征询"):
        services.open_vote(project=project_at_design, by=head)
    with pytest.raises(ValidationError, match="该项目已发起表决"):
        services.start_vote(project=project_at_design, opens_at=now, closes_at=now + dt.timedelta(days=7), by=head)


def test_an_open_blocker_holds_the_project_until_it_is_resolved(estate, head):
    p = services.create_project(building=estate.building(), by=head)
    blocker = services.raise_blocker(project=p, text="一楼住户反对，担心采光", by=head)
    assert refusal(lambda: services.advance_project(project=p, to="design", by=head)) == {
        "to": ["还有 1 个未解决的堵点，解决后才能进入下一阶段"]}
    services.resolve_blocker(blocker=blocker, resolution="调整连廊位置，一楼不分摊", by=head)
    assert services.advance_project(project=p, to="design", by=head).stage == Stage.DESIGN


def test_stage_dates_run_forward_and_not_into_the_future(estate, head):
    p = services.create_project(building=estate.building(), by=head, on=TODAY - dt.timedelta(days=5))
    assert refusal(lambda: services.advance_project(project=p, to="design", on=TODAY - dt.timedelta(days=6),
                                                    by=head))["on"][0].startswith("日期不能早于上一阶段的日期")
    assert refusal(lambda: services.advance_project(project=p, to="design", on=TODAY + dt.timedelta(days=1),
                                                    by=head)) == {"on": ["日期不能晚于今天"]}


def test_one_project_per_unit_and_none_for_a_building_with_an_elevator(estate, head):
    b = estate.building()
    services.create_project(building=b, by=head)
    assert refusal(lambda: services.create_project(building=b, by=head)) == {
        "building": ["此楼栋（单元）已有加装电梯项目"]}
    served = estate.building()
    services.save_survey(building=served, by=head, has_elevator=True)
    assert refusal(lambda: services.create_project(building=served, by=head)) == {
        "building": ["踏勘记录显示此楼栋已有电梯"]}


def test_only_the_buildings_community_head_moves_its_project(world, estate, head, other_head):
    p = services.create_project(building=estate.building(), by=head)
    with pytest.raises(PermissionDenied):
        services.advance_project(project=p, to="design", by=other_head)
    with pytest.raises(PermissionDenied):
        services.advance_project(project=p, to="design", by=world.social_worker)
    with pytest.raises(Http404):
        selectors.get_project(user=other_head, project_id=p.pk)
    assert selectors.get_project(user=world.social_worker, project_id=p.pk) == p
    with pytest.raises(PermissionDenied):
        selectors.get_project(user=world.grid_worker, project_id=p.pk)
