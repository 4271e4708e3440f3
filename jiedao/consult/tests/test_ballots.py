"""选票 by every channel and the bad input around them: after closing, forged or reused codes, a non-owner's
code, a second vote replacing the first (audited), double entry that disagrees, proxies without their
document. Nothing counted twice, nothing lost."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from jiedao.consult import selectors, services
from jiedao.consult.models import Ballot, BallotState
from jiedao.core.models import AuditAction, AuditLog
from jiedao.registry.models import HouseholdCode
from jiedao.registry.services import sign_token


def counted(c) -> dict:
    return selectors.counted_ballots(c)


def test_an_online_vote_counts_once_and_the_code_cannot_be_reused(cw, open_vote):
    c = open_vote
    ballot = services.cast_online(token=c.tokens["1-101"], choice="agree")
    assert ballot.state == BallotState.COUNTED and list(counted(c).values()) == ["agree"]
    with pytest.raises(services.BadCode) as exc:
        services.cast_online(token=c.tokens["1-101"], choice="disagree")
    assert exc.value.reason == "used" and "已经投过票" in exc.value.message
    assert list(counted(c).values()) == ["agree"]


@pytest.mark.parametrize("mangle", [lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"), lambda t: "x" + t,
                                    lambda t: "", lambda t: t.split(":")[0] + ":forged"])
def test_a_forged_code_is_refused_and_nothing_is_counted(cw, open_vote, mangle):
    with pytest.raises(services.BadCode) as exc:
        services.cast_online(token=mangle(open_vote.tokens["1-101"]), choice="agree")
    assert exc.value.reason == "forged" and "无效" in exc.value.message
    assert counted(open_vote) == {}


def test_a_household_qr_code_of_the_registry_is_not_a_voting_code(cw, open_vote):
    token = sign_token("abcdefghijkl")
    HouseholdCode.objects.create(household=cw.homes[0], token=token)
    with pytest.raises(services.BadCode) as exc:
        services.cast_online(token=token, choice="agree")
    assert exc.value.reason == "forged"


def test_a_code_of_a_dwelling_outside_the_electorate_votes_only_in_its_own_consultation(cw, open_vote):
    # A tenant (non-owner) holds no letter; a letter of another consultation counts only there.
    from jiedao.consult.tests.conftest import fill, new_vote

    other = fill(cw, new_vote(cw))
    services.open_consultation(other, by=cw.head)
    token = selectors.letters(consultation=other, user=cw.head)[0]["token"]
    services.cast_online(token=token, choice="disagree")
    assert counted(open_vote) == {} and list(counted(other).values()) == ["disagree"]


def test_no_vote_after_closing_or_before_opening(cw, open_vote):
    cw.clock.advance(days=14)
    with pytest.raises(services.BadCode) as exc:
        services.cast_online(token=open_vote.tokens["1-101"], choice="agree")
    assert exc.value.reason == "closed" and "截止" in exc.value.message
    d = open_vote.dwellings.get(label="1-201")
    with pytest.raises(ValidationError) as exc:
        services.enter_ballot(dwelling=d, choice="agree", channel="paper", by=cw.social_worker)
    assert "截止" in " ".join(exc.value.messages)
    assert counted(open_vote) == {}


def test_a_late_paper_ballot_dated_after_closing_is_refused(cw, open_vote):
    d = open_vote.dwellings.get(label="1-201")
    with pytest.raises(ValidationError):
        services.enter_ballot(dwelling=d, choice="agree", channel="paper", by=cw.social_worker,
                              cast_at=open_vote.closes_at + dt.timedelta(minutes=1))


def test_booth_ballots_count_only_when_a_second_staff_member_enters_the_same(cw, open_vote):
    d = open_vote.dwellings.get(label="1-201")
    first = services.enter_ballot(dwelling=d, choice="agree", channel="booth", by=cw.social_worker)
    assert first.state == BallotState.PENDING and counted(open_vote) == {}
    with pytest.raises(ValidationError) as exc:
        services.confirm_ballot(ballot=first, choice="agree", by=cw.social_worker)
    assert "另一位工作人员" in " ".join(exc.value.messages)
    services.confirm_ballot(ballot=first, choice="agree", by=cw.worker2)
    assert first.state == BallotState.COUNTED and list(counted(open_vote).values()) == ["agree"]


def test_double_entry_that_disagrees_is_flagged_and_not_counted(cw, open_vote):
    d = open_vote.dwellings.get(label="1-201")
    first = services.enter_ballot(dwelling=d, choice="agree", channel="paper", by=cw.social_worker)
    services.confirm_ballot(ballot=first, choice="disagree", by=cw.worker2)
    assert first.state == BallotState.MISMATCH and counted(open_vote) == {}
    board = selectors.board(consultation=open_vote, user=cw.head)
    assert board["mismatched"] == 1 and board["outcome"].counts["voted_heads"] == 0
    with pytest.raises(ValidationError):
        services.confirm_ballot(ballot=first, choice="agree", by=cw.head)  # a flagged entry is entered anew


def test_a_second_vote_replaces_the_first_across_channels_and_is_audited(cw, open_vote):
    c = open_vote
    online = services.cast_online(token=c.tokens["1-101"], choice="disagree")
    cw.clock.advance(hours=2)
    d = c.dwellings.get(label="1-101")
    booth = services.enter_ballot(dwelling=d, choice="agree", channel="booth", by=cw.social_worker)
    services.confirm_ballot(ballot=booth, choice="agree", by=cw.worker2)
    online.refresh_from_db()
    assert online.state == BallotState.REPLACED and list(counted(c).values()) == ["agree"]
    log = AuditLog.objects.get(action=AuditAction.UPDATE, object_type="consult.ballot", object_id=str(online.pk))
    assert log.detail["before"]["choice"] == "disagree" and log.detail["after"]["channel"] == "booth"
    assert Ballot.objects.filter(consultation=c).count() == 2  # nothing lost


def test_the_last_ballot_cast_counts_even_when_confirmed_later(cw, open_vote):
    c = open_vote
    d = c.dwellings.get(label="1-101")
    cw.clock.advance(minutes=30)  # the paper was handed in 5 minutes after opening, entered now
    paper = services.enter_ballot(dwelling=d, choice="disagree", channel="paper", by=cw.social_worker,
                                  cast_at=c.opens_at + dt.timedelta(minutes=5))
    cw.clock.advance(hours=1)
    services.cast_online(token=c.tokens["1-101"], choice="agree")
    services.confirm_ballot(ballot=paper, choice="disagree", by=cw.worker2)
    paper.refresh_from_db()
    assert paper.state == BallotState.REPLACED and list(counted(c).values()) == ["agree"]


def test_a_proxy_needs_the_proxy_and_the_signed_document(cw, open_vote, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    d = open_vote.dwellings.get(label="2-102")
    with pytest.raises(ValidationError) as exc:
        services.enter_ballot(dwelling=d, choice="agree", channel="proxy", by=cw.social_worker)
    assert set(exc.value.message_dict) == {"proxy_name", "proxy_document"}
    doc = SimpleUploadedFile("weituo.pdf", b"%PDF-1.4 signed", content_type="application/pdf")
    ballot = services.enter_ballot(dwelling=d, choice="agree", channel="proxy", by=cw.social_worker,
                                   proxy_name="业主之子", proxy_document=doc)
    services.confirm_ballot(ballot=ballot, choice="agree", by=cw.worker2)
    ballot.refresh_from_db()
    assert ballot.proxy_document.read() == b"%PDF-1.4 signed" and ballot.proxy_name == "业主之子"
    assert list(counted(open_vote).values()) == ["agree"]


def test_staff_outside_the_place_or_without_the_role_cannot_enter_ballots(cw, open_vote):
    d = open_vote.dwellings.get(label="1-101")
    with pytest.raises(PermissionDenied):
        services.enter_ballot(dwelling=d, choice="agree", channel="paper", by=cw.worker_c1)
    with pytest.raises(PermissionDenied):
        services.enter_ballot(dwelling=d, choice="agree", channel="paper", by=cw.grid_worker)


def test_an_invalid_choice_is_refused_in_chinese(cw, open_vote):
    with pytest.raises(ValidationError) as exc:
        services.cast_online(token=open_vote.tokens["1-101"], choice="yes")
    assert "同意" in " ".join(exc.value.messages)
    assert services.read_code(token=open_vote.tokens["1-101"])  # the code is still unused
