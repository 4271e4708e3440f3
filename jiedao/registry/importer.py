"""Import residents from XLSX / CSV (批量导入): validate every row first, then write all valid rows in one
transaction. Re-importing the same file changes nothing: a row whose person is already registered in the
same household under the same name is "unchanged", not an error.

The registry's own export is an import file too: it carries the same columns (小区, 楼号, 室号, and 地址 to
tell apart two buildings of an estate with the same number) with masked ID numbers and phones. A row with a
masked ID number (3101**********1234) can only name someone already registered: it is "unchanged" when the
household has a current resident of that name whose number masks the same way, and an error otherwise.

Row numbers in reports are the spreadsheet's (header = row 1). Messages never repeat the ID number.
"""

import hashlib
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jiedao.core import audit
from jiedao.core.access import ensure_perm
from jiedao.core.crypto import mask_id_number
from jiedao.core.models import AuditAction, Subdistrict, User
from jiedao.core.roles import Perm
from jiedao.core.scope import scope_of
from jiedao.core.tables import ImportFileError, ImportReport, RowError, Table, read_table
from jiedao.core.validators import birth_date_from_id, sex_from_id, validate_mobile, validate_resident_id
from jiedao.geo.models import Building, Estate
from jiedao.registry import colours
from jiedao.registry.models import Household, Residence, Resident, ResidentTag, Tag

__all__ = [
    "ADDRESS", "COLUMNS", "MAX_ROWS", "REQUIRED", "AlreadyClaimed", "ImportFileError", "PlanChanged",
    "ResidentImportReport", "import_residents", "read_residents_table",
]

COLUMNS = ("姓名", "身份证号", "手机号", "小区", "楼号", "室号", "与户主关系", "人户状态", "标签")
REQUIRED = ("姓名", "身份证号", "小区", "楼号", "室号")
# Read when present (the export has it): the building's address, to choose between two buildings of an
# estate that share a number.
ADDRESS = "地址"
MAX_ROWS = 200_000
_TAG_SPLIT = re.compile(r"[,，、;；\s]+")
_BUILDING_NO = re.compile(r"^(\d+(?:-\d+)?)\s*(?:号楼|号|幢|栋|楼)?$")
# What core.crypto's masks look like in an exported file.
MASKED_ID = re.compile(r"^\d{4}\*{10}\d{3}[\dXx]$")
MASKED_PHONE = re.compile(r"^\d{3}\*+\d{4}$")


class AlreadyClaimed(Exception):
    """The write's ``claim`` said no: another request has imported this file already."""


class PlanChanged(Exception):
    """The rows an import would write are no longer the ones its check found (the registry changed in
    between); ``report`` is the new check, nothing was written."""

    def __init__(self, report: "ResidentImportReport"):
        super().__init__("plan changed")
        self.report = report


@dataclass
class ResidentImportReport(ImportReport):
    valid: int = 0
    created_households: int = 0
    created_residents: int = 0
    unchanged: int = 0
    dry_run: bool = True
    # What a write would register, known after the check (equal to created_* once written).
    to_create_households: int = 0
    to_create_residents: int = 0
    # A digest of the rows a write would register: a confirmed import writes only the plan it was shown.
    plan: str = ""

    def as_dict(self) -> dict:
        return {
            "rows": self.rows, "valid": self.valid, "errors": [e.as_dict() for e in self.errors],
            "created_households": self.created_households, "created_residents": self.created_residents,
            "unchanged": self.unchanged, "dry_run": self.dry_run,
            "to_create_households": self.to_create_households, "to_create_residents": self.to_create_residents,
            "plan": self.plan,
        }


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
    masked: bool = False  # an exported row: the ID number is masked, the person must already be registered


def read_residents_table(data: bytes, filename: str) -> Table:
    """The uploaded file's first sheet with the import's columns found (ImportFileError if it cannot be used)."""
    return read_table(
        data, filename, columns={c: (c,) for c in (*COLUMNS, ADDRESS)}, required=REQUIRED, max_rows=MAX_ROWS,
        missing_message=_("缺少必填列：%(cols)s（模板见“下载模板”）"),
    )


def import_residents(
    *, data: bytes, filename: str, subdistrict: Subdistrict, by: User | None, dry_run: bool = False,
    table: Table | None = None, expect_plan: str | None = None, claim: Callable[[], bool] | None = None,
) -> ResidentImportReport:
    """Validate every row; unless ``dry_run``, write every valid row in one transaction.

    ``by`` is the worker importing (their role must allow editing, and rows may only name buildings in
    their scope), or None for the command line, which acts for the whole subdistrict. With ``expect_plan``
    (the ``plan`` of an earlier check of the same file) nothing is written unless the rows to write are
    still exactly those: PlanChanged carries the new check otherwise. ``claim`` is called inside the write's
    transaction before anything is written; when it answers False nothing is written (AlreadyClaimed).
    ``table`` is the file already read by ``read_residents_table``.
    """
    if by is not None:
        ensure_perm(by, Perm.EDIT_REGISTRY)
    table = table or read_residents_table(data, filename)
    report = ResidentImportReport(dry_run=dry_run)
    rows = _validate_rows(table, report, _Lookups.load(subdistrict=subdistrict, by=by))
    rows, dwellings = _check_against_registry(rows, report)
    report.valid = len(rows) + report.unchanged
    report.to_create_residents = len(rows)
    report.to_create_households = len({(r.building.pk, r.room) for r in rows} - set(dwellings))
    report.plan = hashlib.sha256(",".join(str(r.line) for r in rows).encode()).hexdigest()[:32]
    report.sort(COLUMNS)
    if not dry_run and expect_plan is not None and report.plan != expect_plan:
        report.dry_run = True
        raise PlanChanged(report)
    if dry_run:
        return report
    with transaction.atomic():
        if claim is not None and not claim():
            raise AlreadyClaimed
        if rows:
            _write(rows, subdistrict=subdistrict, by=by, report=report, filename=filename)
        else:
            _record(report, subdistrict=subdistrict, by=by, filename=filename)
    return report


@dataclass
class _Lookups:
    """What rows are checked against, loaded once per import."""

    estates: dict[str, int]  # name → pk
    buildings: dict[tuple[int, str], list[Building]]  # (estate pk, number) → its buildings (usually one)
    in_scope: set[int] | None  # pks of the buildings the worker may import into; None: all
    relations: dict[str, str]  # label → value
    statuses: dict[str, str]
    tags: dict[str, Tag]  # name or code → tag
    first_seen: dict[str, int] = field(default_factory=dict)  # ID number's blind index → first row with it

    @classmethod
    def load(cls, *, subdistrict: Subdistrict, by: User | None) -> "_Lookups":
        all_tags = list(Tag.objects.all())
        buildings: dict[tuple[int, str], list[Building]] = defaultdict(list)
        for b in Building.objects.filter(subdistrict=subdistrict).select_related("road"):
            buildings[(b.estate_id, b.number)].append(b)
        return cls(
            estates=dict(Estate.objects.filter(subdistrict=subdistrict).values_list("name", "pk")),
            buildings=dict(buildings),
            in_scope=None if by is None else set(
                Building.objects.within(scope_of(by)).filter(subdistrict=subdistrict).values_list("pk", flat=True)
            ),
            relations=_labels(Resident.Relation),
            statuses=_labels(Resident.ResidenceStatus),
            tags={t.name: t for t in all_tags} | {t.code: t for t in all_tags},
        )


def _labels(choices) -> dict[str, str]:
    """Label → value of a TextChoices, in Chinese: the files' language whatever the reader's."""
    with translation.override(settings.LANGUAGE_CODE):
        return {str(label): value for value, label in choices.choices}


def _choice(text: str, labels: dict[str, str], *, default: str) -> str | None:
    """The value a label names; ``default`` for an empty cell, None for a label that is not a choice."""
    return labels.get(text) if text else default


def _validate_rows(table: Table, report: ResidentImportReport, lookups: _Lookups) -> list[_Row]:
    """The rows with no error; every problem goes into the report."""
    index_field = Resident._meta.get_field("id_number_index")
    rows: list[_Row] = []
    for line, raw in table.numbered_rows():
        report.rows += 1
        errors_before = len(report.errors)

        def value(column: str, raw=raw) -> str:
            return table.value(raw, column)

        def fail(column: str, message: str, line=line) -> None:
            report.errors.append(RowError(line, column, message))

        name = _name(value("姓名"), fail)
        masked = bool(MASKED_ID.match(value("身份证号")))
        if masked:
            id_number, index = value("身份证号").upper(), ""
        else:
            id_number, index = _id_number(value("身份证号"), fail, line=line, lookups=lookups,
                                          index_field=index_field)
        phone = _phone(value("手机号"), fail, masked_row=masked)
        building = _building(value("小区"), value("楼号"), value(ADDRESS), fail, lookups=lookups)
        room = _room(value("室号"), fail)
        relation = _choice(value("与户主关系"), lookups.relations, default=Resident.Relation.HEAD)
        if relation is None:
            fail("与户主关系", _("与户主关系应为：%(choices)s") % {"choices": "、".join(lookups.relations)})
        status = _choice(value("人户状态"), lookups.statuses, default=Resident.ResidenceStatus.BOTH)
        if status is None:
            fail("人户状态", _("人户状态应为：%(choices)s") % {"choices": "、".join(lookups.statuses)})
        row_tags = _tags(value("标签"), fail, lookups=lookups)
        if len(report.errors) == errors_before:
            rows.append(_Row(line, name, id_number, index, phone, building, room, relation, status, row_tags, masked))
    return rows


def _name(name: str, fail) -> str:
    if not name:
        fail("姓名", _("姓名不能为空"))
    elif len(name) > 40:
        fail("姓名", _("姓名太长：最多 40 个字"))
    return name


def _id_number(text: str, fail, *, line: int, lookups: _Lookups, index_field) -> tuple[str, str]:
    """(ID number, its blind index); a number seen in an earlier row of the file is an error."""
    id_number = index = ""
    try:
        id_number = validate_resident_id(text)
        index = index_field.derive(id_number)
        if index in lookups.first_seen:
            fail("身份证号", _("与第 %(row)d 行的身份证号重复") % {"row": lookups.first_seen[index]})
        else:
            lookups.first_seen[index] = line
    except ValidationError as exc:
        fail("身份证号", exc.messages[0])
    return id_number, index


def _phone(phone: str, fail, *, masked_row: bool) -> str:
    if MASKED_PHONE.match(phone):
        if not masked_row:  # an exported row names someone registered, whose phone stays as it is
            fail("手机号", _("手机号是脱敏后的样式：新登记的居民请填写完整手机号或留空"))
        return ""
    if phone:
        try:
            phone = validate_mobile(phone)
        except ValidationError as exc:
            fail("手机号", exc.messages[0])
    return phone


def _building(estate_name: str, number_text: str, address: str, fail, *, lookups: _Lookups) -> Building | None:
    """The building named by 小区 and 楼号 (and 地址 where the estate has two with that number), if it exists
    and is in the worker's scope."""
    estate_id = lookups.estates.get(estate_name)
    number = _building_number(number_text)
    if estate_id is None:
        fail("小区", _("小区“%(name)s”不在本街道的小区名录中") % {"name": estate_name})
        return None
    if number is None:
        fail("楼号", _("楼号应为数字，例如 5 或 5号"))
        return None
    candidates = lookups.buildings.get((estate_id, number), [])
    if len(candidates) > 1:
        compact = address.replace(" ", "")
        candidates = [b for b in candidates if compact and compact.startswith(b.address)]
        if len(candidates) != 1:
            fail(ADDRESS, _("%(estate)s有多栋 %(no)s 号楼：请在“地址”列填写路名和门牌，例如 %(example)s")
                 % {"estate": estate_name, "no": number, "example": lookups.buildings[(estate_id, number)][0].address})
            return None
    building = candidates[0] if candidates else None
    if building is None:
        fail("楼号", _("%(estate)s没有 %(no)s 号楼") % {"estate": estate_name, "no": number})
    elif lookups.in_scope is not None and building.pk not in lookups.in_scope:
        fail("楼号", _("该楼栋不在您的数据范围内"))
    return building


def _room(text: str, fail) -> str:
    room = text.removesuffix("室")
    if not room or len(room) > 10 or not room.replace("-", "").isalnum():
        fail("室号", _("室号应为 1–10 位数字或字母，例如 301"))
    return room


def _tags(text: str, fail, *, lookups: _Lookups) -> list[Tag]:
    """The entered tags named in 标签; derived tags (decided by the system) are refused. A "/" separates
    tags too, except inside a tag's own name (失能/失智)."""
    names = []
    for part in filter(None, _TAG_SPLIT.split(text)):
        names += [part] if part in lookups.tags else [p for p in part.split("/") if p]
    row_tags = []
    for tag_name in names:
        tag = lookups.tags.get(tag_name)
        if tag is None:
            fail("标签", _("未知标签：%(tag)s") % {"tag": tag_name})
        elif tag.kind == Tag.Kind.DERIVED:
            fail("标签", _("“%(tag)s”由系统自动判定，不需要导入") % {"tag": tag.name})
        else:
            row_tags.append(tag)
    return row_tags


def _record(report: ResidentImportReport, *, subdistrict: Subdistrict, by: User | None, filename: str) -> None:
    audit.record(actor=by or "system", action=AuditAction.IMPORT, subdistrict_id=subdistrict.pk,
                 object_type="registry.resident", detail={"file": filename[:100], **_counts(report)})


def _counts(report: ResidentImportReport) -> dict:
    return {"rows": report.rows, "valid": report.valid, "errors": len(report.errors),
            "created_households": report.created_households, "created_residents": report.created_residents,
            "unchanged": report.unchanged}


def _dwellings(rows: list[_Row]) -> dict[tuple[int, str], int]:
    """(building pk, room) → household pk, for the households already registered at the rows' dwellings."""
    return {
        (b, room): pk for pk, b, room in Household.objects.filter(building_id__in={r.building.pk for r in rows})
        .values_list("pk", "building_id", "room")
    }


def _match_masked(rows: list[_Row], report: ResidentImportReport) -> None:
    """Exported rows: each must name a current resident of its household (same name, same masked number)."""
    if not rows:
        return
    households = _dwellings(rows)
    registered: dict[tuple[int, str], set[str]] = defaultdict(set)
    for household_id, name, id_number in Resident.objects.current().filter(
        household_id__in=households.values()
    ).values_list("household_id", "name", "id_number"):
        registered[(household_id, name)].add(mask_id_number(id_number))
    for r in rows:
        household_id = households.get((r.building.pk, r.room))
        if r.id_number in registered.get((household_id, r.name), ()):
            report.unchanged += 1
        else:
            report.errors.append(RowError(r.line, "身份证号", _(
                "身份证号已脱敏，只能用来核对已登记的居民，但本户没有姓名和身份证号都相符的现住居民；"
                "新登记请填写完整的身份证号"
            )))


def _check_against_registry(
    rows: list[_Row], report: ResidentImportReport
) -> tuple[list[_Row], dict[tuple[int, str], int]]:
    """Drop rows already registered unchanged; flag people registered elsewhere; keep one head per household.
    Returns the rows to write and the households already at their dwellings."""
    _match_masked([r for r in rows if r.masked], report)
    rows = [r for r in rows if not r.masked]
    existing: dict[str, tuple[int, str]] = {}
    indexes = [r.index for r in rows]
    for i in range(0, len(indexes), 1000):
        for index, household_id, name in Resident.objects.current().filter(
            id_number_index__in=indexes[i:i + 1000]
        ).values_list("id_number_index", "household_id", "name"):
            existing[index] = (household_id, name)
    households = _dwellings(rows)
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
    valid.sort(key=lambda r: r.line)
    return valid, households


@transaction.atomic
def _write(rows: list[_Row], *, subdistrict: Subdistrict, by: User | None, report: ResidentImportReport, filename: str):
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
    _record(report, subdistrict=subdistrict, by=by, filename=filename)
