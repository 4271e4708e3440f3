"""The visits JSON API does what the pages do: check in by a scanned code, submit once by client_id, read a
visit, the head's actions, figures and the resident's rating without an account; and refuses what the pages
refuse, in the API's error shape."""

import datetime as dt
import uuid

import pytest

from jiedao.core.models import AuditAction, AuditLog
from jiedao.visits import services
from jiedao.visits.models import FeedbackCode, Visit, VisitTask
from jiedao.visits.tests.conftest import issue_code

API = "/api/v1/visits"
NOTE = "张老伯一个人在家，说这几天胸口闷，晚上睡不好，药快吃完了。燃气和烟感正常。"


@pytest.fixture
def tasks(vw, clock):
    services.generate_routine(subdistrict_id=vw.sub.pk, start=dt.date(2026, 3, 2), end=dt.date(2026, 3, 2))
    vw.red_worker = VisitTask.objects.get(household=vw.red).assignee
    return vw


def _check_in(client, code):
    response = client.post(f"{API}/check-ins", {"code": code}, content_type="application/json")
    return response


def test_check_in_and_submit_once(tasks, login):
    client = login(tasks.red_worker)
    answer = _check_in(client, f"https://jiedao.example/h/{issue_code(tasks.red)}")
    assert answer.status_code == 200
    body = answer.json()
    assert (body["household_id"], body["via"], len(body["tasks"])) == (tasks.red.pk, "qr", 1)
    assert [i["code"] for i in body["checklist"]][:3] == ["gas", "power", "smoke"]
    visit = {"check_in": body["check_in"], "client_id": str(uuid.uuid4()), "note": NOTE,
             "answers": {"gas": "ok", "mind": "problem"}, "met_residents": [body["residents"][0]["id"]],
             "problems": [{"description": "楼道照明灯坏了，老人晚上下楼看不清台阶"}]}
    first = client.post(f"{API}/visits", visit, content_type="application/json")
    again = client.post(f"{API}/visits", visit, content_type="application/json")
    assert (first.status_code, first.json()["created"]) == (201, True)
    assert (again.status_code, again.json()) == (200, {"id": first.json()["id"], "created": False})
    detail = client.get(f"{API}/visits/{first.json()['id']}").json()
    assert detail["note"] == NOTE and detail["answers"] == {"gas": "ok", "mind": "problem"}
    assert len(detail["cases"]) == 1 and detail["feedback_expires_at"]
    listed = client.get(f"{API}/visits").json()
    assert listed["count"] == 1 and "note" not in listed["items"][0]


def test_bad_input_is_a_422_naming_the_field_and_nothing_is_written(tasks, login):
    client = login(tasks.red_worker)
    check_in = _check_in(client, issue_code(tasks.red)).json()["check_in"]
    empty = client.post(f"{API}/visits", {"check_in": check_in, "client_id": str(uuid.uuid4()), "note": ""},
                        content_type="application/json")
    assert empty.status_code == 422
    assert empty.json()["errors"][0] == {"field": "note",
                                         "message": "请填写走访记录：见到了谁、看到了什么、有什么困难或需要"}
    photo = client.post(f"{API}/visits", {"check_in": check_in, "client_id": str(uuid.uuid4()), "note": NOTE,
                                          "photos": ["not base64!"]}, content_type="application/json")
    assert photo.status_code == 422 and photo.json()["errors"][0]["field"] == "photos"
    assert not Visit.objects.exists()


def test_out_of_scope_revoked_and_forged_codes(tasks, login):
    client = login(tasks.social_worker)
    outside = _check_in(client, issue_code(tasks.c1_home))
    assert outside.status_code == 403
    assert AuditLog.objects.filter(action=AuditAction.DENIED, object_id=str(tasks.c1_home.pk)).exists()
    token = issue_code(tasks.red)
    tasks.red.codes.update(revoked_at=dt.datetime(2026, 3, 1, tzinfo=dt.UTC))
    assert _check_in(client, token).status_code == 410
    assert _check_in(client, "forged:abc").status_code == 404


def test_the_head_postpones_over_the_api_and_a_worker_is_refused(tasks, login):
    task = VisitTask.objects.get(household=tasks.red)
    refused = login(tasks.red_worker).post(f"{API}/tasks/{task.pk}/cancel", {"reason": "不去了"},
                                           content_type="application/json")
    assert refused.status_code == 403
    head = login(tasks.head)
    no_reason = head.post(f"{API}/tasks/{task.pk}/postpone", {"due_on": "2026-04-20", "reason": ""},
                          content_type="application/json")
    assert no_reason.status_code == 422
    done = head.post(f"{API}/tasks/{task.pk}/postpone", {"due_on": "2026-04-20", "reason": "住户住院"},
                     content_type="application/json")
    assert (done.status_code, done.json()["due_on"]) == (200, "2026-04-20")
    other = login(tasks.worker_c1).get(f"{API}/tasks/{task.pk}")
    assert other.status_code == 404


def test_figures_over_the_api(tasks, login):
    answer = login(tasks.leader).get(f"{API}/figures", {"start": "2026-03-01", "end": "2026-03-31",
                                                          "group": "colour"}).json()
    assert answer["total"]["visits_due"] == 2
    assert {r["key"]: r["visits_due"] for r in answer["rows"]} == {"red": 1, "yellow": 1}
    assert answer["definitions"]["coverage"][0] == "走访覆盖率"
    bad = login(tasks.leader).get(f"{API}/figures", {"start": "2026-03-31", "end": "2026-03-01"})
    assert bad.status_code == 422


def test_the_resident_rates_without_an_account(tasks, client):
    check_in = services.check_in_from_file(household=tasks.red, by=tasks.red_worker)
    visit = services.submit_visit(form=services.VisitForm(check_in=check_in.token, client_id=str(uuid.uuid4()),
                                                          note=NOTE), by=tasks.red_worker).visit
    token = services.token_for(FeedbackCode.objects.get(visit=visit))
    shown = client.get(f"{API}/feedback/{token}")
    assert shown.status_code == 200 and shown.json()["about_case"] is False
    assert client.post(f"{API}/feedback/{token}", {"rating": 5}, content_type="application/json").status_code == 422
    assert client.post(f"{API}/feedback/{token}", {"rating": 3}, content_type="application/json").status_code == 200
    used = client.post(f"{API}/feedback/{token}", {"rating": 1}, content_type="application/json")
    assert used.status_code == 410 and "已经评价过" in used.json()["detail"]
    assert client.get(f"{API}/feedback/x{token}").status_code == 404


def test_the_board_is_the_heads(tasks, login):
    board = login(tasks.head).get(f"{API}/board", {"community_id": tasks.c2.pk})
    assert board.status_code == 200
    assert {row["worker_id"] for row in board.json()["loads"]} == {tasks.social_worker.pk, tasks.worker2.pk,
                                                                   tasks.head.pk}
    assert login(tasks.social_worker).get(f"{API}/board", {"community_id": tasks.c2.pk}).status_code == 403
    assert login(tasks.head).get(f"{API}/board", {"community_id": tasks.c1.pk}).status_code == 404
