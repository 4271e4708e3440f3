"""The pages: the ranked list, a building's factors with its survey form and drawing, a project's pipeline,
the per-household sheet in HTML and XLSX; refusals for roles and places outside the reader's scope."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from jiedao.elevators import services
from jiedao.elevators.models import Survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def quoted(estate, head):
    b = estate.building(floors=6, per_floor=2, ages=(72,))
    services.save_survey(building=b, by=head, entry="level", pipes="relocate")
    p = services.create_project(building=b, by=head)
    services.make_quote(project=p, by=head)
    return p


def test_the_ranked_list_shows_the_readers_buildings_best_first(world, estate, head, login):
    good = estate.building(floors=6, per_floor=3, ages=(80,))
    poor = estate.building(floors=4, per_floor=1, ages=(30,))
    elsewhere = estate.building(floors=6, grid=world.g11)
    page = login(head).get("/elevators/").content.decode()
    assert page.index(f'data-building="{good.pk}"') < page.index(f'data-building="{poor.pk}"')
    assert f'data-building="{elsewhere.pk}"' not in page
    assert "平层 / 半层入户、楼前楼后间距、地下管线" in page  # each building names its missing inputs
    assert 'src="/static/leaflet/leaflet.js"' in page  # served here, no CDN


def test_a_grid_worker_may_not_see_the_elevator_pages(world, login):
    response = login(world.grid_worker).get("/elevators/")
    assert response.status_code == 403 and "无权查看加装电梯" in response.content.decode()


def test_the_building_page_shows_each_factor_and_what_is_missing(estate, head, login):
    b = estate.building(floors=6)
    page = login(head).get(f"/elevators/buildings/{b.pk}/").content.decode()
    assert 'data-factor="entry" class="missing"' in page and 'data-factor="floors">' in page
    assert "缺少的输入" in page and "平层 / 半层入户" in page
    assert 'data-level-floors="1,2,3,4,5,6"' in page  # the drawing: level entry on every floor


def test_a_bad_survey_is_refused_in_chinese_next_to_its_field(estate, head, login):
    b = estate.building()
    response = login(head).post(f"/elevators/buildings/{b.pk}/survey/", {"front_clearance_m": "-3",
                                                                          "dwellings_per_floor": "99"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "确保该值大于或等于0" in page and "确保该值小于或等于12" in page
    assert not Survey.objects.filter(building=b).exists()


def test_a_survey_saved_on_the_page_changes_the_score(estate, head, login):
    b = estate.building(floors=6)
    client = login(head)
    response = client.post(f"/elevators/buildings/{b.pk}/survey/", {
        "entry": "half", "front_clearance_m": "3.2", "pipes": "clear", "fire_lane_clear": "true",
        "sunlight": "none", "surveyed_on": ""})
    assert response.status_code == 302
    page = client.get(f"/elevators/buildings/{b.pk}/").content.decode()
    assert "缺少的输入" not in page and 'data-level-floors="1"' in page  # half-level entry: only the ground floor


def test_the_half_level_drawing_stops_at_half_landings(estate, head, login):
    b = estate.building(floors=5)
    response = login(head).get(f"/elevators/buildings/{b.pk}/schematic.svg?entry=half")
    svg = response.content.decode()
    assert response["Content-Type"] == "image/svg+xml"
    assert 'data-stop="1.5F"' in svg and 'data-stop="4.5F"' in svg and 'data-stop="2F"' not in svg
    assert "animateTransform" in svg and "http" not in svg.replace("http://www.w3.org/2000/svg", "")


def test_the_project_page_shows_the_pipeline_and_why_it_cannot_move_on(quoted, head, login):
    services.raise_blocker(project=quoted, text="二楼住户尚未同意", by=head)
    page = login(head).get(f"/elevators/projects/{quoted.pk}/").content.decode()
    assert 'data-stage="consent" aria-current="step"' in page
    assert "还有 1 个未解决的堵点" in page and "二楼住户尚未同意" in page


def test_a_skip_posted_on_the_page_is_refused(quoted, head, login):
    response = login(head).post(f"/elevators/projects/{quoted.pk}/advance/", {"to": "construction"})
    assert response.status_code == 400 and "不能跳过阶段" in response.content.decode()


def test_the_household_sheet_in_html_and_xlsx_adds_up(quoted, head, login):
    client = login(head)
    q = quoted.quotes.get()
    html = client.get(f"/elevators/projects/{quoted.pk}/quote/sheet/").content.decode()
    assert html.count('class="slip"') == 12 and "28 万元" in html
    response = client.get(f"/elevators/projects/{quoted.pk}/quote/sheet.xlsx")
    book = load_workbook(io.BytesIO(response.content))
    rows = list(book.worksheets[1].iter_rows(values_only=True))
    assert rows[0] == ("室号", "楼层", "分摊系数", "分摊金额（元）")
    amounts = [Decimal(str(r[3])) for r in rows[1:-1]]
    assert len(amounts) == 12 and sum(amounts) == q.net == Decimal(str(rows[-1][3]))
    assert {r[0]: r[3] for r in rows[1:-1]}["101"] == 0
    summary = list(book.worksheets[0].iter_rows(values_only=True))
    assert ("地下管线迁移", 1, 60000, 60000) in summary


def test_another_communitys_head_gets_404_for_the_project_and_its_sheet(quoted, other_head, login):
    client = login(other_head)
    for url in (f"/elevators/projects/{quoted.pk}/", f"/elevators/projects/{quoted.pk}/quote/sheet.xlsx",
                f"/elevators/buildings/{quoted.building_id}/"):
        assert client.get(url).status_code == 404


def test_a_social_worker_reads_the_project_without_forms_and_may_not_post(world, quoted, login):
    client = login(world.social_worker)
    page = client.get(f"/elevators/projects/{quoted.pk}/").content.decode()
    assert 'id="advance-form"' not in page and 'id="quote-form"' not in page
    response = client.post(f"/elevators/projects/{quoted.pk}/advance/", {"to": "design"})
    assert response.status_code == 403
