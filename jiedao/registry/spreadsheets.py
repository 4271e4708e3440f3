"""XLSX files the registry hands out, written by core.tables: the import template and the export.
(The error file of an import is the report's: ``ImportReport.error_file``.)"""

from openpyxl.styles import Font

from jiedao.core.crypto import mask_id_number, mask_phone
from jiedao.core.tables import XlsxWriter
from jiedao.registry.importer import COLUMNS, REQUIRED
from jiedao.registry.models import Resident, Tag

_BOLD = Font(bold=True)


def import_template() -> bytes:
    """导入模板: the columns, one example row, and a sheet listing the allowed values."""
    book = XlsxWriter()
    ws = book.sheet("居民")
    ws.append(list(COLUMNS), font=_BOLD)
    ws.append(["张三（示例，导入前删除）", "11010519491231002X", "13800138000", "曹杨一村", "5", "301", "户主",
               "人户一致", "退役军人"])
    notes = book.sheet("说明")
    notes.append(["必填列", "、".join(REQUIRED)])
    notes.append(["与户主关系", "、".join(str(label) for _, label in Resident.Relation.choices)])
    notes.append(["人户状态", "、".join(str(label) for _, label in Resident.ResidenceStatus.choices)])
    for label, kind in (("标签（多个用顿号分隔）", Tag.Kind.ENTERED), ("自动判定的标签（不需导入）", Tag.Kind.DERIVED)):
        notes.append([label, "、".join(Tag.objects.filter(kind=kind).values_list("name", flat=True))])
    return book.to_bytes()


def export_residents(residents) -> bytes:
    """导出: current residents with masked ID numbers and phones (plain values are only ever revealed one by one)."""
    book = XlsxWriter(streaming=True)
    ws = book.sheet("居民")
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
    return book.to_bytes()
