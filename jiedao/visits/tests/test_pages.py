"""The visits pages: what each persona sees, the form sent from the page (and again, from the offline
queue, as JSON), the refusals (scope, revoked code, a resident's feedback code forged or used), and that
notes stay out of URLs and of pages a reader may not open."""

import datetime as dt
import uuid

import pytest
from django.urls import reverse

from jiedao.core.models import AuditAction, AuditLog
from jiedao.visits import services
from jiedao.visits.models import FeedbackCode, Visit, VisitTask
from jiedao.visits.tests.conftest import issue_code

NOTE = "李阿姨在家，腿脚不便，最近厨房里闻到煤气味，燃气软管发硬开裂。女儿每月来一次。"


@pytest.fixture
def tasks(vw, clock):
    services.generate_routine(subdistrict_id=vw.sub.pk, start=dt.date(2026, 3, 2), end=dt.date(2026, 3, 2))
    return vw


def _worker_of(w, household):
    return VisitTask.objects.get(household=household).assignee


def _form(client, token):
    response = client.get(reverse("visits:checkin", args=[token]))
    assert response.status_code == 200
    return response.context["form"].initial["check_in"], response


def test_the_today_list_shows_the_workers_own_tasks(tasks, login):
    worker = _worker_of(tasks, tasks.red)
    page = login(worker).get(reverse("visits:today"))
    assert page.status_code == 200
    shown = {t.pk for t in page.context["list"].due_soon + page.context["list"].overdue}
    shown |= {t.pk for g in page.context["list"].buildings for t in g.tasks}
    assert shown == set(VisitTask.objects.filter(assignee=worker).values_list("pk", flat=True))


def test_a_leader_is_sent_to_the_figures_and_cannot_open_the_form(tasks, login):
    client = login(tasks.leader)
    assert client.get(reverse("visits:today")).url == reverse("visits:figures")
    assert client.get(reverse("visits:checkin", args=[issue_code(tasks.red)])).status_code == 403


def test_the_form_sent_from_the_page_then_again_from_the_queue_is_stored_once(tasks, login):
    worker = _worker_of(tasks, tasks.red)
    client = login(worker)
    check_in, _page = _form(client, issue_code(tasks.red))
    client_id = str(uuid.uuid4())
    data = {"check_in": check_in, "client_id": client_id, "outcome": "met", "note": NOTE, "item-gas": "problem",
            "item-smoke": "ok", "problem": "厨房燃气软管老化开裂，闻到煤气味", "lat": "31.2325", "lon": "121.4125"}
    first = client.post(reverse("visits:submit"), data)
    visit = Visit.objects.get()
    assert first.status_code == 302 and first.url == reverse("visits:visit", args=[visit.pk])
    again = client.post(reverse("visits:submit"), data, HTTP_ACCEPT="application/json")
    assert (again.status_code, again.json()) == (200, {"id": visit.pk, "url": first.url, "created": False})
    assert Visit.objects.count() == 1 and visit.problems.count() == 1
    assert NOTE not in first.url and all(NOTE not in (a.path + str(a.detail)) for a in AuditLog.objects.all())


def test_an_empty_note_is_refused_on_the_page_and_keeps_what_was_typed(tasks, login):
    client = login(_worker_of(tasks, tasks.red))
    check_in, _page = _form(client, issue_code(tasks.red))
    response = client.post(reverse("visits:submit"), {
        "check_in": check_in, "client_id": str(uuid.uuid4()), "outcome": "met", "note": " ", "item-gas": "ok",
        "problem": "楼道里堆了很多纸板"})
    assert response.status_code == 400
    assert "请填写走访记录" in response.content.decode()
    assert response.context["form"]["problem"].value() == "楼道里堆了很多纸板"
    assert response.context["checklist"][0]["value"] == "ok"
    as_json = client.post(reverse("visits:submit"), {"check_in": check_in, "client_id": str(uuid.uuid4()),
                                                     "outcome": "met", "note": ""}, HTTP_ACCEPT="application/json")
    assert as_json.status_code == 400
    assert as_json.json()["errors"][0]["field"] == "note"
    assert not Visit.objects.exists()


def test_a_household_outside_the_scope_is_refused_with_a_403_and_audited(tasks, login):
    response = login(tasks.social_worker).get(reverse("visits:checkin", args=[issue_code(tasks.c1_home)]))
    assert response.status_code == 403
    assert "不在您负责的居委" in response.content.decode()
    assert AuditLog.objects.filter(action=AuditAction.DENIED, actor=tasks.social_worker,
                                   object_id=str(tasks.c1_home.pk)).exists()


def test_a_revoked_code_shows_its_page(tasks, login):
    token = issue_code(tasks.red)
    tasks.red.codes.update(revoked_at=dt.datetime(2026, 3, 1, tzinfo=dt.UTC))
    response = login(tasks.social_worker).get(reverse("visits:checkin", args=[token]))
    assert response.status_code == 410
    assert "户码已作废" in response.content.decode()


def test_a_visit_page_shows_the_note_with_its_evidence_marked_and_is_scoped(tasks, login):
    worker = _worker_of(tasks, tasks.red)
    check_in = services.check_in_by_code(token=issue_code(tasks.red), by=worker)
    visit = services.submit_visit(form=services.VisitForm(check_in=check_in.token, client_id=str(uuid.uuid4()),
                                                          note=NOTE), by=worker).visit
    Visit.objects.filter(pk=visit.pk).update(assessment='{"evidence": ["闻到煤气味"]}')
    page = login(tasks.head).get(reverse("visits:visit", args=[visit.pk]))
    assert "<mark>闻到煤气味</mark>" in page.content.decode()
    assert AuditLog.objects.filter(action=AuditAction.VIEW, object_type="visits.visit", actor=tasks.head).exists()
    assert login(tasks.worker_c1).get(reverse("visits:visit", args=[visit.pk])).status_code == 404
    assert login(tasks.grid_worker).get(reverse("visits:visit", args=[visit.pk])).status_code == 403


def test_the_suggested_follow_up_reads_in_the_readers_language(tasks, login):
    worker = _worker_of(tasks, tasks.red)
    check_in = services.check_in_by_code(token=issue_code(tasks.red), by=worker)
    note = "楼道里有人用飞线给电瓶车充电，电线从三楼窗户吊下来，插头就放在纸板箱上。老人独居，腿脚不便。"
    visit = services.submit_visit(form=services.VisitForm(check_in=check_in.token, client_id=str(uuid.uuid4()),
                                                          note=note), by=worker).visit
    assert services.assess_visit(visit=visit)
    visit.refresh_from_db()
    assert visit.risk == "high" and "安全" in visit.risk_types and visit.follow_up["case_draft"]
    client = login(tasks.head)
    chinese = client.get(reverse("visits:visit", args=[visit.pk])).content.decode()
    types = "、".join(visit.risk_types)
    assert f"高风险（{types}）：建议 3 天内再次走访，并转为案件处置。" in chinese and "转为案件（飞线充电）" in chinese
    english = client.get(reverse("visits:visit", args=[visit.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    names = {"健康": "Health", "安全": "Safety", "心理": "Mental", "环境": "Environment", "生活困难": "Hardship"}
    english_types = ", ".join(names[t] for t in visit.risk_types)
    assert f"<p>High risk ({english_types}): visit again within 3 days, and file a case.</p>" in english
    assert "File as a case (Charging from a trailing cable)" in english
    assert "高风险" not in english and "Red households monthly (due " in english and "（" not in english


def test_the_resident_rates_without_an_account_once(tasks, client):
    worker = _worker_of(tasks, tasks.red)
    check_in = services.check_in_from_file(household=tasks.red, by=worker)
    visit = services.submit_visit(form=services.VisitForm(check_in=check_in.token, client_id=str(uuid.uuid4()),
                                                          note=NOTE), by=worker).visit
    url = reverse("visits:feedback", args=[services.token_for(FeedbackCode.objects.get(visit=visit))])
    assert client.get(url).status_code == 200
    assert client.post(url, {"rating": ""}).status_code == 400
    done = client.post(url, {"rating": "3", "comment": "很好"})
    assert done.status_code == 200 and "感谢您的评价" in done.content.decode()
    used = client.get(url)
    assert used.status_code == 410 and "已经评价过" in used.content.decode()
    forged = client.get(url[:-3] + "xyz")
    assert forged.status_code == 404 and "评价码无效" in forged.content.decode()


def test_the_head_postpones_from_the_task_page_with_a_reason(tasks, login):
    task = VisitTask.objects.get(household=tasks.red)
    client = login(tasks.head)
    url = reverse("visits:task-action", args=[task.pk, "postpone"])
    refused = client.post(url, {"postpone-due_on": "2026-04-20", "postpone-reason": ""})
    assert refused.status_code == 400
    assert client.post(url, {"postpone-due_on": "2026-04-20", "postpone-reason": "住院"}).status_code == 302
    task.refresh_from_db()
    assert task.due_on == dt.date(2026, 4, 20)
    worker_try = login(task.assignee).post(reverse("visits:task-action", args=[task.pk, "cancel"]),
                                           {"cancel-reason": "不去"})
    assert worker_try.status_code == 403


def test_the_board_plan_and_figures_render_for_the_head_and_the_leader(tasks, login):
    head = login(tasks.head)
    board = head.get(reverse("visits:board"))
    assert board.status_code == 200 and board.context["community"] == tasks.c2
    plan = head.get(reverse("visits:plan"))
    assert [row["default"].code for row in plan.context["rows"]][:3] == ["baseline", "red", "yellow"]
    assert head.post(reverse("visits:plan"), {"action": "rule", "code": "red", "every_months": "2",
                                              "active": "on"}).status_code == 302
    leader = login(tasks.leader)
    assert leader.get(reverse("visits:board")).status_code == 403
    figures = leader.get(reverse("visits:figures"), {"period": "custom", "start": "2026-03-01",
                                                     "end": "2026-03-31", "group": "worker"})
    assert figures.status_code == 200 and figures.context["total"].visits_due == 2  # red, yellow
    bad = leader.get(reverse("visits:figures"), {"period": "custom", "start": "2026-03-31", "end": "2026-03-01"})
    assert bad.status_code == 200 and "截止日期不能早于起始日期" in bad.content.decode()


def test_the_household_file_shows_the_visits_section_with_start_visit(tasks, login):
    page = login(tasks.social_worker).get(reverse("registry:household", args=[tasks.red.pk]))
    body = page.content.decode()
    assert 'data-section="visits.visits"' in body
    assert reverse("visits:start", args=[tasks.red.pk]) in body


def test_the_pages_read_in_english(tasks, login):
    worker = _worker_of(tasks, tasks.red)
    client = login(worker)
    today = client.get(reverse("visits:today"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Today's visits" in today and "Scan to visit" in today and "今日走访" not in today
    assert "visits are kept on this phone" in today  # the offline queue's message, for the page's script
    form = client.get(reverse("visits:checkin", args=[issue_code(tasks.red)]), HTTP_ACCEPT_LANGUAGE="en")
    body = form.content.decode()
    assert "Submit the visit" in body and "Gas safety" in body and "Red households monthly" in body
