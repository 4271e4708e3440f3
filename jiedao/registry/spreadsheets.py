"""XLSX files the registry hands out, written by core.tables: the import template and the export.
(The error file of an import is the report's: ``ImportReport.error_file``.)"""

from collections import defaultdict
from collections.abc import Callable

from django.conf import settings
from django.utils import translation
from openpyxl.styles import Font

from jiedao.core.crypto import mask_id_number, mask_phone
from jiedao.core.tables import XlsxWriter
from jiedao.geo.models import Building
from jiedao.registry.importer import ADDRESS, COLUMNS, REQUIRED
from jiedao.registry.models import CareColour, Resident, ResidentTag, Tag

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


EXPORT_COLUMNS = (*COLUMNS, ADDRESS, "居委会", "性别", "出生日期", "分色", "分色依据")
EXPORT_CHUNK = 2000
_EXPORTED = ("pk", "name", "id_number", "phone", "sex", "birth_date", "relation", "residence_status", "care_colour",
             "care_reason", "household__room", "household__building_id")


def export_residents(residents, *, progress: Callable[[int], None] | None = None) -> bytes:
    """导出: residents with masked ID numbers and phones (plain values are only ever revealed one by one).

    The columns start with the import's, so an export is an import file: its rows name people already
    registered (``importer``: masked rows are checked, never written) and rows added to it with full ID
    numbers are registered. Labels are written in Chinese, the files' language, whatever the reader's.
    ``progress`` is called with the number of rows written so far, once per chunk.
    """
    book = XlsxWriter(streaming=True)
    ws = book.sheet("居民")
    ws.append(list(EXPORT_COLUMNS))
    # Buildings once (a subdistrict has about 2,000), not joined to each of 100,000 rows with their outlines.
    buildings = {
        b.pk: b for b in Building.objects.filter(pk__in=residents.values("household__building_id"))
        .select_related("road", "estate", "community").only(
            "number", "lane", "road__name", "estate__name", "community__name")
    }
    # The rows are read a chunk at a time by primary key, in the search's order, rather than through one open
    # cursor: ``progress`` writes between chunks, which SQLite refuses to a connection holding a read open.
    order = list(residents.values_list("pk", flat=True))
    with translation.override(settings.LANGUAGE_CODE):  # labels looked up once, not per row
        sex, relation, status, colour = (
            {value: str(label) for value, label in choices.choices}
            for choices in (Resident.Sex, Resident.Relation, Resident.ResidenceStatus, CareColour)
        )
    done = 0
    for start in range(0, len(order), EXPORT_CHUNK):
        chunk = order[start:start + EXPORT_CHUNK]
        found = {row[0]: row for row in residents.filter(pk__in=chunk).order_by().values_list(*_EXPORTED)}
        tags: dict[int, list[str]] = defaultdict(list)
        for resident_id, name in ResidentTag.objects.filter(resident_id__in=chunk).order_by(
            "tag__order", "tag__code"
        ).values_list("resident_id", "tag__name"):
            tags[resident_id].append(name)
        for pk in chunk:
            if pk not in found:
                continue
            (_pk, name, id_number, phone, sex_, birth, relation_, status_, colour_, reason, room,
             building_id) = found[pk]
            b = buildings[building_id]
            ws.append([
                name, mask_id_number(id_number), mask_phone(phone), b.estate.name, b.number, room,
                relation.get(relation_, relation_), status.get(status_, ""), "、".join(tags.get(pk, ())),
                b.address, b.community.name, sex.get(sex_, ""), birth, colour[colour_] if colour_ else "", reason,
            ])
            done += 1
        if progress is not None:
            progress(done)
    return book.to_bytes()
