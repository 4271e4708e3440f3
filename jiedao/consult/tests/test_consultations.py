"""发起、开启、结束: the electorate from the registry, owners and areas corrected with a reason (audited),
no opening while an owner or area is missing, and the outcome other apps read."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from jiedao.consult import selectors, services
from jiedao.consult.models import Dwelling, Status
from jiedao.consult.rules import DEVELOPER_KEY
from jiedao.consult.tests.conftest import fill, new_vote
from jiedao.core.models import AuditAction, AuditLog


def test_the_electorate_comes_from_the_registry_one_unit_per_household(cw):
    c = new_vote(cw)
    labels = sorted(c.dwellings.values_list("label", flat=True))
    assert len(labels) == 12 and "1-101" in labels and "2-602" in labels
    assert c.status == Status.DRAFT and c.community == cw.c2 and c.building == cw.b21
    assert set(c.dwellings.values_list("household__building", flat=True)) == {cw.b21.pk}


def test_a_unit_or_a_set_of_households_can_be_the_scope(cw):
    unit2 = cw.b21.units.get(number=2)
    assert new_vote(cw, unit=unit2, building=None).dwellings.count() == 6
    c = services.create_consultation(
        subdistrict=cw.sub, kind="renewal", title="旧改意愿征询", rule="share", share_at_least="9/10",
        households=cw.homes[:4], opens_at=timezone.now(), closes_at=timezone.now() + dt.timedelta(days=30),
        created_by=cw.head)
    assert c.dwellings.count() == 4 and c.share_at_least == "9/10" and c.counting_unit == "household"


def test_a_consultation_cannot_open_while_owners_or_areas_are_missing_and_the_error_lists_them(cw):
    c = new_vote(cw)
    fill(cw, c)
    d = c.dwellings.get(label="1-301")
    d.area = None
    d.save()
    d2 = c.dwellings.get(label="2-102")
    d2.owner_name = d2.owner_document = d2.owner_key = ""
    d2.save()
    with pytest.raises(ValidationError) as exc:
        services.open_consultation(c, by=cw.head)
    message = " ".join(exc.value.messages)
    assert "2 个表决单位信息不全" in message and "1-301 缺面积" in message and "2-102 缺业主" in message
    c.refresh_from_db()
    assert c.status == Status.DRAFT
    services.correct_dwelling(dwelling=d, by=cw.head, area="61.35", reason="房地产权证核对")
    services.correct_dwelling(dwelling=d2, by=cw.head, owner_name="王小明", owner_document="310107196001010011",
                              reason="业主提供产证")
    services.open_consultation(c, by=cw.head)
    assert c.status == Status.OPEN


def test_corrections_need_a_reason_and_are_audited_without_personal_data(cw):
    c = fill(cw, new_vote(cw))
    d = c.dwellings.get(label="1-101")
    with pytest.raises(ValidationError) as exc:
        services.correct_dwelling(dwelling=d, by=cw.head, area="70", reason="")
    assert "更正依据" in str(exc.value)
    services.correct_dwelling(dwelling=d, by=cw.head, area="70", owner_name="李四", reason="产证面积有误")
    log = AuditLog.objects.filter(action=AuditAction.UPDATE, object_type="consult.dwelling", object_id=str(d.pk)).get()
    assert log.reason == "产证面积有误" and log.detail["changes"]["area"] == ["50.00", "70.00"]
    assert "李四" not in str(log.detail) and log.detail["changes"]["owner_name"] == "changed"
    assert Dwelling.objects.get(pk=d.pk).owner_name == "李四"  # stored encrypted, read back


@pytest.mark.parametrize("area", ["-5", "0", "abc", "1e9"])
def test_an_area_that_makes_no_sense_is_refused(cw, area):
    c = new_vote(cw)
    with pytest.raises(ValidationError) as exc:
        services.correct_dwelling(dwelling=c.dwellings.first(), by=cw.head, area=area, reason="核对")
    assert "面积" in " ".join(exc.value.messages)


def test_a_threshold_over_one_or_below_zero_is_refused(cw):
    for bad in ("1.2", "-1/2"):
        with pytest.raises(ValidationError) as exc:
            new_vote(cw, rule="share", share_at_least=bad, kind="renewal")
        assert "门槛" in " ".join(exc.value.messages)


def test_only_the_community_head_of_the_place_runs_a_consultation(cw):
    now = timezone.now()
    with pytest.raises(PermissionDenied):
        services.create_consultation(subdistrict=cw.sub, kind="elevator", title="加梯", building=cw.b21,
                                     opens_at=now, closes_at=now + dt.timedelta(days=3), created_by=cw.social_worker)
    with pytest.raises(PermissionDenied):
        services.create_consultation(subdistrict=cw.sub, kind="elevator", title="加梯", building=cw.b21,
                                     opens_at=now, closes_at=now + dt.timedelta(days=3), created_by=cw.head_c1)
    c = fill(cw, new_vote(cw))
    with pytest.raises(PermissionDenied):
        services.open_consultation(c, by=cw.head_c1)


def test_outcome_for_other_apps_follows_the_ballots_and_the_close(cw, open_vote):
    c = open_vote
    result = selectors.outcome(c)
    assert (result.passed, result.closed, result.needed) == (False, False, 8)  # 8 of 12: 2/3 heads, all agree
    assert len(result.visit_next) == 8 and all(t.owner.startswith("业") for t in result.visit_next)
    for label in sorted(c.tokens)[:8]:
        services.cast_online(token=c.tokens[label], choice="agree")
    result = selectors.outcome(c)
    assert result.passed and result.needed == 0 and result.participation.as_json() == {"area": "2/3", "heads": "2/3"}
    cw.clock.advance(days=15)
    assert selectors.outcome(c).closed
    services.close_consultation(c, by=cw.head)
    c.refresh_from_db()
    assert c.status == Status.CLOSED and c.result["passed"] is True and c.result["agreement"]["heads"] == "1/1"


def test_one_buyer_with_three_dwellings_votes_once_for_all_three(cw):
    same = "310107197001010022"
    c = fill(cw, new_vote(cw), owners={"1-101": same, "1-201": same, "1-301": same})
    services.open_consultation(c, by=cw.head)
    rows = {r["label"]: r["token"] for r in selectors.letters(consultation=c, user=cw.head)}
    services.cast_online(token=rows["1-101"], choice="agree")
    result = selectors.outcome(c)
    assert result.counts["heads"] == 10 and result.counts["voted_heads"] == 1
    assert result.participation.as_json() == {"area": "1/4", "heads": "1/10"}


def test_the_developers_unsold_dwellings_are_one_head(cw):
    c = fill(cw, new_vote(cw), owners={"2-502": "developer", "2-602": "developer", "2-402": "developer"})
    assert set(c.dwellings.filter(unsold=True).values_list("owner_key", flat=True)) == {DEVELOPER_KEY}
    services.open_consultation(c, by=cw.head)
    assert selectors.outcome(c).counts["heads"] == 10


def test_a_sealed_vote_shows_only_participation_until_closing(cw):
    c = fill(cw, new_vote(cw, kind="committee", rule="278-ordinary"))
    assert c.sealed
    services.open_consultation(c, by=cw.head)
    token = selectors.letters(consultation=c, user=cw.head)[0]["token"]
    services.cast_online(token=token, choice="agree")
    result = selectors.outcome(c)
    assert result.sealed and result.passed is None and result.agreement is None and result.visit_next == []
    assert result.participation.heads == pytest.approx(1 / 12)
    assert "agree_heads" not in result.as_json()["counts"]
    cw.clock.advance(days=15)
    services.close_consultation(c, by=cw.head)
    result = selectors.outcome(c)
    assert not result.sealed and result.passed is False and result.agreement.heads == 1


def test_a_deliberation_is_decided_by_the_members_present_and_needs_its_record(cw):
    now = timezone.now()
    c = services.create_consultation(
        subdistrict=cw.sub, kind="deliberation", title="小区停车收费方案",
        members=["张一", "李二", "王三", "赵四", "钱五"],
        community=cw.c2, opens_at=now, closes_at=now + dt.timedelta(hours=3), created_by=cw.head)
    assert c.rule == "majority"
    services.open_consultation(c, by=cw.head)
    with pytest.raises(ValidationError):
        services.record_meeting(consultation=c, by=cw.head, votes={"张一": "agree"}, record="")
    services.record_meeting(consultation=c, by=cw.head, votes={"张一": "agree", "李二": "agree", "王三": "disagree"},
                            record="5月11日红色议事厅，到会3人，议停车收费方案，2票同意1票反对。")
    assert selectors.outcome(c).passed
    services.close_consultation(c, by=cw.head)
    assert c.result["passed"] and "红色议事厅" in c.meeting_record


def test_planning_counts_the_consultations_passed_in_the_period(cw, open_vote):
    from jiedao.core.contributions import discover, planning_elements

    for label in sorted(open_vote.tokens)[:9]:
        services.cast_online(token=open_vote.tokens[label], choice="agree")
    failed = fill(cw, new_vote(cw))
    services.open_consultation(failed, by=cw.head)
    cw.clock.advance(days=15)
    services.close_consultation(open_vote, by=cw.head)
    services.close_consultation(failed, by=cw.head)
    discover()
    element = planning_elements.get("consult.consultations_passed")
    assert not element.unavailable
    day = timezone.localdate()
    assert element.compute(subdistrict_id=cw.sub.pk, start=day - dt.timedelta(days=30), end=day) == 1
    assert element.compute(subdistrict_id=cw.sub.pk, start=day - dt.timedelta(days=60),
                           end=day - dt.timedelta(days=31)) == 0
