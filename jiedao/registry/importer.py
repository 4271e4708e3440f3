"""Import residents from XLSX / CSV (批量导入): validate every row first, then write all valid rows in one
transaction. Re-importing the same file changes nothing: a row whose person is already registered in the
same household under the same name is "unchanged", not an error.

Row numbers in reports are the spreadsheet's (header = row 1). Messages never repeat the ID number.
"""

import csv
import io
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiedao.core import audit
from jiedao.core.models import AuditAction, Subdistrict, User
from jiedao.core.roles import Perm
from jiedao.core.scope import ensure_perm, scope_of
from jiedao.core.validators import birth_date_from_id, sex_from_id, validate_mobile, validate_resident_id
from jiedao.geo.models import Building, Estate
from jiedao.registry import colours
from jiedao.registry.models import Household, Residence, Resident, ResidentTag, Tag

COLUMNS = ("姓名", "身份证号", "手机号", "小区", "楼号", "室号", "与户主关系", "人户状态", "标签")
REQUIRED = ("姓名", "身份证号", "小区", "楼号", "室号")
MAX_ROWS = 200_000
_TAG_SPLIT = re.compile(r"[,，、;；/\s]+")
_BUILDING_NO = re.compile(r"^(\d+(?:-\d+)?)\s*(?:号楼|号|幢|栋|楼)?$")


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ImportReport:
    rows: int = 0
    valid: int = 0
    errors: list[RowError] = field(default_factory=list)
    created_households: int = 0
    created_residents: int = 0
    unchanged: int = 0
    dry_run: bool = True

    def as_dict(self) -> dict:
        return {
            "rows": self.rows, "valid": self.valid,
            "errors": [{"row": e.row, "column": e.column, "message": e.message} for e in self.errors],
            "created_households": self.created_households, "created_residents": self.created_residents,
            "unchanged": self.unchanged, "dry_run": self.dry_run,
        }


class ImportFileError(Exception):
    """The file as a whole cannot be read (wrong type, missing columns, too many rows)."""


def read_rows(data: bytes, filename: str) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the first sheet (XLSX/XLS/ODS via calamine) or of a CSV (UTF-8 or GB18030)."""
    name = filename.lower()
    if name.endswith((".xlsx", ".xlsm", ".xls", ".ods")):
        from python_calamine import CalamineWorkbook

        try:
            sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
            table = sheet.to_python(skip_empty_area=False)
        except Exception as exc:  # calamine raises its own error types for corrupt files
            raise ImportFileError(_("无法读取表格文件：%(error)s") % {"error": exc.__class__.__name__}) from exc
    elif name.endswith((".csv", ".txt")):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ImportFileError(_("CSV 文件编码无法识别：请另存为 UTF-8"))
        table = list(csv.reader(io.StringIO(text)))
    else:
        raise ImportFileError(_("只支持 .xlsx、.xls、.ods 或 .csv 文件"))
    if not table:
        raise ImportFileError(_("文件是空的"))
    header = [_cell(c) for c in table[0]]
    return header, [[_cell(c) for c in row] for row in table[1:]]


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # spreadsheets turn 301 into 301.0
    return str(value).strip()


def _building_number(text: str) -> str | None:
    m = _BUILDING_NO.match(text.replace(" ", ""))
    return m.group(1) if m else None


@dataclass
class _Row:
    line: int
    name: str
    id_number: str
    index: str
    phone: str
    building: Building
    room: str
    relation: str
    status: str
    tags: list[Tag]


def import_residents(
    *, data: bytes, filename: str, subdistrict: Subdistrict, by: User | None, dry_run: bool = False
) -> ImportReport:
    """Validate every row; unless ``dry_run``, write every valid row in one transaction.

    ``by`` is the worker importing (their role must allow editing, and rows may only name buildings in
    their scope), or None for the command line, which acts for the whole subdistrict.
    """
    if by is not None:
        ensure_perm(by, Perm.EDIT_REGISTRY)
    header, raw_rows = read_rows(data, filename)
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ImportFileError(_("缺少必填列：%(cols)s（模板见“下载模板”）") % {"cols": "、".join(missing)})
    if len(raw_rows) > MAX_ROWS:
        raise ImportFileError(_("一次最多导入 %(n)s 行，请拆分文件") % {"n": f"{MAX_ROWS:,}"})
    col = {name: header.index(name) for name in COLUMNS if name in header}
    report = ImportReport(dry_run=dry_run)

    estates = dict(Estate.objects.filter(subdistrict=subdistrict).values_list("name", "pk"))
    buildings = {
        (b.estate_id, b.number): b for b in Building.objects.filter(subdistrict=subdistrict).select_related("estate")
    }
    in_scope = None if by is None else set(
        Building.objects.within(scope_of(by)).filter(subdistrict=subdistrict).values_list("pk", flat=True)
    )
    relations = {str(label): value for value, label in Resident.Relation.choices}
    statuses = {str(label): value for value, label in Resident.ResidenceStatus.choices}
    tags = {t.name: t for t in Tag.objects.all()} | {t.code: t for t in Tag.objects.all()}
    index_field = Resident._meta.get_field("id_number_index")

    rows: list[_Row] = []
    first_seen: dict[str, int] = {}
    for offset, raw in enumerate(raw_rows):
        line = offset + 2
        if not any(raw):
            continue
        report.rows += 1
        errors_before = len(report.errors)

        def value(column: str, raw=raw) -> str:
            i = col.get(column)
            return raw[i] if i is not None and i < len(raw) else ""

        def fail(column: str, message: str, line=line) -> None:
            report.errors.append(RowError(line, column, message))

        name = value("姓名")
        if not name:
            fail("姓名", _("姓名不能为空"))
        elif len(name) > 40:
            fail("姓名", _("姓名太长：最多 40 个字"))
        id_number = index = ""
        try:
            id_number = validate_resident_id(value("身份证号"))
            index = index_field.derive(id_number)
            if index in first_seen:
                fail("身份证号", _("与第 %(row)d 行的身份证号重复") % {"row": first_seen[index]})
            else:
                first_seen[index] = line
        except ValidationError as exc:
            fail("身份证号", exc.messages[0])
        phone = value("手机号")
        if phone:
            try:
                phone = validate_mobile(phone)
            except ValidationError as exc:
                fail("手机号", exc.messages[0])
        building = None
        estate_id = estates.get(value("小区"))
        number = _building_number(value("楼号"))
        if estate_id is None:
            fail("小区", _("小区“%(name)s”不在本街道的小区名录中") % {"name": value("小区")})
        elif number is None:
            fail("楼号", _("楼号应为数字，例如 5 或 5号"))
        else:
            building = buildings.get((estate_id, number))
            if building is None:
                fail("楼号", _("%(estate)s没有 %(no)s 号楼") % {"estate": value("小区"), "no": number})
            elif in_scope is not None and building.pk not in in_scope:
                fail("楼号", _("该楼栋不在您的数据范围内"))
        room = value("室号").removesuffix("室")
        if not room or len(room) > 10 or not room.replace("-", "").isalnum():
            fail("室号", _("室号应为 1–10 位数字或字母，例如 301"))
        relation = relations.get(value("与户主关系") or str(Resident.Relation.HEAD.label))
        if relation is None:
            fail("与户主关系", _("与户主关系应为：%(choices)s") % {"choices": "、".join(relations)})
        status = statuses.get(value("人户状态") or str(Resident.ResidenceStatus.BOTH.label))
        if status is None:
            fail("人户状态", _("人户状态应为：%(choices)s") % {"choices": "、".join(statuses)})
        row_tags = []
        for tag_name in filter(None, _TAG_SPLIT.split(value("标签"))):
            tag = tags.get(tag_name)
            if tag is None:
                fail("标签", _("未知标签：%(tag)s") % {"tag": tag_name})
            elif tag.kind == Tag.Kind.DERIVED:
                fail("标签", _("“%(tag)s”由系统自动判定，不需要导入") % {"tag": tag.name})
            else:
                row_tags.append(tag)
        if len(report.errors) == errors_before:
            rows.append(_Row(line, name, id_number, index, phone, building, room, relation, status, row_tags))

    rows = _check_against_registry(rows, report)
    report.valid = len(rows) + report.unchanged
    report.errors.sort(key=lambda e: (e.row, COLUMNS.index(e.column) if e.column in COLUMNS else 99))
    if not dry_run and rows:
        _write(rows, subdistrict=subdistrict, by=by, report=report, filename=filename)
    elif not dry_run:
        audit.record(actor=by or "system", action=AuditAction.IMPORT, subdistrict_id=subdistrict.pk,
                     object_type="registry.resident", detail={"file": filename[:100], **_counts(report)})
    return report


def _counts(report: ImportReport) -> dict:
    return {"rows": report.rows, "valid": report.valid, "errors": len(report.errors),
            "created_households": report.created_households, "created_residents": report.created_residents,
            "unchanged": report.unchanged}


def _check_against_registry(rows: list[_Row], report: ImportReport) -> list[_Row]:
    """Drop rows already registered unchanged; flag people registered elsewhere; keep one head per household."""
    existing: dict[str, tuple[int, str]] = {}
    indexes = [r.index for r in rows]
    for i in range(0, len(indexes), 1000):
        for index, household_id, name in Resident.objects.current().filter(
            id_number_index__in=indexes[i:i + 1000]
        ).values_list("id_number_index", "household_id", "name"):
            existing[index] = (household_id, name)
    building_ids = {r.building.pk for r in rows}
    households = {
        (b, room): pk for pk, b, room in Household.objects.filter(building_id__in=building_ids)
        .values_list("pk", "building_id", "room")
    }
    has_head = set(
        Resident.objects.current().filter(household_id__in=households.values(), relation=Resident.Relation.HEAD)
        .values_list("household_id", flat=True)
    )
    kept: list[_Row] = []
    for r in rows:
        found = existing.get(r.index)
        if found is None:
            kept.append(r)
        elif found == (households.get((r.building.pk, r.room)), r.name):
            report.unchanged += 1
        else:
            message = _("该身份证号已登记为其他户的现住居民；如需换户，请先办理迁出")
            report.errors.append(RowError(r.line, "身份证号", message))
    by_dwelling: dict[tuple[int, str], list[_Row]] = defaultdict(list)
    for r in kept:
        by_dwelling[(r.building.pk, r.room)].append(r)
    valid: list[_Row] = []
    for key, group in by_dwelling.items():
        household_id = households.get(key)
        heads = [r for r in group if r.relation == Resident.Relation.HEAD]
        if household_id in has_head:
            for r in heads:
                report.errors.append(RowError(r.line, "与户主关系", _("该户已有户主")))
            valid += [r for r in group if r.relation != Resident.Relation.HEAD]
        elif not heads:
            for r in group:
                report.errors.append(RowError(r.line, "与户主关系", _("该户还没有户主：请在同一户中填一位“户主”")))
        else:
            for r in heads[1:]:
                message = _("同一户只能有一位户主（第 %(row)d 行已是户主）") % {"row": heads[0].line}
                report.errors.append(RowError(r.line, "与户主关系", message))
            valid += [r for r in group if r is heads[0] or r.relation != Resident.Relation.HEAD]
    return valid


@transaction.atomic
def _write(rows: list[_Row], *, subdistrict: Subdistrict, by: User | None, report: ImportReport, filename: str):
    today = timezone.localdate()
    dwellings = {(r.building.pk, r.room): r.building for r in rows}
    existing = {
        (b, room): pk for pk, b, room in Household.objects.filter(building_id__in={k[0] for k in dwellings})
        .values_list("pk", "building_id", "room")
    }
    new = [
        Household(subdistrict=subdistrict, building=building, room=room, code=f"{building.code}R{room}")
        for (b, room), building in dwellings.items() if (b, room) not in existing
    ]
    Household.objects.bulk_create(new, batch_size=2000)
    report.created_households = len(new)
    existing = {
        (b, room): pk for pk, b, room in Household.objects.filter(building_id__in={k[0] for k in dwellings})
        .values_list("pk", "building_id", "room")
    }
    residents = [
        Resident(
            subdistrict=subdistrict, household_id=existing[(r.building.pk, r.room)], name=r.name,
            id_number=r.id_number, phone=r.phone, sex=sex_from_id(r.id_number),
            birth_date=birth_date_from_id(r.id_number), relation=r.relation, residence_status=r.status,
            moved_in_on=today,
        )
        for r in rows
    ]
    # PostgreSQL returns the new primary keys from bulk_create; SQLite ≥ 3.35 does too.
    Resident.objects.bulk_create(residents, batch_size=2000)
    Residence.objects.bulk_create(
        [Residence(resident=res, household_id=res.household_id, moved_in_on=today, recorded_by=by)
         for res in residents],
        batch_size=5000,
    )
    ResidentTag.objects.bulk_create(
        [ResidentTag(resident=res, tag=tag, added_by=by)
         for res, r in zip(residents, rows, strict=True) for tag in r.tags],
        batch_size=5000,
    )
    report.created_residents = len(residents)
    colours.recompute(household_ids=set(existing.values()))
    audit.record(actor=by or "system", action=AuditAction.IMPORT, subdistrict_id=subdistrict.pk,
                 object_type="registry.resident", detail={"file": filename[:100], **_counts(report)})
