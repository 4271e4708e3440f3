"""疑似重复 over the API (issue 20): the intake answer and a case's detail carry, beside possible_duplicate_of,
the likely duplicates with how likely and why; POST /api/v1/cases/{number}/duplicate records the operator's
合并 or 不是重复 (409 for a stale version, 422 in the API's error format for a case with no open flag or a
bad target); a case outside the requester's scope is never named."""

from jiedao.cases import services
from jiedao.cases.models import Case, EventKind, Status

GATE = "兰溪路200弄5号"  # building b11 of the test world, grid g11
# Two points 20 m apart on either side of the border between grids g11 and g12 (same 居委).
WEST, EAST = (31.2325, 121.40490), (31.2325, 121.40510)
LAMP = ("小区门口的路灯坏了好几天，晚上很黑", "大门口那盏灯不亮了，晚上出门看不清路", "门口路灯不亮，黑灯瞎火的")


def post(client, url, body, **extra):
    return client.post(url, body, content_type="application/json", **extra)


def order(text, **kw):
    return {"channel": "hotline", "description": text, "address": GATE, **kw}


def flagged(client, clock, texts=LAMP[:2]) -> list[dict]:
    answers = []
    for text in texts:
        response = post(client, "/api/v1/cases/", order(text))
        assert response.status_code == 201, response.content
        answers.append(response.json())
        clock.advance(minutes=40)
    return answers


def test_the_intake_answer_carries_the_likely_duplicates_with_probability_and_reasons(cases_world, clock, login):
    op = login(cases_world.operator)
    first, second = flagged(op, clock)
    assert first["possible_duplicate_of"] is None and first["duplicates"] == []  # nothing to explain
    assert second["possible_duplicate_of"] == first["number"]
    [match] = second["duplicates"]
    case = Case.objects.get(number=second["number"])
    [expected] = [m.as_dict() for m in services.duplicate_matches(case=case)]
    assert match["number"] == first["number"] and match["status"] == "new"
    assert match["probability"] == expected["probability"] >= 0.5
    assert match["reasons"] == expected["reasons"] and match["reasons"][0] == "同一楼栋"
    assert match["reported_at"].startswith(Case.objects.get(number=first["number"]).reported_at.date().isoformat())


def test_a_cases_detail_carries_them_in_the_requests_language(cases_world, clock, login):
    op = login(cases_world.operator)
    first, _second, third = flagged(op, clock, LAMP)
    body = op.get(f"/api/v1/cases/{third['number']}").json()
    assert body["possible_duplicate_of"] == third["possible_duplicate_of"]
    numbers = [d["number"] for d in body["duplicates"]]
    assert len(numbers) == 2 and first["number"] in numbers
    assert [d["probability"] for d in body["duplicates"]] == sorted((d["probability"] for d in body["duplicates"]),
                                                                    reverse=True)
    english = op.get(f"/api/v1/cases/{third['number']}", HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["duplicates"][0]["reasons"][0] == "same building"
    assert op.get(f"/api/v1/cases/{first['number']}").json()["duplicates"] == []


def test_a_case_outside_the_requesters_scope_is_never_named(cases_world, clock, login):
    w = cases_world
    op = login(w.operator)
    east = post(op, "/api/v1/cases/", {"channel": "hotline", "description": "路边那盏路灯一直不亮，晚上走路害怕",
                                       "lat": EAST[0], "lon": EAST[1]}).json()
    clock.advance(minutes=30)
    gw = login(w.grid_worker)  # grid g11's: east lies in g12
    answer = post(gw, "/api/v1/cases/", {"channel": "patrol", "description": "这边路灯坏了，天黑以后一片漆黑",
                                         "lat": WEST[0], "lon": WEST[1]})
    assert answer.status_code == 201, answer.content
    west = answer.json()
    assert Case.objects.get(number=west["number"]).possible_duplicate_of.number == east["number"]  # intake sees all
    assert west["possible_duplicate_of"] is None and west["duplicates"] == []
    detail = gw.get(f"/api/v1/cases/{west['number']}")
    assert detail.status_code == 200 and east["number"] not in detail.content.decode()
    assert detail.json()["possible_duplicate_of"] is None and detail.json()["duplicates"] == []
    seen = login(w.operator).get(f"/api/v1/cases/{west['number']}").json()
    assert seen["possible_duplicate_of"] == east["number"] and seen["duplicates"][0]["number"] == east["number"]
    assert seen["timeline"][0]["data"]["possible_duplicate_of"] == east["number"]


def test_not_a_duplicate_is_recorded_and_the_flag_cleared(cases_world, clock, login):
    op = login(cases_world.operator)
    first, second = flagged(op, clock)
    response = post(op, f"/api/v1/cases/{second['number']}/duplicate",
                    {"accepted": False, "note": "是另一盏灯", "version": 0})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["possible_duplicate_of"] is None and body["status"] == "new" and body["version"] == 1
    event = body["timeline"][-1]
    assert (event["kind"], event["note"]) == ("not_duplicate", "是另一盏灯")
    assert event["data"] == {"candidate": first["number"]}
    case = Case.objects.get(number=second["number"])
    assert case.duplicate_accepted is False and case.duplicate_decided_at == clock.now
    again = post(op, f"/api/v1/cases/{second['number']}/duplicate", {"accepted": False})
    assert again.status_code == 422
    assert again.json()["errors"][0]["field"] == "possible_duplicate_of" and again.json()["detail"]


def test_merging_into_another_candidate(cases_world, clock, login):
    op = login(cases_world.operator)
    first, _second, third = flagged(op, clock, LAMP)
    response = post(op, f"/api/v1/cases/{third['number']}/duplicate", {"accepted": True, "into": first["number"]})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["duplicate_of"], body["duplicates"]) == ("cancelled", first["number"], [])
    case = Case.objects.get(number=third["number"])
    assert case.status == Status.CANCELLED and case.duplicate_accepted is True
    assert case.events.get(kind=EventKind.MERGED).data == {"into": first["number"]}


def test_a_stale_version_is_409_and_a_bad_target_422(cases_world, clock, login):
    op = login(cases_world.operator)
    _first, second = flagged(op, clock)
    post(op, f"/api/v1/cases/{second['number']}/actions/note", {"note": "已电话核实"})
    stale = post(op, f"/api/v1/cases/{second['number']}/duplicate", {"accepted": False, "version": 0})
    assert stale.status_code == 409
    assert "已被他人更新" in stale.json()["detail"] and stale.json()["number"] == second["number"]
    bad = post(op, f"/api/v1/cases/{second['number']}/duplicate", {"accepted": True, "into": "NOPE-1"})
    assert bad.status_code == 422
    assert bad.json()["errors"] == [{"field": "into", "message": "请填写要合并到的有效案件编号"}]
    assert post(op, f"/api/v1/cases/{second['number']}/duplicate", {"into": "x"}).status_code == 422  # no accepted
    case = Case.objects.get(number=second["number"])
    assert case.duplicate_accepted is None and case.status == Status.NEW


def test_only_an_operator_in_scope_decides(cases_world, clock, login):
    w = cases_world
    _first, second = flagged(login(w.operator), clock)
    url = f"/api/v1/cases/{second['number']}/duplicate"
    assert post(login(w.grid_worker), url, {"accepted": False}).status_code == 403
    assert post(login(w.other_operator), url, {"accepted": False}).status_code == 404
    assert Case.objects.get(number=second["number"]).duplicate_accepted is None


def test_the_merge_action_on_a_flagged_case_answers_the_flag(cases_world, clock, login):
    op = login(cases_world.operator)
    first, second = flagged(op, clock)
    response = post(op, f"/api/v1/cases/{second['number']}/actions/merge", {"version": 0})
    assert response.status_code == 200, response.content
    case = Case.objects.get(number=second["number"])
    assert case.duplicate_of.number == first["number"] and case.duplicate_accepted is True


def test_the_openapi_describes_the_decision_and_the_duplicates(cases_world, login):
    schema = login(cases_world.operator).get("/api/openapi.json").json()
    operation = schema["paths"]["/api/v1/cases/{number}/duplicate"]["post"]
    assert set(operation["responses"]) >= {"200", "409"}
    body = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    decision = schema["components"]["schemas"][body]
    assert decision["required"] == ["accepted"] and set(decision["properties"]) == {"accepted", "into", "note",
                                                                                   "version"}
    for name in ("CaseDetailOut", "CaseCreatedOut"):
        duplicates = schema["components"]["schemas"][name]["properties"]["duplicates"]
        assert duplicates["items"]["$ref"].endswith("/DuplicateOut")
    match = schema["components"]["schemas"]["DuplicateOut"]
    assert set(match["required"]) == {"number", "status", "reported_at", "probability", "reasons"}


def test_a_report_beyond_the_reporters_own_scope_is_answered_without_naming_anything(cases_world, clock, login):
    gw = login(cases_world.grid_worker)  # grid g11's, reporting twice at a point of g12
    for text in ("路边那盏路灯一直不亮，晚上走路害怕", "这边路灯坏了，天黑以后一片漆黑"):
        answer = post(gw, "/api/v1/cases/", {"channel": "patrol", "description": text, "lat": EAST[0], "lon": EAST[1]})
        assert answer.status_code == 201, answer.content
        clock.advance(minutes=30)
    case = Case.objects.get(number=answer.json()["number"])
    assert case.grid == cases_world.g12 and case.possible_duplicate_of is not None
    assert answer.json()["possible_duplicate_of"] is None and answer.json()["duplicates"] == []
