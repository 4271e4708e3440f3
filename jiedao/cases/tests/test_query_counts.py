"""The cases' busiest paths cost a fixed number of queries, however many cases they show: the operator's
queue, a case's page, the KPI page, the case list of the API and a 12345 order over the API.

Each runs over 30 cases at every step of the loop, in the four grids (one in seven not placed), in two
departments' hands, a few with photos, so that a query per case, per event or per photo would show."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from jiedao.cases import services
from jiedao.cases.models import Case, Channel

# (text, address, category): the World's four buildings, one in each grid, and an address that places nothing.
ORDERS = [
    ("兰溪路200弄5号楼下饭店半夜搬东西很吵", "兰溪路200弄5号", "噪音扰民"),
    ("兰溪路200弄6号门口垃圾堆了三天没人清", "兰溪路200弄6号", "垃圾堆放"),
    ("梅岭北路41号路灯不亮，晚上很黑", "梅岭北路41号", "路灯损坏"),
    ("梅岭北路43号楼道里电瓶车在飞线充电", "梅岭北路43号", "飞线充电"),
    ("兰溪路200弄5号楼上漏水到我家", "兰溪路200弄5号", "房屋维修"),
    ("梅岭北路43号门口有人占道卖菜", "梅岭北路43号", "占道经营"),
    ("就在那个老地方有人乱倒垃圾", "就在那个老地方", "垃圾堆放"),  # not placeable: 待人工定位
]
# How far along the loop a case goes (the eighth is cancelled).
STEPS = [
    [],
    ["register"],
    ["register", "dispatch"],
    ["register", "dispatch", "accept"],
    ["register", "dispatch", "accept", "contact", "handle"],
    ["register", "dispatch", "accept", "contact", "handle", "close"],
    ["register", "dispatch", "accept", "contact", "handle", "close", "visit"],
    ["cancel"],
]


def png() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (8, 6), (200, 40, 40)).save(out, format="PNG")
    return SimpleUploadedFile("photo.png", out.getvalue(), content_type="image/png")


def advance(w, case: Case, steps: list[str], *, department: str, photos: bool = False) -> Case:
    handler = {"CGZD": w.chengguan, "PCS": w.police}[department]
    for action in steps:
        by = handler if action in ("accept", "contact", "handle") else w.operator
        extra = {"department": department} if action == "dispatch" else {}
        if action in ("contact", "handle", "cancel"):
            extra["note"] = "已处理" if action != "cancel" else "测试数据"
        if action == "visit":
            extra["rating"] = 3
        if action == "handle" and photos:
            extra["photos"] = [png(), png()]
        case = services.perform(case=case, action=action, by=by, **extra)
    return case


@pytest.fixture
def thirty(cases_world, clock, settings, tmp_path):
    """30 cases, ``ORDERS`` and ``STEPS`` taken in turn: new, registered, with the 城管 squad or the 派出所,
    handled, closed, rated or cancelled. Every fifth case that is handled comes with two photos."""
    settings.MEDIA_ROOT = tmp_path / "media"
    w = cases_world
    made = []
    for i in range(30):
        text, address, category = ORDERS[i % len(ORDERS)]
        steps = STEPS[i % len(STEPS)]
        clock.advance(minutes=37)
        case = services.intake(subdistrict=w.sub, channel=Channel.HOTLINE, description=f"{text}（{i}）",
                               address=address, category=category, by=w.operator, reporter_name="王先生",
                               reporter_phone="13812345678", external_id=f"26110200{i:02d}").case
        made.append(advance(w, case, steps, department=("CGZD", "PCS")[i % 2], photos=i % 5 == 4))
    return made


def test_the_queue_page_costs_twelve_queries_however_many_cases_it_lists(cases_world, thirty, login,
                                                                         django_assert_num_queries):
    """The session, the user, the departments (the filter bar's and the bulk-dispatch form's), the filter
    bar's other choices (categories, 片区, 居委, grids), the count, the page's ids in order, those cases with
    what a row shows, and the tabs' counts and the overdue count; a row needs nothing more."""
    client = login(cases_world.operator)
    for query, listed in (("", 20), ("?status=all", 30)):  # the open queue (overdue first), the history tab
        with django_assert_num_queries(12):
            response = client.get(f"/cases/{query}")
        assert response.status_code == 200
        assert sum(case.number in response.content.decode() for case in thirty) == listed


# The cases among those below that have likely duplicates to show (疑似重复): an earlier report of the same
# text at the same building within the week.
LIKELY_DUPLICATES = {8, 9, 12, 29}


@pytest.mark.parametrize("status, one, other, queries", [
    ("new", 0, 8, (13, 14)),         # the register and reclassify forms: categories twice, grids for 人工定位
    ("registered", 1, 9, (15, 16)),  # the dispatch form: the routed department and process, departments, processes
    ("handled", 4, 12, (11, 12)),    # two photos against none
    ("closed", 29, 6, (14, 12)),     # two photos against none and a longer timeline (回访评价); the closed forms
])
def test_the_case_page_costs_the_same_whatever_its_timeline_and_photos(cases_world, thirty, login, status, one,
                                                                       other, queries, django_assert_num_queries):
    """The session, the user, the case in scope (by number, then within the scope, then with its places),
    what the forms of the steps the user may take now offer, the case's photos (once, for the photo list and
    the timeline), the category names the events mention, the timeline, the subdistrict for the map, and
    the duplicate search (疑似重复; none for a case without a place, such as the sixth), plus one read of the
    likely duplicates' texts within the user's scope when there are some. The count depends on the step
    the case is at and on whether it has likely duplicates, not on how long its timeline is or how many
    photos it has."""
    client = login(cases_world.operator)
    photos = {"handled": 2, "closed": 2}.get(status, 0)
    for i, expected_photos, expected in ((one, photos, queries[0]), (other, 0, queries[1])):
        case = thirty[i]
        case.refresh_from_db()
        assert case.status == status and case.attachments.count() == expected_photos
        assert bool(services.duplicate_matches(case=case)) == (i in LIKELY_DUPLICATES)
        with django_assert_num_queries(expected):
            response = client.get(f"/cases/{case.number}/")
        assert response.status_code == 200
        # Each photo in the photo list and beside its event in the timeline, a link around an image in both.
        page = response.content.decode()
        assert all(page.count(f"/cases/photos/{a.token}") == 4 for a in case.attachments.all())


def test_the_kpi_page_costs_thirty_three_queries_whatever_the_cases(cases_world, thirty, login,
                                                                     django_assert_num_queries):
    """The session, the user, one grouped query per date column the KPIs count by (立案, 结案, 派遣, 回访,
    上报) and the overdue count by department, then the 12-month trend: one range count per month for
    立案数 and one for 结案数 (24), which stays fast at millions of cases where grouping by month does not,
    and 疑似重复采纳率 for the same 12 months in one query."""
    client = login(cases_world.operator)
    with django_assert_num_queries(33):
        response = client.get("/cases/kpis/?period=month&date=2026-11-02&by=department")
    assert response.status_code == 200
    assert "城管执法中队" in response.content.decode() and "派出所" in response.content.decode()


def test_the_case_list_api_costs_four_queries_for_30_cases(cases_world, thirty, login, django_assert_num_queries):
    """The session, the user, the count and one page of cases with their category, department, places,
    process and the cases they may duplicate."""
    client = login(cases_world.operator)
    with django_assert_num_queries(4):
        response = client.get("/api/v1/cases/?status=all&limit=50")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 30 and len(body["items"]) == 30


def test_a_12345_order_over_the_api_costs_nine_queries_flagged_or_not(cases_world, thirty, client, capsys,
                                                                     django_assert_num_queries):
    """A program's token (one query once it was used this minute), then intake's eight (test_intake): the
    工单编号 check and the duplicate search over the 30 cases, a savepoint, the case, its first event, its
    audit record and the release. An order intake flags as a likely duplicate (疑似重复) is answered with
    the likely duplicates intake's own search found, not searched again; the operator sees the whole
    subdistrict, so no query asks which of them they may see."""
    call_command("issue_token", "operator")
    token = capsys.readouterr().out.strip().splitlines()[-1]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    order = {"channel": "hotline", "description": "兰溪路200弄5号楼下饭店油烟很大", "address": "兰溪路200弄5号",
             "external_id": "2611029901", "reporter_name": "李女士", "reporter_phone": "13912345678"}
    first = client.post("/api/v1/cases/", order, content_type="application/json", **auth)  # warms the caches
    assert first.status_code == 201, first.content
    with django_assert_num_queries(9):
        response = client.post("/api/v1/cases/", {**order, "external_id": "2611029902"},
                               content_type="application/json", **auth)
    assert response.status_code == 201 and response.json()["building_id"] == cases_world.b11.pk
    assert response.json()["possible_duplicate_of"] and response.json()["duplicates"]
    other = {**order, "description": "小区里有人遛狗不牵绳，孩子吓哭了", "address": "兰溪路200弄6号",
             "external_id": "2611029903"}
    with django_assert_num_queries(9):
        response = client.post("/api/v1/cases/", other, content_type="application/json", **auth)
    assert response.status_code == 201 and response.json()["building_id"] == cases_world.b12.pk
    assert response.json()["possible_duplicate_of"] is None and response.json()["duplicates"] == []


@pytest.mark.parametrize("index, photos", [(4, 2), (12, 0)])  # handled with two photos; handled without
def test_the_case_detail_api_reads_the_photos_once_and_gives_each_event_its_own(cases_world, thirty, login,
                                                                               index, photos):
    """The case lists all its photos, and the 处置 event that brought them lists them too; the photos are one
    query, whether the case has some or none, and not a second one for the timeline."""
    case = thirty[index]
    assert case.attachments.count() == photos
    client = login(cases_world.operator)
    client.get(f"/api/v1/cases/{case.number}")  # the session and the caches warmed
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(f"/api/v1/cases/{case.number}")
    assert response.status_code == 200, response.content
    body = response.json()
    urls = [f"/cases/photos/{a.token}" for a in case.attachments.order_by("uploaded_at", "id")]
    assert body["photos"] == urls
    handled = [e for e in body["timeline"] if e["kind"] == "handled"]
    assert [e["photos"] for e in handled] == [urls]
    assert all(e["photos"] == [] for e in body["timeline"] if e["kind"] != "handled")
    assert sum("cases_attachment" in q["sql"] for q in ctx.captured_queries) == 1
