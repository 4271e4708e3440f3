"""Loading a plan from its data file: ``services.load_plan`` and ``jiedao load-plan``. A good file loads;
a bad one is refused whole, with Chinese messages naming the row and the field, and writes nothing;
loading the same plan again updates it in place and keeps what has been reported on it."""

import copy
import io
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from jiedao.cli import main
from jiedao.core.models import AuditAction, AuditLog, Department
from jiedao.planning import services
from jiedao.planning.models import Chapter, Goal, Indicator, Plan, ProgressReport, Project, ProjectStatus, Section, Task

# A plan of another subdistrict, written as its staff would: the smallest file that uses every part.
PLAN = {
    "_about": ["测试用的规划数据文件"],
    "departments": [{"code": "FGB", "name": "房管办", "kind": "functional"},
                    {"code": "LHSR", "name": "绿化市容管理所", "kind": "handler"}],
    "plan": {"code": "test-15th", "name": "测试街道“十五五”规划", "start_year": 2026, "end_year": 2030,
             "baseline_year": 2025},
    "chapters": [
        {"number": 1, "title": "发展回顾", "kind": "review", "text": "五年来，住房条件明显改善。"},
        {"number": 2, "title": "重点任务", "kind": "tasks", "sections": [
            {"number": 1, "title": "改善居住条件", "tasks": [
                {"title": "推进综合修缮", "text": "推进综合修缮，完成 50 幢。"},
                {"title": "增加绿地", "text": "增加绿地，人均公共绿地面积达到 1.2 平方米。"},
            ]},
        ]},
    ],
    "goals": [{"kind": "objective", "number": 1, "title": "居住条件全面改善", "source_text": "住房条件明显改善"}],
    "indicators": [
        {"code": "repaired-buildings", "name": "综合修缮幢数", "unit": "幢", "chapter": 2, "section": 1,
         "goal": "objective:1", "direction": "higher", "binding": "expected", "measure": "cumulative",
         "source": "entered", "lead_unit": "FGB", "baseline": {"value": "12", "year": 2025},
         "target": {"value": "50", "text": "50 幢", "year": 2030, "source_text": "完成 50 幢"}},
        {"code": "green-per-capita", "name": "人均公共绿地面积", "unit": "平方米", "chapter": 2, "section": 1,
         "direction": "higher", "binding": "binding", "source": "entered", "lead_unit": "LHSR",
         "target": {"value": 1.2, "year": 2030}},
    ],
    "projects": [
        {"code": "repair-1", "name": "一村综合修缮", "category": "repair", "chapter": 2, "section": 1,
         "lead_unit": "FGB"},
        {"code": "park-1", "name": "口袋公园", "category": "public_space", "lead_unit": "LHSR", "start_year": 2027,
         "end_year": 2028, "summary": "在一村东侧建一个口袋公园。"},
    ],
}


@pytest.fixture
def plan_file(world, tmp_path):
    """Write a plan document into a file; the lead units it names exist in the test subdistrict."""
    for code, name in (("FGB", "房管办"), ("LHSR", "绿化市容管理所")):
        Department.objects.get_or_create(subdistrict=world.sub, code=code, defaults={"name": name})

    def write(document=PLAN, name="plan.json"):
        path = tmp_path / name
        path.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")
        return path

    return write


def load(path, sub_code="310107005"):
    out = io.StringIO()
    call_command("load_plan", str(path), "--subdistrict", sub_code, stdout=out)
    return out.getvalue()


def edited(**changes):
    """PLAN with a change at a dotted path: ``edited(**{"indicators.0.unit": None})`` removes the key."""
    document = copy.deepcopy(PLAN)
    for path, value in changes.items():
        *parents, last = path.split(".")
        node = document
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        key = int(last) if isinstance(node, list) else last
        if value is None:
            del node[key]
        else:
            node[key] = value
    return document


def rows() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in (Plan, Chapter, Section, Task, Goal, Indicator, Project)}


def test_a_plan_file_loads_its_text_goals_indicators_and_projects(plan_file, world):
    output = load(plan_file())
    assert "已载入规划「测试街道“十五五”规划」" in output and "2 个指标，2 个项目" in output
    plan = Plan.objects.get(subdistrict=world.sub, code="test-15th")
    assert rows() == {"Plan": 1, "Chapter": 2, "Section": 1, "Task": 2, "Goal": 1, "Indicator": 2, "Project": 2}
    assert [t.title for t in Task.objects.filter(section__chapter=plan.chapters.get(number=2))] == [
        "推进综合修缮", "增加绿地"]
    repaired = plan.indicators.get(code="repaired-buildings")
    assert (repaired.baseline, repaired.target, repaired.target_year, repaired.lead_unit.code) == (
        Decimal(12), Decimal(50), 2030, "FGB")
    assert repaired.goal.title == "居住条件全面改善" and repaired.section.title == "改善居住条件"
    assert plan.indicators.get(code="green-per-capita").target == Decimal("1.2")
    repair, park = plan.projects.get(code="repair-1"), plan.projects.get(code="park-1")
    assert (repair.start_year, repair.end_year, repair.public_summary) == (2026, 2030, "一村综合修缮")
    assert (park.start_year, park.end_year, park.public_summary) == (2027, 2028, "在一村东侧建一个口袋公园。")
    record = AuditLog.objects.get(action=AuditAction.IMPORT, object_type="planning.plan")
    assert record.detail == {"created": True, "chapters": 2, "sections": 1, "tasks": 2, "goals": 1, "indicators": 2,
                             "projects": 2}


def test_loading_the_same_file_twice_changes_nothing(plan_file, world):
    path = plan_file()
    load(path)
    before = {m: list(m.objects.order_by("pk").values()) for m in (Plan, Chapter, Section, Task, Goal, Indicator,
                                                                    Project)}
    load(path)
    assert {m: list(m.objects.order_by("pk").values()) for m in before} == before
    assert AuditLog.objects.filter(action=AuditAction.IMPORT, object_type="planning.plan").count() == 2


def test_a_corrected_file_updates_the_plan_in_place_and_keeps_what_was_reported(plan_file, world):
    load(plan_file())
    plan = Plan.objects.get(code="test-15th")
    plan.published = True
    plan.save(update_fields=["published"])
    project = plan.projects.get(code="repair-1")
    project.start_year, project.end_year = 2027, 2029  # scheduled on the site; the file gives no years
    project.save()
    ProgressReport.objects.create(subdistrict=world.sub, project=project, year=2026, quarter=1, progress=10,
                                  status=ProjectStatus.IN_PROGRESS)
    corrected = edited(**{"indicators.0.target.value": "60", "projects.0.name": "一村、二村综合修缮",
                          "chapters.1.sections.0.tasks.1": None, "goals.0.title": "居住条件显著改善"})
    load(plan_file(corrected, name="corrected.json"))
    plan.refresh_from_db()
    assert plan.published
    assert plan.indicators.get(code="repaired-buildings").target == Decimal(60)
    project.refresh_from_db()
    assert (project.name, project.start_year, project.end_year) == ("一村、二村综合修缮", 2027, 2029)
    assert project.reports.count() == 1
    assert list(Task.objects.values_list("title", flat=True)) == ["推进综合修缮"]
    assert Goal.objects.get().title == "居住条件显著改善"
    assert rows()["Indicator"] == 2 and rows()["Project"] == 2


def test_a_file_cannot_drop_a_project_something_has_been_reported_on(plan_file, world):
    load(plan_file())
    project = Project.objects.get(code="repair-1")
    ProgressReport.objects.create(subdistrict=world.sub, project=project, year=2026, quarter=1, progress=10,
                                  status=ProjectStatus.IN_PROGRESS)
    without = edited(**{"projects": [PLAN["projects"][1]]})
    with pytest.raises(CommandError) as exc:
        load(plan_file(without, name="without.json"))
    assert "项目 repair-1 已有填报记录，新的规划文件中却没有" in str(exc.value)
    assert Project.objects.filter(code="repair-1").exists()


def test_a_missing_field_is_named_in_chinese_and_nothing_is_written(plan_file):
    with pytest.raises(CommandError) as exc:
        load(plan_file(edited(**{"indicators.1.unit": None})))
    assert "指标 green-per-capita 缺少 unit（计量单位）" in str(exc.value)
    assert "未写入任何数据" in str(exc.value)
    assert set(rows().values()) == {0}
    assert not AuditLog.objects.filter(action=AuditAction.IMPORT).exists()


def test_every_problem_of_the_file_is_reported_at_once_naming_row_and_field(plan_file, world):
    bad = edited(**{"plan.start_year": "二〇二六", "indicators.0.direction": "up", "indicators.1.targte": {},
                    "projects.1.category": None, "chapters.1.sections.0.tasks.0.text": None})
    with pytest.raises(ValidationError) as exc:
        services.load_plan(subdistrict=world.sub, document=plan_file(bad))
    messages = exc.value.messages
    assert "规划 的 start_year（起始年份） 应为整数，实际为 \"二〇二六\"" in messages
    assert "指标 repaired-buildings 的 direction（方向） 应为 higher、lower、milestone、neutral 之一，实际为 \"up\"" \
        in messages
    assert "指标 green-per-capita 有不认识的字段 targte：请检查拼写，或删去" in messages
    assert "项目 park-1 缺少 category（类别）" in messages
    assert "第 2 章第 1 节第 1 个任务 缺少 text（正文）" in messages
    assert len(messages) == 5
    assert set(rows().values()) == {0}


def test_references_to_goals_and_sections_that_do_not_exist_are_refused(plan_file):
    bad = edited(**{"indicators.0.goal": "objective:9", "projects.0.section": 7,
                    "indicators.1.code": "repaired-buildings"})
    with pytest.raises(CommandError) as exc:
        load(plan_file(bad))
    message = str(exc.value)
    assert "指标 repaired-buildings 出现了 2 次" in message
    assert "指标 repaired-buildings 的 goal（目标）「objective:9」在 goals 中没有" in message
    assert "项目 repair-1 的 section（节号）2.7 在 chapters 中没有" in message
    assert set(rows().values()) == {0}


def test_a_row_breaking_its_models_rules_is_named_and_nothing_is_written(plan_file):
    with pytest.raises(CommandError) as exc:
        load(plan_file(edited(**{"indicators.0.target.year": 2035, "projects.1.end_year": 2026})))
    message = str(exc.value)
    assert "指标「repaired-buildings」 数据有误：目标年份：目标年份 2035 不在规划期 2026–2030 年内" in message
    assert "项目「park-1」 数据有误：计划完成年份：计划完成年份不能早于开工年份" in message
    assert set(rows().values()) == {0}


def test_lead_units_the_subdistrict_lacks_are_named(plan_file, world):
    path = plan_file()
    Department.objects.filter(subdistrict=world.sub, code="LHSR").delete()
    with pytest.raises(CommandError) as exc:
        load(path)
    assert "牵头单位代码 LHSR（绿化市容管理所） 在曹杨新村街道不存在：请先建立这些部门" in str(exc.value)
    assert set(rows().values()) == {0}


def test_a_file_that_is_not_json_is_refused_with_the_place_of_the_error(plan_file, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"plan": {"code": "x",}}', encoding="utf-8")
    with pytest.raises(CommandError) as exc:
        load(path)
    assert "不是有效的 JSON：第 1 行第 23 列" in str(exc.value)
    with pytest.raises(CommandError, match="找不到规划文件"):
        load(tmp_path / "missing.json")
    with pytest.raises(CommandError, match="街道代码不存在：999"):
        load(plan_file(), sub_code="999")


def test_the_command_exits_non_zero_and_prints_the_problems(plan_file, capsys, monkeypatch):
    # run_from_argv closes every connection when the command ends, and with it the test's transaction.
    monkeypatch.setattr("django.db.connections.close_all", lambda: None)
    with pytest.raises(SystemExit) as exc:
        main(["jiedao", "load-plan", str(plan_file(edited(**{"plan.name": None}))), "--subdistrict", "310107005"])
    assert exc.value.code == 1
    assert "规划 缺少 name（名称）" in capsys.readouterr().err
    assert not Plan.objects.exists()


def test_reloading_the_caoyang_plan_keeps_every_row(plan, caoyang_plan):
    before = rows()
    pks = sorted(plan.indicators.values_list("pk", flat=True))
    services.load_plan(subdistrict=plan.subdistrict, document=caoyang_plan)
    assert rows() == before and sorted(plan.indicators.values_list("pk", flat=True)) == pks
    assert before["Indicator"] == 59 and before["Project"] == 49
