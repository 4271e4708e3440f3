"""21 天打卡: the 居委 head corrects a day recorded wrongly (更正). The count and the rewards follow the
corrected records; the ledger only gains entries (a reward no longer earned is reversed, earned again is paid
again, once); the record's history and the audit keep who recorded, who corrected, the old value and why.

Days are counted back from the local date (Asia/Shanghai, ``timezone.localdate``), so the tests hold at any
hour of the UTC clock."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from jiedao.core.models import AuditAction, AuditLog
from jiedao.core.roles import Role, ScopeLevel
from jiedao.inspections.campaigns import corrections, selectors, services
from jiedao.inspections.models import (
    CorrectionKind,
    LedgerKind,
    MissedRule,
    PointsEntry,
    SortingCorrection,
    SortingRecord,
)
from jiedao.registry.models import Household
from jiedao.testing import make_user

pytestmark = pytest.mark.django_db

STREAK, POINTS = 5, 50
REASON = "误点了隔壁户"


def days_ago(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)


@pytest.fixture
def people(world):
    head = make_user("head", role=Role.COMMUNITY_HEAD, subdistrict=world.sub, level=ScopeLevel.COMMUNITY,
                     community=world.c1)
    volunteer = make_user("volunteer", role=Role.INSPECTOR, subdistrict=world.sub, level=ScopeLevel.COMMUNITY,
                          community=world.c1)
    return head, volunteer


def start_campaign(head, *, started: int, **rules):
    """A campaign that started ``started`` days ago: 5 days in a row earn 50 points (unless ``rules`` say)."""
    rules = {"streak_days": STREAK, "reward_points": POINTS, **rules}
    return services.create_campaign(by=head, name="21天打卡", starts_on=days_ago(started), **rules)


def enrol(world, campaign, by, room: str, building=None):
    building = building or world.b11
    household = Household.objects.create(subdistrict=world.sub, building=building, room=room,
                                         code=f"C{building.pk}-{room}")
    return services.enrol_household(by=by, campaign=campaign, household=household, on=campaign.starts_on)[0]


def record(campaign, enrolment, by, history: str) -> None:
    """``history`` from the start day on, one character a day: ✓ sorted correctly, ✗ not, · no record."""
    for offset, mark in enumerate(history):
        if mark != "·":
            services.record_day(by=by, campaign=campaign, day=campaign.starts_on + dt.timedelta(days=offset),
                                findings={enrolment.pk: mark == "✓"})


def ledger(enrolment) -> list[tuple]:
    return list(PointsEntry.objects.filter(household_id=enrolment.household_id).order_by("id")
                .values_list("kind", "points", "run_end", "revision"))


def row(head, campaign, enrolment) -> dict:
    [r] = [r for r in selectors.household_rows(user=head, campaign=campaign) if r["enrolment"] == enrolment]
    return r


def test_flipping_the_day_that_broke_a_run_restores_the_count_and_pays_the_reward(world, people):
    head, volunteer = people
    campaign = start_campaign(head, started=6)
    e = enrol(world, campaign, volunteer, "101")
    record(campaign, e, volunteer, "✓✓✓✗✓✓✓")  # the last day is today
    assert (row(head, campaign, e)["streak"], row(head, campaign, e)["points"]) == (3, 0)

    result = corrections.correct_day(by=head, enrolment=e, day=days_ago(3), kind=CorrectionKind.CORRECT,
                                     reason="复核照片，分类正确")

    # Days 0–4 now make a run (the reward falls on day 4); days 5 and 6 count towards the next one.
    day4 = campaign.starts_on + dt.timedelta(days=4)
    assert [(g.kind, g.points, g.run_end, g.correction) for g in result.granted] == [
        (LedgerKind.REWARD, POINTS, day4, result.correction)]
    assert result.reversed == []
    r = row(head, campaign, e)
    assert (r["streak"], r["rewards"], r["points"], r["restarts"]) == (2, 1, POINTS, 0)
    assert services.balance(household_id=e.household_id) == POINTS


def test_a_reward_no_longer_earned_is_reversed_by_an_entry_of_its_own(world, people):
    head, volunteer = people
    campaign = start_campaign(head, started=4)
    e = enrol(world, campaign, volunteer, "102")
    record(campaign, e, volunteer, "✓✓✓✓✓")
    services.redeem_points(by=head, household=e.household, points=30, note="垃圾袋")
    reward = PointsEntry.objects.get(kind=LedgerKind.REWARD)

    result = corrections.correct_day(by=head, enrolment=e, day=days_ago(2), kind=CorrectionKind.INCORRECT,
                                     reason="当天厨余垃圾混投，误记为正确")

    [reversal] = result.reversed
    assert (reversal.kind, reversal.points, reversal.run_end, reversal.correction) == (
        LedgerKind.ADJUST, -POINTS, reward.run_end, result.correction)
    assert result.granted == []
    # The reward stays in the ledger as it was; the reversal follows it. The points already spent leave the
    # balance below zero: the household owes them, and redeems nothing until it earns them back.
    assert ledger(e) == [(LedgerKind.REWARD, POINTS, reward.run_end, None), (LedgerKind.REDEEM, -30, None, None),
                         (LedgerKind.ADJUST, -POINTS, reward.run_end, 1)]
    assert services.balance(household_id=e.household_id) == -30
    r = row(head, campaign, e)
    assert (r["streak"], r["rewards"], r["points"]) == (2, 0, 0)
    assert selectors.campaign_figures(user=head, campaign=campaign)["rewards"] == 0


def test_earning_a_reversed_run_again_pays_it_once(world, people):
    head, volunteer = people
    campaign = start_campaign(head, started=5)
    e = enrol(world, campaign, volunteer, "103")
    record(campaign, e, volunteer, "✓✓✓✓✓")
    run_end = days_ago(1)
    corrections.correct_day(by=head, enrolment=e, day=days_ago(3), kind=CorrectionKind.INCORRECT, reason="看错了")

    again = corrections.correct_day(by=head, enrolment=e, day=days_ago(3), kind=CorrectionKind.CORRECT,
                                    reason="复核后确认正确")
    twice = corrections.correct_day(by=head, enrolment=e, day=days_ago(3), kind=CorrectionKind.CORRECT,
                                    reason="复核后确认正确")  # the same form sent again
    services.record_day(by=volunteer, campaign=campaign, day=timezone.localdate(), findings={e.pk: True})

    assert [(g.kind, g.points) for g in again.granted] == [(LedgerKind.ADJUST, POINTS)]
    assert (twice.changed, twice.granted, twice.reversed) == (False, [], [])
    assert ledger(e) == [(LedgerKind.REWARD, POINTS, run_end, None), (LedgerKind.ADJUST, -POINTS, run_end, 1),
                         (LedgerKind.ADJUST, POINTS, run_end, 2)]
    assert services.balance(household_id=e.household_id) == POINTS
    assert SortingCorrection.objects.filter(enrolment=e).count() == 2
    r = row(head, campaign, e)
    assert (r["streak"], r["rewards"], r["points"]) == (1, 1, POINTS)
    # The database itself keeps each run to one reward, and each of its adjustments to one entry.
    for kind, revision in ((LedgerKind.REWARD, None), (LedgerKind.ADJUST, 2)):
        with pytest.raises(IntegrityError), transaction.atomic():
            PointsEntry.objects.create(subdistrict=world.sub, household_id=e.household_id, campaign=campaign,
                                       kind=kind, points=POINTS, run_end=run_end, revision=revision)


def test_removing_a_record_made_in_error_keeps_its_history_and_audits_it(world, people):
    head, volunteer = people
    campaign = start_campaign(head, started=3)
    e = enrol(world, campaign, volunteer, "104")
    record(campaign, e, volunteer, "✓✓✓✓")
    day = days_ago(1)
    recorded = SortingRecord.objects.get(enrolment=e, day=day)

    result = corrections.correct_day(by=head, enrolment=e, day=day, kind=CorrectionKind.REMOVE, reason=f"  {REASON} ")

    assert not SortingRecord.objects.filter(enrolment=e, day=day).exists()
    c = result.correction
    assert (c.day, c.kind, c.was_correct, c.recorded_by, c.recorded_at, c.corrected_by, c.reason) == (
        day, CorrectionKind.REMOVE, True, volunteer, recorded.recorded_at, head, REASON)
    log = AuditLog.objects.get(object_type="inspections.sortingrecord", object_id=str(recorded.pk))
    assert (log.action, log.actor, log.field, log.reason, log.subdistrict_id) == (
        AuditAction.DELETE, head, "correct", REASON, world.sub.pk)
    assert log.detail == {"correction": c.pk, "enrolment": e.pk, "day": day.isoformat(), "from": True, "to": None,
                          "granted": [], "reversed": []}
    # Sent again: nothing left to remove, nothing changes, nothing more is logged.
    assert corrections.correct_day(by=head, enrolment=e, day=day, kind=CorrectionKind.REMOVE,
                                   reason=REASON).changed is False
    assert AuditLog.objects.filter(object_type="inspections.sortingrecord").count() == 1
    # A flip is logged as an update of the record.
    corrections.correct_day(by=head, enrolment=e, day=days_ago(2), kind=CorrectionKind.INCORRECT, reason=REASON)
    flip = AuditLog.objects.filter(object_type="inspections.sortingrecord").latest("id")
    assert (flip.action, flip.detail["from"], flip.detail["to"]) == (AuditAction.UPDATE, True, False)


def test_a_reason_is_required(world, people):
    head, volunteer = people
    campaign = start_campaign(head, started=2)
    e = enrol(world, campaign, volunteer, "105")
    record(campaign, e, volunteer, "✓✓✓")
    for reason in ("", "  ", "错"):
        with pytest.raises(ValidationError) as exc:
            corrections.correct_day(by=head, enrolment=e, day=days_ago(1), kind=CorrectionKind.INCORRECT,
                                    reason=reason)
        assert exc.value.message_dict["reason"] == ["请填写更正原因（至少 2 个字），如“误点了隔壁户”"]
    assert SortingRecord.objects.get(enrolment=e, day=days_ago(1)).correct is True
    assert not SortingCorrection.objects.exists()
    refusal = AuditLog.objects.filter(action=AuditAction.ERROR).latest("id")
    assert refusal.detail == {"service": "correct_day", "fields": ["reason"], "codes": []}


def test_only_those_who_manage_the_campaign_may_correct(world, people, login):
    head, volunteer = people
    campaign = start_campaign(head, started=2)
    e = enrol(world, campaign, volunteer, "106")
    record(campaign, e, volunteer, "✓✓✓")
    with pytest.raises(PermissionDenied) as exc:
        corrections.correct_day(by=volunteer, enrolment=e, day=days_ago(1), kind=CorrectionKind.INCORRECT,
                                reason=REASON)
    assert "只有居委负责人或街道管理人员可以更正打卡记录" in str(exc.value)
    assert AuditLog.objects.filter(action=AuditAction.DENIED, actor=volunteer,
                                   object_type="inspections.enrolment").exists()
    client = login(volunteer)
    assert client.get(f"/inspections/campaigns/enrolments/{e.pk}/days/{days_ago(1)}/correct/").status_code == 403
    body = {"enrolment": e.pk, "day": str(days_ago(1)), "kind": "incorrect", "reason": REASON}
    api = f"/api/v1/inspections/campaigns/campaigns/{campaign.pk}/corrections"
    assert client.post(api, body, content_type="application/json").status_code == 403
    page = client.get(f"/inspections/campaigns/households/{e.household_id}/").content.decode()
    assert 'data-testid="records-' in page and "/correct/" not in page  # the records, without the action
    assert SortingRecord.objects.get(enrolment=e, day=days_ago(1)).correct is True
    # The operator manages the subdistrict's campaigns.
    assert corrections.correct_day(by=world.operator, enrolment=e, day=days_ago(1), kind=CorrectionKind.INCORRECT,
                                   reason=REASON).changed


def test_a_day_after_today_or_after_the_correction_period_is_refused(world, people):
    head, volunteer = people
    campaign = start_campaign(head, started=2)
    e = enrol(world, campaign, volunteer, "107")
    record(campaign, e, volunteer, "✓✓✓")
    with pytest.raises(ValidationError) as exc:
        corrections.correct_day(by=head, enrolment=e, day=days_ago(-1), kind=CorrectionKind.INCORRECT, reason=REASON)
    assert exc.value.message_dict["day"] == [f"不能更正今天之后的日期（{days_ago(-1)}）"]
    with pytest.raises(ValidationError) as exc:  # a day without a record is recorded, not corrected
        corrections.correct_day(by=head, enrolment=e, day=days_ago(3), kind=CorrectionKind.CORRECT, reason=REASON)
    assert "没有打卡记录" in exc.value.message_dict["day"][0]

    # A campaign that ended 8 days ago: its 7-day correction period is over; one of 8 days still takes them.
    ended = services.create_campaign(by=head, name="上一期", starts_on=days_ago(12), ends_on=days_ago(8),
                                     streak_days=STREAK, reward_points=POINTS, correction_days=30)
    late = enrol(world, ended, volunteer, "108")
    services.record_day(by=volunteer, campaign=ended, day=days_ago(9), findings={late.pk: True})
    ended.correction_days = 7
    ended.save()
    late = selectors.get_enrolment(user=head, enrolment_id=late.pk)
    with pytest.raises(ValidationError) as exc:
        corrections.correct_day(by=head, enrolment=late, day=days_ago(9), kind=CorrectionKind.INCORRECT,
                                reason=REASON)
    assert exc.value.message_dict["day"] == [f"活动已于 {days_ago(8)} 结束，更正期 7 天已过，记录不能再更正"]
    ended.correction_days = 8
    ended.save()
    late = selectors.get_enrolment(user=head, enrolment_id=late.pk)
    assert corrections.correct_day(by=head, enrolment=late, day=days_ago(9), kind=CorrectionKind.INCORRECT,
                                   reason=REASON).changed


def test_a_household_outside_the_heads_scope_is_refused(world, people, login):
    head, _volunteer = people
    campaign = start_campaign(head, started=2)
    elsewhere = enrol(world, campaign, world.social_worker, "201", building=world.b21)  # 兰溪园, not 曹杨一村
    record(campaign, elsewhere, world.social_worker, "✓✓✓")
    with pytest.raises(PermissionDenied):
        corrections.correct_day(by=head, enrolment=elsewhere, day=days_ago(1), kind=CorrectionKind.INCORRECT,
                                reason=REASON)
    client = login(head)
    url = f"/inspections/campaigns/enrolments/{elsewhere.pk}/days/{days_ago(1)}/correct/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"kind": "incorrect", "reason": REASON}).status_code == 404
    api = f"/api/v1/inspections/campaigns/campaigns/{campaign.pk}/corrections"
    body = {"enrolment": elsewhere.pk, "day": str(days_ago(1)), "kind": "incorrect", "reason": REASON}
    assert client.post(api, body, content_type="application/json").status_code == 404
    assert not SortingCorrection.objects.exists()
    assert SortingRecord.objects.get(enrolment=elsewhere, day=days_ago(1)).correct is True


def test_a_day_recorded_late_that_breaks_a_paid_run_takes_the_reward_back(world, people):
    head, volunteer = people
    # Days without a record pass over under the lenient rule: days 0,1,3,4,5 earn the reward on day 5.
    campaign = start_campaign(head, started=6, missed_rule=MissedRule.INCORRECT_ONLY)
    e = enrol(world, campaign, volunteer, "109")
    record(campaign, e, volunteer, "✓✓·✓✓✓")
    result = services.record_day(by=volunteer, campaign=campaign, day=days_ago(4), findings={e.pk: False})
    assert [(r.kind, r.points) for r in result.reversals] == [(LedgerKind.ADJUST, -POINTS)]
    assert services.balance(household_id=e.household_id) == 0


def test_a_missed_day_recorded_late_moves_the_reward_without_paying_twice(world, people):
    head, volunteer = people
    campaign = start_campaign(head, started=9)
    e = enrol(world, campaign, volunteer, "110")
    record(campaign, e, volunteer, "✓✓✓·✓✓✓✓✓")  # day 3 missed: the reward falls on day 8
    result = services.record_day(by=volunteer, campaign=campaign, day=campaign.starts_on + dt.timedelta(days=3),
                                 findings={e.pk: True})
    # Days 0–4 are now the run (reward on day 4); days 5–8 count 4 towards the next: day 8's is taken back.
    assert [(r.points, r.run_end) for r in result.rewards] == [(POINTS, campaign.starts_on + dt.timedelta(days=4))]
    assert [(r.points, r.run_end) for r in result.reversals] == [(-POINTS, campaign.starts_on + dt.timedelta(days=8))]
    assert services.balance(household_id=e.household_id) == POINTS


def test_the_head_corrects_a_day_on_the_household_page(world, people, login):
    head, volunteer = people
    campaign = start_campaign(head, started=4)
    e = enrol(world, campaign, volunteer, "111")
    record(campaign, e, volunteer, "✓✓✓✓✓")
    client = login(head)
    household_url = f"/inspections/campaigns/households/{e.household_id}/"
    page = client.get(household_url).content.decode()
    url = f"/inspections/campaigns/enrolments/{e.pk}/days/{days_ago(2)}/correct/"
    assert f'href="{url}"' in page

    form = client.get(url).content.decode()
    assert 'value="incorrect"' in form and 'value="remove"' in form and 'value="correct"' not in form
    missing = client.post(url, {"kind": "incorrect", "reason": ""})
    assert missing.status_code == 400 and "请填写更正原因" in missing.content.decode()
    done = client.post(url, {"kind": "incorrect", "reason": REASON}, follow=True)
    text = done.content.decode()
    assert done.redirect_chain == [(household_url, 302)]
    assert f"已更正 {days_ago(2)} 的记录；撤销奖励 {POINTS} 分" in text
    history = text[text.index('data-testid="corrections"'):]
    assert REASON in history and "改为不正确" in history and head.display_name in history
    correction = SortingCorrection.objects.get()
    assert f'<a class="muted" href="#correction-{correction.pk}">已更正</a>' in text  # next to the day's record
    assert 'data-testid="balance">0<' in text
    assert client.get(f"/inspections/campaigns/enrolments/{e.pk}/days/{days_ago(30)}/correct/").status_code == 404
    # A removal sent twice: the second finds the record gone and changes nothing.
    remove = f"/inspections/campaigns/enrolments/{e.pk}/days/{days_ago(1)}/correct/"
    client.post(remove, {"kind": "remove", "reason": REASON})
    twice = client.post(remove, {"kind": "remove", "reason": REASON}, follow=True)
    assert twice.redirect_chain == [(household_url, 302)] and "记录未改动" in twice.content.decode()
    assert SortingCorrection.objects.filter(kind=CorrectionKind.REMOVE).count() == 1


def test_the_api_corrects_lists_the_days_and_the_history(world, people, login):
    head, volunteer = people
    campaign = start_campaign(head, started=4)
    e = enrol(world, campaign, volunteer, "112")
    record(campaign, e, volunteer, "✓✓✓✓✗")
    client = login(head)
    base = f"/api/v1/inspections/campaigns/campaigns/{campaign.pk}"
    days = client.get(f"{base}/enrolments/{e.pk}/days").json()
    assert [(d["day"], d["correct"], d["recorded_by"]) for d in days][:2] == [
        (str(days_ago(0)), False, volunteer.display_name), (str(days_ago(1)), True, volunteer.display_name)]

    body = {"enrolment": e.pk, "day": str(days_ago(0)), "kind": "correct", "reason": REASON}
    first = client.post(f"{base}/corrections", body, content_type="application/json")
    again = client.post(f"{base}/corrections", body, content_type="application/json")
    assert first.status_code == 201 and again.status_code == 200
    out = first.json()
    assert (out["changed"], out["rewards"], out["reversals"], out["balance"]) == (
        True, [{"household": e.household_id, "points": POINTS, "run_end": str(days_ago(0))}], [], POINTS)
    assert (out["correction"]["was_correct"], out["correction"]["kind"], out["correction"]["recorded_by"],
            out["correction"]["corrected_by"]) == (False, "correct", volunteer.display_name, head.display_name)
    assert again.json()["changed"] is False and again.json()["correction"] is None

    history = client.get(f"{base}/corrections?enrolment={e.pk}").json()
    assert [(h["id"], h["household"], h["reason"]) for h in history] == [
        (out["correction"]["id"], e.household_id, REASON)]
    missing = client.post(f"{base}/corrections", {**body, "kind": "incorrect", "reason": ""},
                          content_type="application/json")
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "reason"
    assert client.get(f"/api/v1/inspections/campaigns/campaigns/{campaign.pk + 99}/corrections").status_code == 404


def test_after_the_correction_period_a_late_record_is_refused_too_and_the_points_stay(world, people):
    """The 监督员's 补录 settles rewards as a correction does: once the 更正期 is over it would take back a reward
    the 居委 head may no longer touch, so it is refused as the correction is."""
    head, volunteer = people
    ended = services.create_campaign(by=head, name="上一期", starts_on=days_ago(40), ends_on=days_ago(30),
                                     streak_days=3, reward_points=POINTS, missed_rule=MissedRule.INCORRECT_ONLY,
                                     correction_days=30)
    e = enrol(world, ended, volunteer, "109")
    record(ended, e, volunteer, "✓·✓✓")
    assert [k for k, *_ in ledger(e)] == ["reward"]
    ended.correction_days = 2
    ended.save()
    with pytest.raises(ValidationError) as exc:
        services.record_day(by=volunteer, campaign=ended, day=ended.starts_on + dt.timedelta(days=1),
                            findings={e.pk: False})
    assert exc.value.message_dict["day"] == [f"活动已于 {days_ago(30)} 结束，更正期 2 天已过，记录不能再补录"]
    assert [k for k, *_ in ledger(e)] == ["reward"] and SortingRecord.objects.filter(enrolment=e).count() == 3

