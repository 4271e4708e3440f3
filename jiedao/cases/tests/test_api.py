"""The cases API: intake, the loop over HTTP with versions, scope, KPIs, errors in the user's language."""

import datetime as dt

from django.core.management import call_command

from jiedao.cases.models import Case, Status

ORDER = {"channel": "hotline", "description": "兰溪路200弄5号楼下饭店油烟很大，熏得窗户都不敢开",
         "address": "兰溪路200弄5号", "external_id": "2611230007", "reporter_name": "李女士",
         "reporter_phone": "13912345678", "category": "餐饮油烟"}


def post(client, url, body, **extra):
    return client.post(url, body, content_type="application/json", **extra)


def test_a_program_with_a_token_files_a_12345_order_once(cases_world, client, capsys):
    call_command("issue_token", "operator")
    token = capsys.readouterr().out.strip().splitlines()[-1]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    first = post(client, "/api/v1/cases/", ORDER, **auth)
    assert first.status_code == 201, first.content
    created = first.json()
    assert created["grid_id"] == cases_world.g11.pk and created["status"] == "new"
    body = client.get(f"/api/v1/cases/{created['number']}", **auth).json()
    assert body["category"] == "餐饮油烟" and body["grid"] == cases_world.g11.code
    assert body["reporter_phone"] == "139****5678" and body["status"] == "new"
    assert body["timeline"][0]["kind"] == "created" and "register" in body["actions"]
    again = post(client, "/api/v1/cases/", {**ORDER, "description": "重复推送"}, **auth)
    assert again.status_code == 409 and again.json()["number"] == body["number"]
    assert Case.objects.count() == 1


def test_the_loop_over_http_with_versions(cases_world, login, client):
    w = cases_world
    op = login(w.operator)
    number = post(op, "/api/v1/cases/", ORDER).json()["number"]
    url = f"/api/v1/cases/{number}/actions"
    detail = post(op, f"{url}/register", {"version": 0}).json()
    assert detail["status"] == "registered" and detail["version"] == 1
    stale = post(op, f"{url}/dispatch", {"version": 0})
    assert stale.status_code == 409 and "已被他人更新" in stale.json()["detail"]
    detail = post(op, f"{url}/dispatch", {"version": 1}).json()
    assert detail["department_code"] == "CGZD" and detail["handle_due"]
    cg = login(w.chengguan)
    for action, body in [("accept", {}), ("contact", {"note": "已联系李女士"}), ("handle", {"note": "已责令整改"})]:
        response = post(cg, f"{url}/{action}", body)
        assert response.status_code == 200, response.content
    op = login(w.operator)
    detail = post(op, f"{url}/close", {}).json()
    assert detail["status"] == "closed" and detail["closed_on_time"] is True
    assert [e["kind"] for e in detail["timeline"]] == ["created", "registered", "dispatched", "accepted",
                                                       "contacted", "handled", "closed"]


def test_wrong_state_role_and_scope_answer_422_403_404(cases_world, login):
    w = cases_world
    op = login(w.operator)
    number = post(op, "/api/v1/cases/", ORDER).json()["number"]
    wrong_state = post(op, f"/api/v1/cases/{number}/actions/close", {})
    assert wrong_state.status_code == 422 and "不能结案" in wrong_state.json()["detail"]
    assert post(op, f"/api/v1/cases/{number}/actions/fly", {}).status_code == 422
    assert post(login(w.chengguan), f"/api/v1/cases/{number}/actions/accept", {}).status_code in (403, 404)
    assert login(w.other_operator).get(f"/api/v1/cases/{number}").status_code == 404  # as if missing; audited
    assert login(w.operator).get("/api/v1/cases/209901010000001").status_code == 404


def test_errors_come_in_the_requests_language(cases_world, login):
    op = login(cases_world.operator)
    bad = {**ORDER, "category": "飞碟降落", "external_id": ""}
    zh = post(op, "/api/v1/cases/", bad)
    en = post(op, "/api/v1/cases/", bad, HTTP_ACCEPT_LANGUAGE="en")
    assert zh.status_code == en.status_code == 422
    assert "未知的案件分类" in zh.json()["detail"]
    assert "Unknown case category" in en.json()["detail"]


def test_queue_is_scoped_and_overdue_first(cases_world, login, clock):
    w = cases_world
    op = login(w.operator)
    numbers = []
    for i, (text, address) in enumerate([("饭店油烟扰民", "兰溪路200弄5号"), ("邻居家狗叫扰民", "梅岭北路41号")]):
        n = post(op, "/api/v1/cases/", {"description": text, "address": address, "external_id": f"X{i}",
                                        "category": "噪音扰民"}).json()["number"]
        post(op, f"/api/v1/cases/{n}/actions/register", {})
        post(op, f"/api/v1/cases/{n}/actions/dispatch", {})
        numbers.append(n)
        if i == 0:
            clock.advance(days=2)
            op = login(w.operator)  # two days idle: the session has ended (8 hours without a request)
    # The first (城管, 武宁片区) is now overdue; the second (派出所) is not yet.
    items = op.get("/api/v1/cases/").json()["items"]
    assert [i["number"] for i in items] == numbers and items[0]["overdue"] and not items[1]["overdue"]
    mine = login(w.police).get("/api/v1/cases/").json()["items"]
    assert [i["number"] for i in mine] == [numbers[1]]
    assert login(w.chengguan).get("/api/v1/cases/?status=overdue").json()["count"] == 1
    assert login(w.grid_worker).get("/api/v1/cases/").json()["count"] == 1  # the case in grid g11


def test_bulk_dispatch_reports_each_case(cases_world, login):
    w = cases_world
    op = login(w.operator)
    ok = post(op, "/api/v1/cases/", {**ORDER, "external_id": "B1"}).json()["number"]
    post(op, f"/api/v1/cases/{ok}/actions/register", {})
    new = post(op, "/api/v1/cases/", {**ORDER, "external_id": "B2"}).json()["number"]
    ids = list(Case.objects.filter(number__in=[ok, new]).order_by("number").values_list("pk", flat=True))
    result = post(op, "/api/v1/cases/bulk-dispatch", {"ids": ids}).json()
    assert result["dispatched"] == [ok] and list(result["failed"]) == [str(ids[1])]
    assert Case.objects.get(number=ok).status == Status.DISPATCHED


def test_kpis_endpoint_counts_and_drills_down(cases_world, login, clock):
    w = cases_world
    op = login(w.operator)
    n = post(op, "/api/v1/cases/", ORDER).json()["number"]
    post(op, f"/api/v1/cases/{n}/actions/register", {})
    today = clock.now.date()
    body = op.get(f"/api/v1/cases/kpis?start={today}&end={today + dt.timedelta(days=1)}&by=department").json()
    assert body["total"]["registered"] == 1
    drill = op.get(f"/api/v1/cases/kpis/cases?metric=registered&start={today}&end={today + dt.timedelta(days=1)}")
    assert [c["number"] for c in drill.json()["items"]] == [n]
    assert login(w.grid_worker).get(f"/api/v1/cases/kpis?start={today}&end={today}").status_code == 403
