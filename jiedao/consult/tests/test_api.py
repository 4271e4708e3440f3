"""The JSON API does what the pages do: create, correct, open (refused with the missing list), staff entry and
the second entry, the owner's vote without an account, 公示, and its access cases."""

import base64
import datetime as dt

from django.utils import timezone

from jiedao.consult import selectors
from jiedao.consult.models import BallotState, Consultation
from jiedao.consult.tests.conftest import fill

API = "/api/v1/consult"


def test_create_correct_and_open_through_the_api(cw, client):
    client.force_login(cw.head)
    now = timezone.now()
    response = client.post(f"{API}/consultations", {
        "kind": "elevator", "title": "41号加装电梯", "building_id": cw.b21.pk,
        "opens_at": now.isoformat(), "closes_at": (now + dt.timedelta(days=7)).isoformat()},
        content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["units"] == 12 and body["rule"] == "278-special" and body["status"] == "draft"
    response = client.post(f"{API}/consultations/{body['id']}/open")
    assert response.status_code == 422
    assert "12 个表决单位信息不全" in response.json()["detail"] and "1-101 缺业主、面积" in response.json()["detail"]
    c = Consultation.objects.get(pk=body["id"])
    fill(cw, c)
    unit = c.dwellings.get(label="1-101")
    response = client.patch(f"{API}/consultations/{c.pk}/electorate/{unit.pk}", {"area": "70.5", "reason": ""},
                            content_type="application/json")
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "reason"
    response = client.patch(f"{API}/consultations/{c.pk}/electorate/{unit.pk}",
                            {"area": "70.5", "reason": "产证核对"}, content_type="application/json")
    assert response.json() == {"changed": ["area"]}
    assert client.post(f"{API}/consultations/{c.pk}/open").json()["status"] == "open"
    rows = client.get(f"{API}/consultations/{c.pk}/electorate").json()
    assert rows[0]["owner"] == "业**" and rows[0]["area"] == "70.50"


def test_a_bad_threshold_is_refused_in_chinese(cw, client):
    client.force_login(cw.head)
    now = timezone.now()
    response = client.post(f"{API}/consultations", {
        "kind": "renewal", "title": "旧改", "building_id": cw.b21.pk, "rule": "share", "share_at_least": "-1",
        "opens_at": now.isoformat(), "closes_at": (now + dt.timedelta(days=7)).isoformat()},
        content_type="application/json")
    assert response.status_code == 422 and "门槛" in response.json()["detail"]


def test_double_entry_through_the_api_and_the_first_choice_stays_hidden(cw, client, open_vote):
    unit = open_vote.dwellings.get(label="2-202")
    client.force_login(cw.social_worker)
    response = client.post(f"{API}/consultations/{open_vote.pk}/ballots",
                           {"unit_id": unit.pk, "choice": "agree", "channel": "paper"},
                           content_type="application/json")
    assert response.status_code == 201 and response.json()["state"] == "pending"
    ballot_id = response.json()["id"]
    client.force_login(cw.worker2)
    entries = client.get(f"{API}/consultations/{open_vote.pk}/entries").json()
    assert entries[0]["id"] == ballot_id and "choice" not in entries[0]
    response = client.post(f"{API}/consultations/{open_vote.pk}/ballots/{ballot_id}/confirm", {"choice": "agree"},
                           content_type="application/json")
    assert response.json()["state"] == BallotState.COUNTED
    assert selectors.counted_ballots(open_vote) == {unit.owner_key: "agree"}


def test_a_proxy_with_its_document_through_the_api(cw, client, open_vote, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    unit = open_vote.dwellings.get(label="2-202")
    client.force_login(cw.social_worker)
    response = client.post(f"{API}/consultations/{open_vote.pk}/ballots", {
        "unit_id": unit.pk, "choice": "disagree", "channel": "proxy", "proxy_name": "业主女儿",
        "proxy_document_name": "weituo.pdf", "proxy_document_base64": base64.b64encode(b"%PDF-1.4").decode()},
        content_type="application/json")
    assert response.status_code == 201 and response.json()["channel"] == "proxy"
    response = client.post(f"{API}/consultations/{open_vote.pk}/ballots", {
        "unit_id": unit.pk, "choice": "disagree", "channel": "proxy", "proxy_name": "业主女儿"},
        content_type="application/json")
    assert response.status_code == 422 and "委托书" in response.json()["detail"]


def test_the_owner_votes_through_the_api_without_an_account(cw, client, open_vote):
    token = open_vote.tokens["1-201"]
    assert client.get(f"{API}/vote/{token}").json()["unit"] == "1-201"
    assert client.post(f"{API}/vote/{token}", {"choice": "agree"}, content_type="application/json").json() == {
        "ok": True}
    again = client.post(f"{API}/vote/{token}", {"choice": "disagree"}, content_type="application/json")
    assert again.status_code == 422 and "已经投过票" in again.json()["detail"]
    forged = client.post(f"{API}/vote/{token[:-2]}xx", {"choice": "agree"}, content_type="application/json")
    assert forged.status_code == 422 and "无效" in forged.json()["detail"]
    assert list(selectors.counted_ballots(open_vote).values()) == ["agree"]
    notice = client.get(f"{API}/notice/{open_vote.pk}").json()
    assert notice["phase"] == "during" and notice["outcome"] is None and notice["participation"]["heads"] == "1/12"


def test_the_api_refuses_other_places_and_roles(cw, client, open_vote):
    client.force_login(cw.worker_c1)
    assert client.get(f"{API}/consultations/{open_vote.pk}/board").status_code == 404
    assert client.get(f"{API}/consultations").json() == []
    client.force_login(cw.grid_worker)
    assert client.get(f"{API}/consultations").status_code == 403
    client.force_login(cw.social_worker)
    assert client.post(f"{API}/consultations/{open_vote.pk}/close", {}, content_type="application/json"
                       ).status_code == 403
    client.logout()
    assert client.get(f"{API}/consultations/{open_vote.pk}").status_code in (401, 403)


def test_the_voting_page_speaks_english_when_asked(cw, client, open_vote):
    page = client.get(f"/consult/v/{open_vote.tokens['1-101']}", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Submit my vote" in page and "Agree" in page
