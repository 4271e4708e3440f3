"""The staff pages (list and 发起, board, electorate and corrections, letters, ballot entry and the blind second
entry, who to visit next) with their access cases, and the owner's voting page and 公示 without an account."""

import datetime as dt
import re

from django.urls import reverse
from django.utils import timezone

from jiedao.consult import selectors, services
from jiedao.consult.models import BallotState, Consultation, Status
from jiedao.consult.tests.conftest import fill, new_vote
from jiedao.core.models import AuditAction, AuditLog


def test_the_head_starts_a_consultation_from_the_list_page(cw, client):
    client.force_login(cw.head)
    now = timezone.localtime()
    response = client.post(reverse("consult:list"), {
        "kind": "elevator", "title": "41号2单元加装电梯", "building": cw.b21.pk, "unit": 2,
        "opens_at": (now + dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (now + dt.timedelta(days=10)).strftime("%Y-%m-%dT%H:%M")})
    c = Consultation.objects.get(title="41号2单元加装电梯")
    assert response.status_code == 302 and response.url == reverse("consult:electorate", args=[c.pk])
    assert c.dwellings.count() == 6 and c.rule == "278-special"
    page = client.get(response.url).content.decode()
    assert "6 个表决单位信息不全" in page and "2-102 缺业主、面积" in page


def test_the_create_form_shows_a_bad_threshold_in_chinese(cw, client):
    client.force_login(cw.head)
    now = timezone.localtime()
    response = client.post(reverse("consult:list"), {
        "kind": "renewal", "title": "旧改意愿征询", "building": cw.b21.pk, "rule": "share", "share_of": "heads",
        "share_at_least": "1.5", "opens_at": now.strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (now + dt.timedelta(days=10)).strftime("%Y-%m-%dT%H:%M")})
    assert response.status_code == 400 and "必须大于 0 且不超过 1" in response.content.decode()
    assert not Consultation.objects.exists()


def test_opening_with_missing_areas_shows_which_and_the_correction_is_audited(cw, client):
    c = new_vote(cw)
    fill(cw, c)
    d = c.dwellings.get(label="1-301")
    d.area = None
    d.save()
    client.force_login(cw.head)
    response = client.post(reverse("consult:action", args=[c.pk, "open"]), follow=True)
    assert "1-301 缺面积" in response.content.decode()
    c.refresh_from_db()
    assert c.status == Status.DRAFT
    response = client.post(reverse("consult:electorate", args=[c.pk]),
                           {"unit": d.pk, "area": "62.5", "reason": ""})
    assert response.status_code == 400 and "更正依据" in response.content.decode()
    client.post(reverse("consult:electorate", args=[c.pk]), {"unit": d.pk, "area": "62.5", "reason": "产证核对"})
    assert AuditLog.objects.filter(object_type="consult.dwelling", object_id=str(d.pk), reason="产证核对").exists()
    client.post(reverse("consult:action", args=[c.pk, "open"]))
    c.refresh_from_db()
    assert c.status == Status.OPEN


def test_the_electorate_page_masks_owners(cw, client, open_vote):
    client.force_login(cw.social_worker)
    page = client.get(reverse("consult:electorate", args=[open_vote.pk])).content.decode()
    assert "业*" in page and "业主0" not in page and "310107195001010" not in page


def test_the_board_shows_the_whole_project_and_each_building(cw, client, open_vote):
    for label in ["1-101", "1-201", "1-301"]:
        services.cast_online(token=open_vote.tokens[label], choice="agree")
    client.force_login(cw.social_worker)
    page = client.get(reverse("consult:detail", args=[open_vote.pk])).content.decode()
    assert "目前尚未达到通过条件" in page and "还需争取 5 位业主同意" in page
    assert "1/4" in page and "41号" in page  # participation 3/12, the building's row
    api = client.get(f"/api/v1/consult/consultations/{open_vote.pk}/board").json()
    assert api["outcome"]["participation"] == {"area": "1/4", "heads": "1/4"}
    assert api["buildings"][0]["agree_heads"] == 3


def test_pages_refuse_staff_outside_the_place_and_other_roles(cw, client, open_vote):
    client.force_login(cw.worker_c1)
    assert client.get(reverse("consult:detail", args=[open_vote.pk])).status_code == 404
    client.force_login(cw.grid_worker)
    assert client.get(reverse("consult:list")).status_code == 403
    client.force_login(cw.social_worker)
    assert client.post(reverse("consult:action", args=[open_vote.pk, "close"])).status_code == 403
    assert client.get(reverse("consult:letters", args=[open_vote.pk])).status_code == 403
    client.logout()
    assert client.get(reverse("consult:detail", args=[open_vote.pk])).status_code == 302


def test_letters_carry_a_working_code_per_unit_and_printing_is_audited(cw, client, open_vote):
    client.force_login(cw.head)
    page = client.get(reverse("consult:letters", args=[open_vote.pk])).content.decode()
    assert page.count('data-testid="letter"') == 12 and page.count("<svg") == 12
    token = re.search(r"<code>([^<]+)</code>", page).group(1)
    assert services.read_code(token=token).dwelling.consultation_id == open_vote.pk
    assert AuditLog.objects.filter(action=AuditAction.EXPORT, object_type="consult.consultation").exists()


def test_booth_entry_and_blind_second_entry_through_the_page(cw, client, open_vote):
    url = reverse("consult:ballots", args=[open_vote.pk])
    client.force_login(cw.social_worker)
    response = client.post(url, {"form": "enter", "label": "2-302", "choice": "agree", "channel": "booth"})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "需另一位工作人员复核" in page
    ballot = open_vote.ballots.get()
    client.force_login(cw.worker2)
    page = client.get(url).content.decode()
    assert "2-302" in page and 'value="agree" checked' not in page  # the first entry's choice is not shown
    client.post(url, {"form": "confirm", "ballot": ballot.pk, "choice": "disagree"})
    ballot.refresh_from_db()
    assert ballot.state == BallotState.MISMATCH and "两次录入不一致" in client.get(url).content.decode()
    assert selectors.counted_ballots(open_vote) == {}


def test_a_proxy_without_its_document_is_refused_on_the_page(cw, client, open_vote):
    client.force_login(cw.social_worker)
    response = client.post(reverse("consult:ballots", args=[open_vote.pk]),
                           {"form": "enter", "label": "2-302", "choice": "agree", "channel": "proxy"})
    assert response.status_code == 400 and "委托书" in response.content.decode()


def test_the_owner_votes_on_the_phone_page_without_an_account(cw, client, open_vote):
    url = reverse("consult:vote", args=[open_vote.tokens["1-101"]])
    page = client.get(url).content.decode()
    assert "41号加装电梯" in page and "1-101" in page and 'name="viewport"' in page
    response = client.post(url, {"choice": "agree"})
    assert "表决已提交" in response.content.decode()
    again = client.get(url)
    assert again.status_code == 410 and "已经投过票" in again.content.decode()
    forged = client.get(reverse("consult:vote", args=["abc:def"]))
    assert forged.status_code == 404 and "无效" in forged.content.decode()
    assert list(selectors.counted_ballots(open_vote).values()) == ["agree"]


def test_the_voting_page_is_closed_after_the_deadline(cw, client, open_vote):
    cw.clock.advance(days=15)
    response = client.get(reverse("consult:vote", args=[open_vote.tokens["1-101"]]))
    assert response.status_code == 410 and "已经截止" in response.content.decode()


def test_the_public_notice_shows_the_result_after_closing_without_personal_data(cw, client, open_vote):
    for label in sorted(open_vote.tokens)[:9]:
        services.cast_online(token=open_vote.tokens[label], choice="agree")
    cw.clock.advance(days=15)
    services.close_consultation(open_vote, by=cw.head)
    page = client.get(reverse("consult:notice", args=[open_vote.pk])).content.decode()
    assert "已通过" in page and "3/4" in page and "业*" not in page and "1-101" not in page
    draft = new_vote(cw)
    assert client.get(reverse("consult:notice", args=[draft.pk])).status_code == 404


def test_who_to_visit_next_page_lists_the_fewest_owners(cw, client, open_vote):
    for label in ["1-101", "1-201", "1-301", "1-401", "1-501", "1-601"]:
        services.cast_online(token=open_vote.tokens[label], choice="agree")
    client.force_login(cw.social_worker)
    page = client.get(reverse("consult:visit-next", args=[open_vote.pk])).content.decode()
    assert "最少还需争取 2 位业主同意" in page and "已证明是最少人数" in page
    api = client.get(f"/api/v1/consult/consultations/{open_vote.pk}/visit-next").json()
    assert api["needed"] == 2 and len(api["visit_next"]) == 2 and api["exact"] is True


def test_the_list_says_an_open_vote_is_not_yet_passing_rather_than_failed(cw, client, open_vote):
    """While a vote runs its result is not final: 尚未达到 (grey), then 已达通过条件 once the ballots so far would
    pass it; only a closed vote says 通过 or 未通过. A draft has no result at all."""
    draft = new_vote(cw)
    client.force_login(cw.head)

    def results() -> dict[str, str]:
        page = client.get(reverse("consult:list")).content.decode()
        rows = re.findall(r'href="/consult/(\d+)/".*?data-testid="result">(.*?)</td>', page, re.S)
        return {int(pk): re.sub(r"<[^>]+>", "", cell).strip() for pk, cell in rows}

    assert results() == {open_vote.pk: "尚未达到", draft.pk: "—"}
    for label in sorted(open_vote.tokens)[:9]:
        services.cast_online(token=open_vote.tokens[label], choice="agree")
    assert results()[open_vote.pk] == "已达通过条件"
    cw.clock.advance(days=15)
    services.close_consultation(open_vote, by=cw.head)
    client.force_login(cw.head)  # two weeks on, the session has expired
    assert results()[open_vote.pk] == "通过"
