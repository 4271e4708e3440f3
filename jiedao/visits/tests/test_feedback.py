"""扫码反馈: one rating per signed code, without an account; a forged, reused or expired code is refused
with a clear message."""


import pytest
from django.core.exceptions import ValidationError

from jiedao.visits import services
from jiedao.visits.models import FeedbackCode, Rating
from jiedao.visits.tests.conftest import visit_form


@pytest.fixture
def code(vw, clock):
    check_in = services.check_in_from_file(household=vw.red, by=vw.social_worker)
    visit = services.submit_visit(form=visit_form(check_in), by=vw.social_worker).visit
    return FeedbackCode.objects.get(visit=visit)


def test_a_resident_rates_once_with_a_comment_kept_encrypted(code):
    from django.db import connection

    token = services.token_for(code)
    services.rate(token=token, rating=Rating.FAIRLY, comment="小陈很耐心，就是来得晚了点")
    code.refresh_from_db()
    assert (code.rating, code.comment) == (2, "小陈很耐心，就是来得晚了点")
    with connection.cursor() as cursor:
        cursor.execute("SELECT comment FROM visits_feedbackcode WHERE id = %s", [code.pk])
        assert "小陈" not in cursor.fetchone()[0]
    with pytest.raises(services.BadCode) as again:
        services.rate(token=token, rating=Rating.SATISFIED)
    assert again.value.reason == "used"
    assert "已经评价过" in again.value.message
    code.refresh_from_db()
    assert code.rating == 2


def test_a_forged_or_altered_code_is_refused(code):
    token = services.token_for(code)
    for forged in (token[:-2] + "xx", "abc", "", code.nonce):
        with pytest.raises(services.BadCode) as refused:
            services.read_code(token=forged)
        assert refused.value.reason == "forged"


def test_an_expired_code_is_refused(code, clock):
    clock.advance(days=31)
    with pytest.raises(services.BadCode) as refused:
        services.rate(token=services.token_for(code), rating=3)
    assert (refused.value.reason, "已过期" in refused.value.message) == ("expired", True)


def test_a_rating_outside_the_three_answers_is_refused(code):
    for bad in (0, 4, "很好", None):
        with pytest.raises(ValidationError):
            services.rate(token=services.token_for(code), rating=bad)
    assert FeedbackCode.objects.get(pk=code.pk).used_at is None


def test_a_return_visit_code_rates_the_handling_of_the_case(vw, clock):
    from jiedao.cases import services as case_services
    from jiedao.cases.models import Case, Status
    from jiedao.visits.models import VisitTask

    case = case_services.intake(subdistrict=vw.sub, channel=Case.Channel.VISIT, description="楼道灯坏了好几天",
                                by=vw.social_worker, household_id=vw.plain.pk).case
    Case.objects.filter(pk=case.pk).update(status=Status.CLOSED, closed_at=clock.now)
    services.generate_follow_ups(subdistrict_id=vw.sub.pk)
    task = VisitTask.objects.get(kind="follow_up")
    clock.advance(days=1)
    check_in = services.check_in_from_file(household=vw.plain, by=task.assignee)
    visit = services.submit_visit(form=visit_form(check_in, note="回访：楼道灯已修好，住户说晚上上下楼方便了"),
                                  by=task.assignee).visit
    assert visit.return_visit
    assert FeedbackCode.objects.get(visit=visit).case_id == case.pk
