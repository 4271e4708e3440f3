"""The 一网统管 pages: queue (scope, filters, overdue first, bulk dispatch), the case file (timeline, masked
phone, audited reveal, actions with stale versions and bad photos), phone pages, KPIs with drill-down, and
the residents' pages."""

import datetime as dt
import html
import io
import re

import pytest
from PIL import Image

from jiedao.cases import selectors, services
from jiedao.cases.models import Attachment, Case, CaseEvent, Channel, Status
from jiedao.cases.tests.test_kpis import history  # noqa: F401  (the hand-built KPI history, as a fixture)
from jiedao.core.models import AuditAction, AuditLog

from .conftest import TZ

PHONE = "13812345678"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def png(width=8, height=6) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 40, 40)).save(out, format="PNG")
    return out.getvalue()


def upload(name: str, content: bytes, content_type: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type=content_type)


def hotline(w, text="兰溪路200弄5号楼下饭店半夜搬东西很吵", address="兰溪路200弄5号", category="噪音扰民",
            **kw) -> Case:
    return services.intake(subdistrict=w.sub, channel=Channel.HOTLINE, description=text, address=address,
                           category=category, by=w.operator, reporter_name="王先生", reporter_phone=PHONE,
                           **kw).case


def dispatched(w, department: str, process: str = "", **kw) -> Case:
    case = hotline(w, **kw)
    case = services.perform(case=case, action="register", by=w.operator)
    return services.perform(case=case, action="dispatch", by=w.operator, department=department, process=process)


def numbers_on(response) -> list[str]:
    """The case numbers of the listed rows, in page order."""
    return re.findall(r'<tr class="case-row[^"]*" data-number="([^"]+)"', response.content.decode())


def text_of(response) -> str:
    return html.unescape(response.content.decode())


# ------------------------------------------------------------------------------------------------ queue


def test_a_handler_sees_only_their_departments_cases(cases_world, clock, login):
    w = cases_world
    ours = dispatched(w, "CGZD")
    theirs = dispatched(w, "PCS", text="梅岭北路41号门口机动车乱停", address="梅岭北路41号")
    response = login(w.chengguan).get("/cases/")
    assert numbers_on(response) == [ours.number]
    assert theirs.number not in response.content.decode()
    assert 'name="ids"' not in response.content.decode()  # bulk dispatch is for operators only


def test_a_grid_worker_sees_only_their_grid_and_another_subdistrict_nothing(cases_world, clock, login, client):
    w = cases_world
    mine = hotline(w)                                                # 兰溪路200弄5号: grid g11
    other = hotline(w, text="兰溪路200弄6号门口垃圾没人清运", address="兰溪路200弄6号")  # grid g12
    assert (mine.grid_id, other.grid_id) == (w.g11.pk, w.g12.pk)
    assert numbers_on(login(w.grid_worker).get("/cases/")) == [mine.number]
    phone_page = client.get("/m/cases/").content.decode()
    assert mine.number in phone_page and other.number not in phone_page
    client.force_login(w.other_operator)
    assert numbers_on(client.get("/cases/")) == []
    assert client.get(f"/cases/{mine.number}/").status_code == 404  # as everywhere: outside scope = missing, audited
    assert AuditLog.objects.filter(action="denied", actor=w.other_operator, object_id=str(mine.pk)).exists()


def test_the_queue_puts_overdue_cases_first_and_says_by_how_much(cases_world, clock, login):
    w = cases_world
    late = dispatched(w, "CGZD", process="QUICK1")                  # due the next working day
    clock.advance(minutes=5)
    later = dispatched(w, "CGZD", text="兰溪路200弄5号门口占道经营", process="HOTLINE5")
    clock.advance(minutes=5)
    newest = hotline(w, text="兰溪路200弄5号楼道灯坏了")
    clock.advance(days=3)
    client = login(w.operator)
    page = client.get("/cases/")
    assert numbers_on(page) == [late.number, later.number, newest.number]
    row = re.search(rf'<tr class="case-row([^"]*)" data-number="{late.number}">(.*?)</tr>', text_of(page), re.S)
    assert "overdue" in row.group(1) and "超期 " in row.group(2)
    assert "剩余 " in re.search(rf'data-number="{later.number}">(.*?)</tr>', text_of(page), re.S).group(1)
    assert numbers_on(client.get("/cases/?sort=-reported_at")) == [newest.number, later.number, late.number]
    overdue_tab = client.get("/cases/?status=overdue")
    assert numbers_on(overdue_tab) == [late.number]
    assert re.search(r'data-status="overdue"[^>]*>[^<]*<span class="count">1</span>', overdue_tab.content.decode())


def test_queue_filters_by_category_search_place_and_flags(cases_world, clock, login):
    w = cases_world
    noise = hotline(w, category="噪音扰民")
    rubbish = hotline(w, text="梅岭北路41号垃圾堆放没人清运", address="梅岭北路41号", category="垃圾堆放")
    lost = hotline(w, text="不知道哪里有个井盖松了", address="火星路1号", category="井盖问题")
    assert lost.needs_placement
    client = login(w.operator)
    code = rubbish.category.code
    assert numbers_on(client.get(f"/cases/?category={code}")) == [rubbish.number]
    assert numbers_on(client.get(f"/cases/?q={noise.number}")) == [noise.number]
    assert numbers_on(client.get("/cases/?q=垃圾堆放")) == [rubbish.number]
    assert numbers_on(client.get(f"/cases/?area={w.area2.pk}")) == [rubbish.number]
    assert numbers_on(client.get(f"/cases/?grid={w.g11.pk}")) == [noise.number]
    assert numbers_on(client.get("/cases/?needs_placement=on")) == [lost.number]
    assert set(numbers_on(client.get("/cases/?channel=patrol"))) == set()
    bad = client.get("/cases/?category=NOPE")
    assert bad.status_code == 400 and "NOPE" in text_of(bad) and 'class="errorlist"' in bad.content.decode()


def test_a_text_search_counts_up_to_a_cap_and_says_so(cases_world, clock, login, monkeypatch):
    import importlib

    queue_view = importlib.import_module("jiedao.cases.views.queue")  # the package exports its view by that name
    monkeypatch.setattr(queue_view, "SEARCH_COUNT_CAP", 3)
    w = cases_world
    made = [hotline(w, text=f"兰溪路200弄5号楼下饭店油烟很大，第{i}次反映") for i in range(5)]
    other = hotline(w, text="梅岭北路41号垃圾堆放没人清运", address="梅岭北路41号", category="垃圾堆放")
    client = login(w.operator)
    many = client.get("/cases/?status=all&q=油烟")
    # The first pages list the newest matches (with the real cap of 1,000, twenty full pages).
    assert numbers_on(many) == [c.number for c in reversed(made)][:3]
    assert "超过 3 件，请缩小搜索范围" in text_of(many)
    few = client.get("/cases/?status=all&q=垃圾堆放")
    assert numbers_on(few) == [other.number] and "共 1 件" in text_of(few)
    unfiltered = client.get("/cases/?status=all")
    assert "共 6 件" in text_of(unfiltered)  # no search: the exact count up to the history cap (10,000)


def test_a_history_tab_counts_up_to_its_cap_and_the_open_queue_exactly(cases_world, clock, login, monkeypatch):
    import importlib

    queue_view = importlib.import_module("jiedao.cases.views.queue")
    monkeypatch.setattr(queue_view, "HISTORY_COUNT_CAP", 4)
    w = cases_world
    made = [hotline(w, text=f"楼道堆物第{i}次反映") for i in range(6)]
    client = login(w.operator)
    all_tab = client.get("/cases/?status=all")
    assert numbers_on(all_tab) == [c.number for c in reversed(made)][:4]  # newest first
    assert "超过 4 件，可按条件筛选" in text_of(all_tab)
    open_tab = client.get("/cases/")
    assert "共 6 件" in text_of(open_tab) and len(numbers_on(open_tab)) == 6
    english = client.get("/cases/?status=all", HTTP_ACCEPT_LANGUAGE="en")
    assert "More than 4 cases: filter to narrow them down" in text_of(english)


def test_the_queue_runs_the_same_queries_for_3_cases_or_30(cases_world, clock, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    w = cases_world
    client = login(w.operator)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/cases/").status_code == 200
        return len(ctx.captured_queries)

    for _ in range(3):
        dispatched(w, "CGZD")
    few = queries()
    for i in range(27):
        case = hotline(w, text=f"兰溪路200弄5号第{i}次反映噪音", category="" if i % 2 else "噪音扰民")
        if i % 3 == 0:
            services.perform(case=case, action="register", by=w.operator, category="噪音扰民")
    assert queries() == few


def test_a_history_search_looks_up_case_and_order_numbers_once(cases_world, clock, login):
    """The page counts a search before listing it (selectors.history_search): the exact lookups are shared."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    w = cases_world
    made = hotline(w, text="兰溪路200弄5号楼下饭店油烟很大")
    client = login(w.operator)
    for q in ("兰溪路200弄", made.number):
        with CaptureQueriesContext(connection) as ctx:
            page = client.get(f"/cases/?status=all&q={q}")
        assert numbers_on(page) == [made.number], q
        by_number = [x["sql"] for x in ctx.captured_queries if '"cases_case"."number" =' in x["sql"]]
        assert len(by_number) == 1, by_number


def test_bulk_dispatch_sends_what_it_can_and_names_the_rest(cases_world, clock, login):
    w = cases_world
    one = services.perform(case=hotline(w), action="register", by=w.operator)
    two = hotline(w, text="梅岭北路41号门口机动车违停", address="梅岭北路41号", category="机动车违停")
    two = services.perform(case=two, action="register", by=w.operator)
    fresh = hotline(w, text="兰溪路200弄6号大件垃圾", address="兰溪路200弄6号")  # not registered yet
    client = login(w.operator)
    response = client.post("/cases/bulk-dispatch/", {"ids": [one.pk, two.pk, fresh.pk], "department": "",
                                                     "next": "/cases/?status=open"}, follow=True)
    page = text_of(response)
    assert response.redirect_chain[-1][0] == "/cases/?status=open"
    assert f"已派遣 2 件：{one.number}、{two.number}" in page
    assert f"{fresh.number}：案件当前状态为“待立案”，不能派遣" in page
    one.refresh_from_db(), two.refresh_from_db(), fresh.refresh_from_db()
    assert (one.status, two.status, fresh.status) == (Status.DISPATCHED, Status.DISPATCHED, Status.NEW)
    assert two.department.code == "PCS"  # routed by its scenario
    assert login(w.chengguan).post("/cases/bulk-dispatch/", {"ids": [fresh.pk]}).status_code == 403


# ------------------------------------------------------------------------------------------------ case file


def test_the_case_page_shows_the_timeline_and_masks_the_phone(cases_world, clock, login):
    w = cases_world
    case = dispatched(w, "CGZD")
    page = text_of(login(w.operator).get(f"/cases/{case.number}/"))
    assert "138****5678" in page and PHONE not in page
    timeline = re.search(r'<ol class="timeline".*?</ol>', page, re.S).group(0)
    assert re.findall(r'data-kind="(\w+)"', timeline) == ["created", "registered", "dispatched"]
    assert "城管执法中队" in timeline and "待派遣 → 待签收" in timeline
    assert "办理时限：" in timeline
    # The routed suggestion and the time limit are in the dispatch dialog only while the case waits for it.
    assert 'id="dialog-dispatch"' not in page


def test_revealing_the_phone_is_audited_and_refused_outside_scope(cases_world, clock, login, client):
    w = cases_world
    case = dispatched(w, "CGZD")
    response = login(w.chengguan).post(f"/cases/{case.number}/reveal-phone/", {"reason": "先行联系王先生"})
    assert response.status_code == 200 and PHONE in text_of(response)
    assert "no-store" in response["Cache-Control"]
    reveals = AuditLog.objects.filter(action=AuditAction.REVEAL, field="reporter_phone", object_id=str(case.pk))
    assert list(reveals.values_list("actor_username", "reason")) == [("chengguan", "先行联系王先生")]
    client.force_login(w.police)  # another department: the case is outside their scope
    assert client.post(f"/cases/{case.number}/reveal-phone/", {"reason": "看看"}).status_code == 404  # as if missing
    client.force_login(w.leader)  # sees the case, but the role may not reveal phone numbers
    page = text_of(client.get(f"/cases/{case.number}/"))
    assert "138****5678" in page and "查看完整号码" not in page
    refused = client.post(f"/cases/{case.number}/reveal-phone/", {"reason": "看看"})
    assert refused.status_code == 403 and PHONE not in text_of(refused)
    assert reveals.count() == 1
    assert AuditLog.objects.filter(action=AuditAction.DENIED, actor_username="leader").exists()


def test_a_stale_form_is_refused_with_the_current_case_and_the_text_kept(cases_world, clock, login):
    w = cases_world
    case = services.perform(case=hotline(w), action="register", by=w.operator)
    seen = case.version
    services.perform(case=case, action="note", by=w.operator, note="另一位操作员刚补充了情况")
    events = CaseEvent.objects.filter(case=case).count()
    response = login(w.operator).post(f"/cases/{case.number}/actions/dispatch/", {
        "dispatch-version": seen, "dispatch-department": str(w.cgzd.pk), "dispatch-process": "QUICK1",
        "dispatch-note": "请尽快处理饭店噪音"})
    page = text_of(response)
    assert response.status_code == 409
    assert f"案件 {case.number} 已被他人更新，请刷新后再操作" in page
    assert "请尽快处理饭店噪音" in page and "另一位操作员刚补充了情况" in page
    assert CaseEvent.objects.filter(case=case).count() == events
    case.refresh_from_db()
    assert case.status == Status.REGISTERED
    assert f'name="dispatch-version" value="{case.version}"' in page  # sending again is a deliberate act


def test_a_step_with_a_missing_note_shows_the_error_and_writes_nothing(cases_world, clock, login):
    w = cases_world
    case = services.perform(case=dispatched(w, "CGZD"), action="accept", by=w.chengguan)
    response = login(w.chengguan).post(f"/cases/{case.number}/actions/contact/", {
        "contact-version": case.version, "contact-note": ""})
    assert response.status_code == 400
    assert re.search(r'data-field="note".*?errorlist', response.content.decode(), re.S)
    assert not CaseEvent.objects.filter(case=case, kind="contacted").exists()


def test_handling_with_a_photo_stores_it_and_a_non_image_is_refused_whole(cases_world, clock, login, client):
    w = cases_world
    case = services.perform(case=dispatched(w, "CGZD"), action="accept", by=w.chengguan)
    case = services.perform(case=case, action="contact", by=w.chengguan, note="已联系")
    client = login(w.chengguan)
    bad = client.post(f"/cases/{case.number}/actions/handle/", {
        "handle-version": case.version, "handle-note": "已责令饭店停止夜间装卸",
        "handle-photos": [upload("after.png", b"not a picture at all", "image/png")]})
    assert bad.status_code == 400
    assert "只能上传 JPEG、PNG 或 WebP 格式的照片" in text_of(bad)
    assert "已责令饭店停止夜间装卸" in text_of(bad)  # the text is kept
    assert not Attachment.objects.exists() and not CaseEvent.objects.filter(case=case, kind="handled").exists()
    good = client.post(f"/cases/{case.number}/actions/handle/", {
        "handle-version": case.version, "handle-note": "已责令饭店停止夜间装卸",
        "handle-photos": [upload("after.png", png(), "image/png")]})
    assert good.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.event.kind == "handled"
    page = text_of(client.get(f"/cases/{case.number}/"))
    assert f"/cases/photos/{attachment.token}" in page
    photo = client.get(f"/cases/photos/{attachment.token}")
    assert photo.status_code == 200 and photo["Content-Type"] == "image/png"
    assert b"".join(photo.streaming_content) == png()
    client.force_login(w.other_operator)
    assert client.get(f"/cases/photos/{attachment.token}").status_code == 404
    client.force_login(w.police)
    assert client.get(f"/cases/photos/{attachment.token}").status_code == 404


def test_every_action_form_carries_the_version_and_only_allowed_steps_show(cases_world, clock, login):
    w = cases_world
    case = hotline(w, category="噪音扰民")
    page = login(w.operator).get(f"/cases/{case.number}/").content.decode()
    actions = re.findall(r'action="/cases/[^/]+/actions/(\w+)/"', page)
    assert actions == [t.kind for t in services.allowed_actions(case=case, user=w.operator)]
    assert "register" in actions and "dispatch" not in actions
    assert page.count(f'-version" value="{case.version}"') == len(actions)
    case = services.perform(case=case, action="register", by=w.operator)
    page = login(w.operator).get(f"/cases/{case.number}/").content.decode()
    dialog = re.search(r'<dialog id="dialog-dispatch".*?</dialog>', page, re.S).group(0)
    # 噪音扰民 in 武宁片区 is routed to the 城管 squad under the 1-working-day process: both preselected.
    assert re.search(rf'<option value="{w.cgzd.pk}" selected>', dialog)
    assert re.search(r'<option value="QUICK1" selected>', dialog)
    assert "按应用场景建议：城管执法中队" in html.unescape(dialog)


# ------------------------------------------------------------------------------------------------ phone pages


def test_a_grid_worker_reports_with_gps_and_a_photo(cases_world, clock, login):
    w = cases_world
    client = login(w.grid_worker)
    form = client.get("/m/cases/report/").content.decode()
    assert 'accept="image/*"' in form and 'capture="environment"' in form and "navigator" not in form
    response = client.post("/m/cases/report/", {
        "description": "小区门口井盖松动，有人差点绊倒", "lat": "31.2325", "lon": "121.4025", "address": "",
        "photos": [upload("photo.png", png(), "image/png")]}, follow=True)
    case = Case.objects.get()
    assert (case.channel, case.grid_id, case.reporter_id) == (Channel.PATROL, w.g11.pk, None)
    assert case.attachments.count() == 1
    assert f"上报成功，案件编号 {case.number}" in text_of(response)
    assert case.number in text_of(response)  # and it is on my grid's list


def test_a_bad_photo_or_no_place_is_refused_and_the_text_kept(cases_world, clock, login, settings):
    w = cases_world
    client = login(w.grid_worker)
    text = "花坛边上有一堆建筑垃圾"
    bad = client.post("/m/cases/report/", {"description": text, "address": "兰溪路200弄5号",
                                           "photos": [upload("x.png", b"%PDF-1.4 not an image", "image/png")]})
    assert bad.status_code == 400 and "只能上传 JPEG、PNG 或 WebP 格式的照片" in text_of(bad) and text in text_of(bad)
    settings.CASES_MAX_PHOTO_BYTES = 100
    big = client.post("/m/cases/report/", {"description": text, "address": "兰溪路200弄5号",
                                           "photos": [upload("big.png", png(200, 200), "image/png")]})
    assert big.status_code == 400 and "照片太大" in text_of(big) and text in text_of(big)
    nowhere = client.post("/m/cases/report/", {"description": text, "address": ""})
    assert nowhere.status_code == 400 and "没有定位时请填写地址" in text_of(nowhere)
    assert not Case.objects.exists() and not Attachment.objects.exists()
    assert login(w.leader).get("/m/cases/report/").status_code == 403  # leaders do not report


# ------------------------------------------------------------------------------------------------ KPIs


def _kpi_row(page: str, key) -> dict:
    row = re.search(rf'<tr data-key="{key}">(.*?)</tr>', page, re.S).group(1)
    cells = re.findall(r'<td class="num">(.*?)</td>', row, re.S)
    columns = [*selectors.METRICS, selectors.AVG_HOURS, selectors.OVERDUE]
    out = {}
    for name, cell in zip(columns, cells, strict=True):
        metric = selectors.METRICS.get(name)
        if metric is not None and metric.numerator is not None:
            rate = re.search(r"<strong>([\d.]+)%</strong>", cell)
            out[name] = {"numerator": int(re.search(r'class="numerator">(\d+)<', cell).group(1)),
                         "denominator": int(re.search(r'class="denominator">(\d+)<', cell).group(1)),
                         "rate": float(rate.group(1)) if rate else None}
        else:
            value = re.search(r'class="count">([\d.]+)<', cell)
            out[name] = (float(value.group(1)) if "." in value.group(1) else int(value.group(1))) if value else None
    out["_links"] = {m: html.unescape(u) for m, u in re.findall(r'href="(cases/\?[^"]*metric=(\w+)[^"]*)"', row)}
    out["_hrefs"] = [html.unescape(u) for u in re.findall(r'href="(cases/\?[^"]*)"', row)]
    return out


def test_the_kpi_page_shows_the_selectors_numbers_and_drills_down(cases_world, history, login):  # noqa: F811
    w, h = cases_world, history
    client = login(w.operator)
    response = client.get("/cases/kpis/?period=month&date=2026-11-15&by=department")
    page = response.content.decode()
    start, end = dt.datetime(2026, 11, 1, tzinfo=TZ), dt.datetime(2026, 12, 1, tzinfo=TZ)
    expected = selectors.kpis(user=w.operator, start=start, end=end, by="department")
    for row in expected["rows"]:
        shown = _kpi_row(page, row["key"] if row["key"] is not None else "none")
        assert {k: v for k, v in shown.items() if not k.startswith("_")} == row["metrics"]
    total = _kpi_row(page, "total")
    assert {k: v for k, v in total.items() if not k.startswith("_")} == expected["total"]
    assert page.count("<svg") >= 2 and "按时办结率" in page and "近 12 个月立案数与结案数" in page

    cgzd = _kpi_row(page, w.cgzd.pk)
    on_time = next(u for u in cgzd["_hrefs"] if "metric=on_time_rate" in u and "part=numerator" in u)
    listed = client.get(f"/cases/kpis/{on_time}")
    assert set(numbers_on(listed)) == {h["a"].number, h["c"].number, h["f"].number}
    assert set(numbers_on(listed)) == {c.number for c in selectors.kpi_cases(
        user=w.operator, metric="on_time_rate", part="numerator", start=start, end=end, by="department", key=w.cgzd.pk)}
    overdue = next(u for u in total["_hrefs"] if "metric=overdue_open" in u)
    assert numbers_on(client.get(f"/cases/kpis/{overdue}")) == [h["d"].number]


def test_the_kpi_pages_are_refused_without_the_kpi_permission(cases_world, clock, login):
    w = cases_world
    client = login(w.grid_worker)
    assert client.get("/cases/kpis/").status_code == 403
    assert client.get("/cases/kpis/cases/?metric=closed").status_code == 403


# ------------------------------------------------------------------------------------------------ residents


def test_a_resident_reports_follows_without_internal_notes_and_rates(cases_world, clock, login, client):
    w = cases_world
    client = login(w.resident)
    response = client.post("/portal/report/", {"description": "兰溪路200弄5号楼下饭店半夜搬东西很吵",
                                               "address": "兰溪路200弄5号", "phone": "13900001111"}, follow=True)
    case = Case.objects.get(reporter=w.resident)
    assert case.channel == Channel.RESIDENT and case.subdistrict == w.sub
    assert f"编号 {case.number}" in text_of(response) and "已收到，等待受理" in text_of(response)
    case = services.perform(case=case, action="register", by=w.operator, category="噪音扰民")
    case = services.perform(case=case, action="note", by=w.operator, note="内部：该饭店老板是区人大代表亲戚")
    case = services.perform(case=case, action="dispatch", by=w.operator, department="CGZD")
    for action, who, note in [("accept", w.chengguan, ""), ("contact", w.chengguan, "已联系"),
                              ("handle", w.chengguan, "已责令饭店整改"), ("close", w.operator, "")]:
        case = services.perform(case=case, action=action, by=who, note=note)
    page = text_of(client.get("/portal/cases/"))
    assert "已办结" in page and "签收" in page and "处置反馈" in page
    # The department and its reply (the 处置反馈 note) are the resident's answer; other notes stay internal.
    assert "已责令饭店整改" in page and "城管执法中队" in page
    assert "内部" not in page and "已联系" not in page
    assert "chengguan" not in page and "operator" not in page
    rated = client.post(f"/portal/cases/{case.number}/rate/", {f"c{case.pk}-rating": "2",
                                                               f"c{case.pk}-note": "处理还算及时"}, follow=True)
    case.refresh_from_db()
    assert case.rating == 2 and "感谢您的评价" in text_of(rated)
    assert 'class="stacked rate-form"' not in rated.content.decode()  # rated once only
    assert client.post(f"/portal/cases/{case.number}/rate/", {f"c{case.pk}-rating": "3"}).status_code == 400


def test_resident_pages_are_for_residents_and_their_own_cases(cases_world, clock, login, client):
    w = cases_world
    someone_elses = hotline(w)
    client = login(w.resident)
    assert client.get("/portal/cases/").content.decode().count("my-case") == 0
    assert client.post(f"/portal/cases/{someone_elses.number}/rate/", {"rating": "3"}).status_code == 404
    assert client.get(f"/cases/{someone_elses.number}/").status_code == 403
    client.force_login(w.operator)
    assert client.get("/portal/report/").status_code == 403


def test_a_page_renders_in_english_with_the_language_cookie(cases_world, login, settings):
    client = login(cases_world.operator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/cases/").content.decode()
    assert '<html lang="en">' in page
    assert ">Map<" in page and "<h1>Cases</h1>" in page


def test_a_case_page_speaks_english_from_status_to_timeline(cases_world, clock, login, settings):
    w = cases_world
    case = dispatched(w, "CGZD")
    client = login(w.operator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = text_of(client.get(f"/cases/{case.number}/"))
    assert "To accept" in page and "Dispatch" in page and "Received" in page  # status, steps
    assert "待签收" not in page and "信息收集" not in page
