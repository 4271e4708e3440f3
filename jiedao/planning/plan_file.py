"""The plan data file (规划数据文件): one JSON document holding a plan's text, goals, indicators and projects.

``read_plan_file`` checks a document whole before anything is written: its shape (the pydantic models
below; an unknown key is refused, so that a misspelt one is not silently dropped) and its
cross-references (an indicator's goal, chapter and section exist; codes and numbers are unique). Every
problem is reported at once, in Chinese, naming the row and the field: ``指标 new-jobs 缺少 unit（计量单位）``.
The rules that hold for a row once it is in the database (a target year inside the plan, a unit that
exists …) stay on the models and are checked when the plan is loaded (``services.load_plan``).

docs/planning.md describes the format.
"""

import enum
import json
import typing
from collections import Counter
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import pydantic
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from pydantic import BaseModel, ConfigDict, Field

from jiedao.core.models import Department
from jiedao.planning.models import Chapter, Goal, Indicator, Project


class _Part(BaseModel):
    model_config = ConfigDict(extra="forbid", use_enum_values=True)


class DepartmentRow(_Part):
    """A lead unit (牵头单位) the rows name by code. The subdistrict keeps its departments; loading a plan
    does not create them."""

    code: str = Field(title="部门代码")
    name: str = Field(title="部门名称")
    kind: Department.Kind = Field(Department.Kind.OFFICE, title="部门类型")
    source_text: str = Field("", title="原文出处")


class PlanHeader(_Part):
    code: str = Field(title="规划代码")
    name: str = Field(title="名称")
    start_year: int = Field(title="起始年份")
    end_year: int = Field(title="终止年份")
    baseline_year: int = Field(title="基期年份")
    source_document: str = Field("", title="来源文件")
    summary: str = Field("", title="概述")
    source_text: str = Field("", title="名称原文")
    summary_source_text: str = Field("", title="概述原文")


class TaskRow(_Part):
    title: str = Field(title="标题")
    text: str = Field(title="正文")


class SectionRow(_Part):
    number: int = Field(title="节号")
    title: str = Field(title="标题")
    text: str = Field("", title="正文")
    tasks: list[TaskRow] = Field(default_factory=list, title="任务")


class ChapterRow(_Part):
    number: int = Field(title="章号")
    title: str = Field(title="标题")
    kind: Chapter.Kind = Field(title="类型")
    text: str = Field("", title="正文")
    sections: list[SectionRow] = Field(default_factory=list, title="节")


class GoalRow(_Part):
    kind: Goal.Kind = Field(title="类型")
    number: int = Field(title="序号")
    title: str = Field(title="标题")
    source_text: str = Field(title="原文出处")
    text: str = Field("", title="内容（原文被分页截断时的全文）")

    @property
    def key(self) -> str:
        """How indicators name the goal: ``objective:3``."""
        return f"{self.kind}:{self.number}"


class Figure(_Part):
    """A baseline or a target: the value, the figure as the plan writes it ("1.7 万户"), its year, its
    wording ("60% 以上", "“十三五”期间累计") and the sentence it comes from."""

    value: Decimal | None = Field(None, title="数值")
    text: str = Field("", title="原文写法")
    year: int | None = Field(None, title="年份")
    note: str = Field("", title="口径或表述")
    source_text: str = Field("", title="原文")


class IndicatorRow(_Part):
    code: str = Field(title="指标代码")
    name: str = Field(title="名称")
    unit: str = Field(title="计量单位")
    chapter: int | None = Field(None, title="章号")
    section: int | None = Field(None, title="节号")
    goal: str | None = Field(None, title="目标（类型:序号）")
    description: str = Field("", title="通俗说明")
    direction: Indicator.Direction = Field(title="方向")
    binding: Indicator.Binding = Field(title="约束性或预期性")
    measure: Indicator.Measure = Field(Indicator.Measure.LEVEL, title="统计口径")
    source: Indicator.Source = Field(title="数据来源")
    numerator: str = Field("", title="分子公式")
    denominator: str = Field("", title="分母公式")
    factor: Decimal = Field(Decimal(1), title="系数")
    lead_unit: str | None = Field(None, title="牵头单位代码")
    baseline: Figure | None = Field(None, title="基线值")
    target: Figure | None = Field(None, title="目标值")
    source_text: str = Field("", title="原文出处")


class ProjectRow(_Part):
    code: str = Field(title="项目代码")
    name: str = Field(title="项目名称")
    category: Project.Category = Field(title="类别")
    chapter: int | None = Field(None, title="章号")
    section: int | None = Field(None, title="节号")
    table: int | None = Field(None, title="规划表号")
    row: int | None = Field(None, title="表内序号")
    description: str = Field("", title="建设内容")
    summary: str = Field("", title="通俗说明")
    source_text: str = Field("", title="原文出处")
    lead_unit: str | None = Field(None, title="牵头单位代码")
    start_year: int | None = Field(None, title="计划开工年份")
    end_year: int | None = Field(None, title="计划完成年份")


class PlanFile(_Part):
    about: list[str] | str = Field(default_factory=list, alias="_about", title="说明")
    departments: list[DepartmentRow] = Field(default_factory=list, title="牵头单位")
    plan: PlanHeader = Field(title="规划")
    goals: list[GoalRow] = Field(default_factory=list, title="目标")
    indicators: list[IndicatorRow] = Field(default_factory=list, title="指标")
    projects: list[ProjectRow] = Field(default_factory=list, title="项目")
    chapters: list[ChapterRow] = Field(default_factory=list, title="章")


def read_plan_file(source: Mapping[str, Any] | Path) -> PlanFile:
    """The plan in ``source`` (a parsed JSON document, or the path of a UTF-8 JSON file), checked whole.

    Raises ``ValidationError`` with one Chinese message per problem, each naming the row and the field.
    """
    raw = _read_json(source) if isinstance(source, Path) else source
    try:
        document = PlanFile.model_validate(raw)
    except pydantic.ValidationError as exc:
        raise ValidationError([_message(raw, error) for error in exc.errors()]) from None
    problems = _cross_references(document)
    if problems:
        raise ValidationError(problems)
    return document


def _read_json(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ValidationError(_("找不到规划文件 %(path)s") % {"path": path}) from None
    except UnicodeDecodeError:
        raise ValidationError(_("规划文件 %(path)s 不是 UTF-8 编码：请另存为 UTF-8") % {"path": path}) from None
    except OSError as exc:
        raise ValidationError(
            _("无法读取规划文件 %(path)s：%(error)s") % {"path": path, "error": exc.strerror}) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationError(_("规划文件 %(path)s 不是有效的 JSON：第 %(line)s 行第 %(column)s 列，%(error)s") % {
            "path": path, "line": exc.lineno, "column": exc.colno, "error": exc.msg}) from None


# ------------------------------------------------------------------ messages
_COLLECTIONS = {"departments", "goals", "indicators", "projects", "chapters", "sections", "tasks"}
_TYPES = {
    "int_type": "应为整数", "int_parsing": "应为整数", "int_from_float": "应为整数",
    "string_type": "应为文字（加引号）", "decimal_type": "应为数字", "decimal_parsing": "应为数字",
    "list_type": "应为列表 [ … ]", "model_type": "应为对象 { … }", "model_attributes_type": "应为对象 { … }",
    "dict_type": "应为对象 { … }",
}


def _message(raw: Any, error: Mapping[str, Any]) -> str:
    """A pydantic error as a sentence: where (the row), which field (its key and Chinese name), what is wrong."""
    where, keys, titles, info = _locate(raw, error["loc"])
    if not keys:
        return _("%(where)s 应为一个 JSON 对象 { … }") % {"where": where}
    field = ".".join(keys)
    named = f"{field}（{'的'.join(titles)}）" if titles else field
    kind = error["type"]
    if kind == "missing":
        return _("%(where)s 缺少 %(field)s") % {"where": where, "field": named}
    if kind == "extra_forbidden":
        return _("%(where)s 有不认识的字段 %(field)s：请检查拼写，或删去") % {"where": where, "field": field}
    given = json.dumps(error.get("input"), ensure_ascii=False, default=str)
    if kind == "enum":
        return _("%(where)s 的 %(field)s 应为 %(expected)s 之一，实际为 %(given)s") % {
            "where": where, "field": named, "expected": "、".join(_choices(info)), "given": given}
    problem = _TYPES.get(kind, _("有误"))
    return _("%(where)s 的 %(field)s %(problem)s，实际为 %(given)s") % {
        "where": where, "field": named, "problem": problem, "given": given}


def _locate(raw: Any, loc: tuple) -> tuple[str, list[str], list[str], Any]:
    """Walk an error's location through the document and the schema together: the row it is in
    ("指标 new-jobs", "第 5 章第 1 节"), the keys and Chinese names of the field inside that row, and the
    schema's description of that field."""
    rows: list[str] = []
    keys: list[str] = []
    titles: list[str] = []
    node, model, info = raw, PlanFile, None
    i = 0
    while i < len(loc):
        key = loc[i]
        info = _field(model, key)
        model = _model_in(info.annotation) if info else None
        node = node.get(key) if isinstance(node, Mapping) else None
        if key in _COLLECTIONS and i + 1 < len(loc) and isinstance(loc[i + 1], int):
            index = loc[i + 1]
            node = node[index] if isinstance(node, list) and index < len(node) else None
            rows.append(_row_name(key, index, node))
            keys, titles = [], []
            i += 2
            continue
        if key == "plan" and i == 0 and len(loc) > 1:
            rows.append(_("规划"))
        else:
            keys.append(str(key))
            if info and info.title:
                titles.append(info.title)
        i += 1
    return "".join(rows) or _("规划文件"), keys, titles, info


def _choices(info: Any) -> list[str]:
    """The values a choice field accepts, as the file writes them."""
    for kind in (info.annotation, *typing.get_args(info.annotation)):
        if isinstance(kind, type) and issubclass(kind, enum.Enum):
            return [member.value for member in kind]
    return []


def _field(model: type[BaseModel] | None, key: Any) -> Any:
    if model is None or not isinstance(key, str):
        return None
    for name, info in model.model_fields.items():
        if key in (name, info.alias):
            return info
    return None


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The model a field holds, through ``list[...]`` and ``... | None``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _row_name(collection: str, index: int, row: Any) -> str:
    row = row if isinstance(row, Mapping) else {}
    code, number = row.get("code"), row.get("number")
    nth = index + 1
    if collection == "chapters":
        return _("第 %(n)s 章") % {"n": number} if isinstance(number, int) else _("第 %(n)s 个章") % {"n": nth}
    if collection == "sections":
        return _("第 %(n)s 节") % {"n": number} if isinstance(number, int) else _("第 %(n)s 个节") % {"n": nth}
    if collection == "tasks":
        return _("第 %(n)s 个任务") % {"n": nth}
    if collection == "goals":
        if row.get("kind") and isinstance(number, int):
            return _("目标 %(key)s") % {"key": f"{row['kind']}:{number}"}
        return _("第 %(n)s 个目标") % {"n": nth}
    noun = {"departments": _("部门"), "indicators": _("指标"), "projects": _("项目")}[collection]
    if isinstance(code, str) and code:
        return f"{noun} {code}"
    return _("第 %(n)s 个%(noun)s") % {"n": nth, "noun": noun}


# ----------------------------------------------------------- cross-references
def _cross_references(document: PlanFile) -> list[str]:
    problems = []

    def unique(noun: str, keys: list) -> None:
        for key, count in Counter(keys).items():
            if count > 1:
                problems.append(_("%(noun)s %(key)s 出现了 %(count)s 次：每个只能有一个") % {
                    "noun": noun, "key": key, "count": count})

    unique(_("部门"), [d.code for d in document.departments])
    unique(_("目标"), [g.key for g in document.goals])
    unique(_("指标"), [i.code for i in document.indicators])
    unique(_("项目"), [p.code for p in document.projects])
    unique(_("章"), [c.number for c in document.chapters])
    for chapter in document.chapters:
        unique(_("第 %(n)s 章的节") % {"n": chapter.number}, [s.number for s in chapter.sections])

    goals = {g.key for g in document.goals}
    sections = {(c.number, s.number) for c in document.chapters for s in c.sections}
    chapters = {c.number for c in document.chapters}
    units = {d.code for d in document.departments}
    for noun, rows in ((_("指标"), document.indicators), (_("项目"), document.projects)):
        for row in rows:
            where = f"{noun} {row.code}"
            if getattr(row, "goal", None) and row.goal not in goals:
                problems.append(_("%(where)s 的 goal（目标）「%(goal)s」在 goals 中没有：应写成 类型:序号，"
                                  "例如 objective:1") % {"where": where, "goal": row.goal})
            if row.chapter is not None and row.chapter not in chapters:
                problems.append(_("%(where)s 的 chapter（章号）%(n)s 在 chapters 中没有") % {
                    "where": where, "n": row.chapter})
            elif row.section is not None and (row.chapter, row.section) not in sections:
                problems.append(_("%(where)s 的 section（节号）%(chapter)s.%(n)s 在 chapters 中没有") % {
                    "where": where, "chapter": row.chapter if row.chapter is not None else "?", "n": row.section})
            if units and row.lead_unit and row.lead_unit not in units:
                problems.append(_("%(where)s 的 lead_unit（牵头单位代码）%(code)s 不在 departments 中") % {
                    "where": where, "code": row.lead_unit})
    return problems
