"""The Caoyang plan's data file against the seed: every quotation verbatim, every figure as written there."""

import os
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings

from jiedao.demo import planning as demo_planning
from jiedao.planning import services
from jiedao.planning.models import Indicator, Project

SEED_NAME = "000_6224f66672573d40.txt"
CAOYANG = demo_planning.plan_document()


@pytest.fixture(scope="module")
def seed() -> str:
    # CI runs from a clean clone with ../shared beside the repository.
    path = Path(settings.BASE_DIR).parent / "shared" / "seeds" / SEED_NAME
    if not path.exists():
        message = f"规划原文 {path} 不存在（shared/ 未放在仓库旁），无法核对规划数据"
        if os.environ.get("CI"):  # CI always has shared/ beside the clone: a missing seed is a failure there
            pytest.fail(message)
        pytest.skip(message)
    return path.read_text(encoding="utf-8")


def figure_value(text: str) -> Decimal:
    """"1.7 万户" → 17000, "89716" → 89716, "80%" → 80."""
    match = re.match(r"\s*(\d+(?:\.\d+)?)\s*(万)?", text)
    assert match, f"no number in {text!r}"
    value = Decimal(match.group(1))
    return value * 10000 if match.group(2) else value


def quotations():
    yield "plan", CAOYANG["plan"]["source_text"]
    yield "plan summary", CAOYANG["plan"]["summary_source_text"]
    for goal in CAOYANG["goals"]:
        yield goal["title"], goal["source_text"]
    for row in CAOYANG["indicators"]:
        for key in ("baseline", "target"):
            if row.get(key):
                yield f"{row['code']} {key}", row[key]["source_text"]
        if row.get("source_text"):
            yield row["code"], row["source_text"]
    for row in CAOYANG["projects"]:
        yield row["code"], row["source_text"]
    for row in CAOYANG["departments"]:
        if row.get("source_text"):
            yield row["code"], row["source_text"]


def test_every_quotation_occurs_verbatim_in_the_seed(seed):
    missing = [(where, text) for where, text in quotations() if text not in seed]
    assert missing == []


def test_every_figure_appears_as_written_in_its_sentence_and_means_the_value_stored(seed):
    checked = 0
    for row in CAOYANG["indicators"]:
        for key in ("baseline", "target"):
            figure = row.get(key)
            if not figure or figure.get("value") is None:
                continue
            assert figure["text"] in figure["source_text"], row["code"]
            assert figure["source_text"] in seed
            assert figure_value(figure["text"]) == Decimal(figure["value"]), row["code"]
            checked += 1
    assert checked == 46  # every numeric baseline and target of the fixture


def test_the_plans_text_is_the_seeds_text(seed):
    # Paragraphs split by a page break are joined in the fixture; the seed without line breaks has them whole.
    flat = seed.replace("\n", "")
    for chapter in CAOYANG["chapters"]:
        assert f"{chapter['title']}" in seed
        for section in chapter["sections"]:
            assert section["title"] in seed
            for paragraph in section.get("text", "").split("\n"):
                assert paragraph in flat
            for task in section.get("tasks", []):
                assert task["text"] in flat
                assert task["text"].startswith(task["title"]) or task["title"] == section["title"]
    for goal in CAOYANG["goals"]:
        assert goal.get("text", goal["source_text"]) in flat
    assert [c["number"] for c in CAOYANG["chapters"]] == list(range(1, 11))


def table_rows(seed: str, table: int) -> dict[int, str]:
    """Rows of table N in the seed: "序号\t项目名称" lines after its heading, until the text resumes."""
    rows, started = {}, False
    for line in seed[seed.index(f"表 {table} "):].split("\n")[1:]:
        match = re.match(r"^(\d+)\t(.+)$", line)
        if match:
            rows[int(match.group(1))] = match.group(2).strip()
            started = True
        elif line.strip() and not line.startswith("序号") and started:
            break
    return rows


@pytest.mark.parametrize(("table", "count"), [(1, 5), (2, 14), (3, 8)])
def test_every_row_of_tables_1_to_3_is_a_project(seed, table, count):
    rows = table_rows(seed, table)
    assert len(rows) == count
    projects = {p["row"]: p["name"] for p in CAOYANG["projects"] if p.get("table") == table}
    assert projects == rows


def test_the_named_projects_of_the_text_are_projects():
    names = {p["name"] for p in CAOYANG["projects"]}
    for name in ("百禧公园", "纺织养老院", "俞家弄路幼儿园", "村史馆大修", "社区文化中心大修", "杏梅园卫生服务站",
                 "梅岭北片区分中心", "曹杨路、武宁路架空线入地工程"):
        assert name in names


def test_the_baselines_and_targets_the_issue_names_are_in_the_fixture():
    by_code = {row["code"]: row for row in CAOYANG["indicators"]}

    def baseline(code):
        return Decimal(by_code[code]["baseline"]["value"])

    assert baseline("elderly-beds") == 36
    assert baseline("elderly-canteens") == 7
    assert (baseline("housing-signed-buildings"), baseline("housing-signed-area"), baseline("housing-households")) \
        == (70, 89716, 3037)
    assert baseline("repaired-buildings") == 289
    assert baseline("garbage-room-monitoring") == 80 and by_code["garbage-room-monitoring"]["unit"] == "%"
    green = by_code["public-green-per-capita"]["target"]
    assert (Decimal(green["value"]), green["year"], by_code["public-green-per-capita"]["unit"]) == (
        Decimal("1.02"), 2025, "平方米")
    assert Decimal(by_code["labour-mediation-rate"]["target"]["value"]) == 60
    for code in ("service-circle-5min", "non-self-contained-housing", "one-network-pilot"):
        assert by_code[code]["direction"] == "milestone" and by_code[code]["target"]["year"] == 2025


@pytest.fixture
def plan(world):
    demo_planning.ensure_departments(world.sub, CAOYANG)
    return services.load_plan(subdistrict=world.sub, document=CAOYANG)


def test_loading_the_fixture_keeps_every_figure_and_quotation(plan):
    assert plan.chapters.count() == 10
    assert plan.goals.count() == len(CAOYANG["goals"])
    assert Indicator.objects.filter(plan=plan).count() == len(CAOYANG["indicators"])
    assert Project.objects.filter(plan=plan, table_number__isnull=False).count() == 5 + 14 + 8
    green = plan.indicators.get(code="public-green-per-capita")
    assert (green.target, green.target_year, green.binding) == (Decimal("1.02"), 2025, Indicator.Binding.BINDING)
    assert "1.02" in green.target_source_text
    area = plan.indicators.get(code="housing-signed-area")
    assert (area.baseline, area.baseline_year, area.unit) == (Decimal(89716), 2020, "平方米")
    assert Project.objects.get(plan=plan, code="baixi-park").lead_unit.code == "JSZX"
    assert plan.chapters.get(number=5).sections.get(number=1).tasks.first().title == "着力推进旧住房成套改造"
