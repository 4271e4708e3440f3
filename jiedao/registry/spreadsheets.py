"""XLSX files the registry hands out: the import template, the error file of an import, exports."""

import io

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from jiedao.core.crypto import mask_id_number, mask_phone
from jiedao.registry.importer import COLUMNS, REQUIRED, ImportReport
from jiedao.registry.models import Resident, Tag

_BOLD = Font(bold=True)
_RED = PatternFill("solid", fgColor="FDE2E1")


def _save(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def import_template() -> bytes:
    """导入模板: the columns, one example row, and a sheet listing the allowed values."""
    wb = Workbook()
    ws = wb.active
    ws.title = "居民"
    ws.append(list(COLUMNS))
    for cell in ws[1]:
        cell.font = _BOLD
    ws.append(["张三（示例，导入前删除）", "11010519491231002X", "13800138000", "曹杨一村", "5", "301", "户主",
               "人户一致", "退役军人"])
    notes = wb.create_sheet("说明")
    notes.append(["必填列", "、".join(REQUIRED)])
    notes.append(["与户主关系", "、".join(str(label) for _, label in Resident.Relation.choices)])
    notes.append(["人户状态", "、".join(str(label) for _, label in Resident.ResidenceStatus.choices)])
    for label, kind in (("标签（多个用顿号分隔）", Tag.Kind.ENTERED), ("自动判定的标签（不需导入）", Tag.Kind.DERIVED)):
        notes.append([label, "、".join(Tag.objects.filter(kind=kind).values_list("name", flat=True))])
    return _save(wb)


def error_file(header: list[str], rows: list[list[str]], report: ImportReport) -> bytes:
    """The rows that failed, as uploaded, with a 错误 column naming every problem."""
    problems: dict[int, list[str]] = {}
    for e in report.errors:
        problems.setdefault(e.row, []).append(f"[{e.column}] {e.message}")
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("错误行")
    ws.append(["行号", *header, "错误"])
    for line, messages in sorted(problems.items()):
        ws.append([line, *rows[line - 2], "；".join(messages)])
    return _save(wb)


def export_residents(residents) -> bytes:
    """导出: current residents with masked ID numbers and phones (plain values are only ever revealed one by one)."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("居民")
    ws.append(["姓名", "身份证号", "手机号", "性别", "出生日期", "居委会", "地址", "室号", "与户主关系", "人户状态",
               "分色", "分色依据"])
    for r in residents.select_related("household__building__road", "household__building__community").iterator(
        chunk_size=2000
    ):
        b = r.household.building
        ws.append([
            r.name, mask_id_number(r.id_number), mask_phone(r.phone), r.get_sex_display(), r.birth_date,
            b.community.name, b.address, r.household.room, r.get_relation_display(), r.get_residence_status_display(),
            r.get_care_colour_display() if r.care_colour else "", r.care_reason,
        ])
    return _save(wb)
