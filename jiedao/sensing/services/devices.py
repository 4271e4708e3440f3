"""设备登记: one device from a form or the API, many from a CSV/XLSX file, through one row check.

The import works like the registry's (core.tables): every row is checked first, every problem reported with
its spreadsheet row and column in Chinese; unless it is a dry run, every valid row is written in one
transaction. A device is known by its code within the subdistrict, so importing the same file again
changes nothing (``unchanged``), and a changed row updates its device (``updated``), keeping its secret.

A device's place is its building (楼栋: code or door-plate address), else its estate (小区), else its
point (经度/纬度), and the 片区, 居委 and grid are copied from whichever is given.
"""

import datetime as dt
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jiedao.core import audit
from jiedao.core.access import ensure_in_scope, ensure_perm
from jiedao.core.models import AuditAction, Department, Subdistrict, User
from jiedao.core.roles import Perm
from jiedao.core.tables import ImportFileError, ImportReport, RowError, Table, read_table
from jiedao.geo.models import Building, Estate, Grid, Unit
from jiedao.sensing.models import Device, DeviceStatus, SensorType
from jiedao.sensing.models.devices import CODE_PATTERN

COLUMNS = ("设备编码", "类型", "名称", "型号", "厂商", "楼栋", "单元", "小区", "安装位置", "经度", "纬度", "安装日期",
           "状态", "责任部门")
REQUIRED = ("设备编码", "类型")
ALIASES = {"设备编码": ("设备编码", "编码", "设备编号", "code"), "类型": ("类型", "感知类型", "设备类型", "type"),
           "楼栋": ("楼栋", "楼栋代码", "地址", "门牌地址")}
MAX_ROWS = 100_000
FIELDS = ("name", "model", "vendor", "building_id", "unit_id", "estate_id", "area_id", "community_id", "grid_id",
          "place", "lat", "lon", "installed_on", "status", "department_id", "offline_minutes")
_SPLIT = re.compile(r"[,，、;；/\s]+")
_STATUS = {**{s.value: s.value for s in DeviceStatus}, **{str(s.label): s.value for s in DeviceStatus}}

__all__ = ["COLUMNS", "DeviceImportReport", "ImportFileError", "import_devices", "read_devices_table",
           "register_device"]


@dataclass
class DeviceImportReport(ImportReport):
    valid: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    to_create: int = 0
    to_update: int = 0
    codes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"rows": self.rows, "valid": self.valid, "errors": [e.as_dict() for e in self.errors],
                "warnings": [w.as_dict() for w in self.warnings], "created": self.created,
                "updated": self.updated, "unchanged": self.unchanged, "to_create": self.to_create,
                "to_update": self.to_update, "dry_run": self.dry_run}


@dataclass
class _Row:
    line: int
    code: str
    types: list[SensorType]
    values: dict


class _Lookups:
    """What rows are checked against, read once per import."""

    def __init__(self, subdistrict: Subdistrict):
        from jiedao.geo.address import address_index
        from jiedao.geo.placement import grid_index

        self.subdistrict = subdistrict
        self.types = {t.code.lower(): t for t in SensorType.objects.all()}
        self.types.update({t.name: t for t in self.types.values()})
        self.buildings = {b.code: b for b in Building.objects.filter(subdistrict=subdistrict)}
        self.by_pk = {b.pk: b for b in self.buildings.values()}
        self.units = {(u.building_id, u.number): u.pk for u in Unit.objects.filter(building__subdistrict=subdistrict)}
        estates = list(Estate.objects.filter(subdistrict=subdistrict).select_related("community"))
        self.estates = {e.code: e for e in estates} | {e.name: e for e in estates}
        self.grids = {g.pk: (g.community_id, g.community.area_id)
                      for g in Grid.objects.filter(subdistrict=subdistrict).select_related("community")}
        departments = list(Department.objects.filter(subdistrict=subdistrict))
        self.departments = {d.code: d.pk for d in departments} | {d.name: d.pk for d in departments}
        self.address_index = address_index(subdistrict.pk)
        self.grid_index = grid_index(subdistrict.pk)


def read_devices_table(data: bytes, filename: str) -> Table:
    columns = {c: ALIASES.get(c, (c,)) for c in COLUMNS}
    return read_table(data, filename, columns=columns, required=REQUIRED, max_rows=MAX_ROWS,
                      missing_message=_("缺少必填列：%(cols)s（设备导入模板的列：%(all)s）").replace(
                          "%(all)s", "、".join(COLUMNS)))


def import_devices(*, data: bytes, filename: str, subdistrict: Subdistrict, by: User | None,
                   dry_run: bool = False, table: Table | None = None) -> DeviceImportReport:
    """Check every row; unless ``dry_run``, create or update every valid row's device in one transaction.
    ``by`` is the admin importing (None: the command line, acting for the whole subdistrict)."""
    if by is not None:
        ensure_perm(by, Perm.MANAGE_SENSING)
        ensure_in_scope(subdistrict, user=by)
    table = table or read_devices_table(data, filename)
    report = DeviceImportReport(dry_run=dry_run)
    lookups = _Lookups(subdistrict)
    rows: list[_Row] = []
    seen: dict[str, int] = {}
    for line, cells in table.numbered_rows():
        report.rows += 1
        cell = {c: table.value(cells, c).strip() for c in COLUMNS}
        errors: list[RowError] = []
        row = _check_row(line, cell, lookups, errors, report.warnings)
        if row is not None and row.code in seen:
            errors.append(RowError(line, "设备编码", _("与第 %(n)s 行的设备编码重复") % {"n": seen[row.code]}))
        if errors:
            report.errors += errors
            continue
        seen[row.code] = line
        rows.append(row)
    existing = {d.code: d for d in Device.objects.filter(subdistrict=subdistrict, code__in=list(seen))
                .prefetch_related("types")}
    plan_create, plan_update = [], []
    for row in rows:
        device = existing.get(row.code)
        if device is None:
            plan_create.append(row)
        elif _differs(device, row):
            plan_update.append((device, row))
        else:
            report.unchanged += 1
    report.valid = len(rows)
    report.to_create, report.to_update = len(plan_create), len(plan_update)
    report.sort(COLUMNS)
    if dry_run:
        return report
    with transaction.atomic():
        created = Device.objects.bulk_create([
            Device(subdistrict=subdistrict, code=row.code, **row.values) for row in plan_create], batch_size=2000)
        through = Device.types.through
        links = [through(device_id=d.pk, sensortype_id=t.pk) for d, row in zip(created, plan_create, strict=True)
                 for t in row.types]
        for device, row in plan_update:
            for name, value in row.values.items():
                setattr(device, name, value)
        if plan_update:
            Device.objects.bulk_update([d for d, _row in plan_update], list(FIELDS), batch_size=2000)
            through.objects.filter(device_id__in=[d.pk for d, _row in plan_update]).delete()
            links += [through(device_id=d.pk, sensortype_id=t.pk) for d, row in plan_update for t in row.types]
        through.objects.bulk_create(links, batch_size=5000)
        report.created, report.updated = len(created), len(plan_update)
        audit.record(actor=by or "jiedao import-devices", action=AuditAction.IMPORT, obj=subdistrict,
                     object_type="sensing.device", detail={"file": filename[:100], "created": report.created,
                                                           "updated": report.updated, "errors": len(report.errors)})
    from jiedao.sensing.services import directory

    directory.clear()  # bulk writes send no signals
    return report


def register_device(*, subdistrict: Subdistrict, by: User, code: str, types: list[str], **fields) -> Device:
    """Register (or update) one device; ``fields`` are named like the import's columns in English:
    name, model, vendor, building (code or address), unit, estate, place, lon, lat, installed_on, status,
    department. A ValidationError names every wrong field."""
    ensure_perm(by, Perm.MANAGE_SENSING)
    ensure_in_scope(subdistrict, user=by)
    names = {"name": "名称", "model": "型号", "vendor": "厂商", "building": "楼栋", "unit": "单元", "estate": "小区",
             "place": "安装位置", "lon": "经度", "lat": "纬度", "installed_on": "安装日期", "status": "状态",
             "department": "责任部门"}
    unknown = set(fields) - set(names)
    if unknown:
        raise ValidationError(_("未知的字段：%(f)s") % {"f": "、".join(sorted(unknown))})
    cell = {c: "" for c in COLUMNS}
    cell.update({names[k]: "" if v is None else str(v).strip() for k, v in fields.items()})
    cell["设备编码"], cell["类型"] = str(code or "").strip(), "、".join(types or [])
    errors: list[RowError] = []
    row = _check_row(1, cell, _Lookups(subdistrict), errors, [])
    if errors:
        english = {v: k for k, v in names.items()} | {"设备编码": "code", "类型": "types"}
        raise ValidationError({english.get(e.column, e.column): e.message for e in errors})
    with transaction.atomic():
        device = Device.objects.filter(subdistrict=subdistrict, code=row.code).first()
        created = device is None
        device = device or Device(subdistrict=subdistrict, code=row.code)
        for name, value in row.values.items():
            setattr(device, name, value)
        device.save()
        device.types.set(row.types)
        audit.record(actor=by, action=AuditAction.CREATE if created else AuditAction.UPDATE, obj=device)
    return device


def _differs(device: Device, row: _Row) -> bool:
    if {t.pk for t in device.types.all()} != {t.pk for t in row.types}:
        return True
    return any(getattr(device, name) != value for name, value in row.values.items())


def _check_row(line: int, cell: dict, lk: _Lookups, errors: list[RowError], warnings: list[RowError]) -> _Row | None:
    from jiedao.geo.placement import validate_lonlat

    def error(column: str, message: str) -> None:
        errors.append(RowError(line, column, message))

    code = cell["设备编码"]
    if not code:
        error("设备编码", _("设备编码不能为空"))
    elif not re.match(CODE_PATTERN, code):
        error("设备编码", _("设备编码只能由字母、数字和 _ . - 组成，最长 40 位"))
    types = []
    for word in filter(None, _SPLIT.split(cell["类型"])):
        found = lk.types.get(word.lower()) or lk.types.get(word)
        if found is None:
            error("类型", _("未知的类型：%(t)s（可用：%(codes)s）") % {
                "t": word, "codes": ", ".join(sorted(k for k in lk.types if k.isascii()))})
        elif found not in types:
            types.append(found)
    if not cell["类型"]:
        error("类型", _("类型不能为空"))
    values = {"name": cell["名称"][:60], "model": cell["型号"][:40], "vendor": cell["厂商"][:40],
              "place": cell["安装位置"][:100], "building_id": None, "unit_id": None, "estate_id": None,
              "area_id": None, "community_id": None, "grid_id": None, "lat": None, "lon": None}
    building = None
    if cell["楼栋"]:
        building = lk.buildings.get(cell["楼栋"])
        if building is None:
            building = lk.by_pk.get(lk.address_index.parse_and_resolve(cell["楼栋"])[1])
        if building is None:
            error("楼栋", _("找不到楼栋：%(b)s（填楼栋代码或门牌地址，如 兰溪路200弄5号）") % {"b": cell["楼栋"]})
    if cell["单元"]:
        number = cell["单元"].removesuffix("单元")
        unit = lk.units.get((building.pk, int(number))) if building and number.isdigit() else None
        if unit is None and building is not None:
            error("单元", _("该楼栋没有 %(u)s 单元") % {"u": cell["单元"]})
        values["unit_id"] = unit
    estate = None
    if cell["小区"]:
        estate = lk.estates.get(cell["小区"])
        if estate is None:
            error("小区", _("找不到小区：%(e)s") % {"e": cell["小区"]})
    point = None
    if cell["经度"] or cell["纬度"]:
        try:
            point = validate_lonlat(cell["经度"], cell["纬度"])
        except ValidationError as exc:
            error("经度" if not cell["经度"] else "纬度", exc.messages[0])
    if not (cell["楼栋"] or cell["小区"] or cell["经度"] or cell["纬度"]):
        error("楼栋", _("请填写楼栋、小区或经纬度中的至少一项（设备的位置）"))
    if building is not None:
        values.update(building_id=building.pk, estate_id=building.estate_id, community_id=building.community_id,
                      grid_id=building.grid_id, lat=building.lat, lon=building.lon)
        values["area_id"] = lk.grids.get(building.grid_id, (None, None))[1]
    elif estate is not None:
        values.update(estate_id=estate.pk, community_id=estate.community_id, area_id=estate.community.area_id)
    if point is not None:
        values["lon"], values["lat"] = point
        grid_id = lk.grid_index.place_one(*point)
        if grid_id is None:
            warnings.append(RowError(line, "经度", _("坐标不在本街道的任何网格内")))
        elif building is None:
            community_id, area_id = lk.grids[grid_id]
            values.update(grid_id=grid_id, community_id=community_id, area_id=area_id)
    values["installed_on"] = None
    if cell["安装日期"]:
        try:
            values["installed_on"] = dt.date.fromisoformat(cell["安装日期"][:10].replace("/", "-"))
        except ValueError:
            error("安装日期", _("日期格式应为 2024-03-01"))
    values["status"] = _STATUS.get(cell["状态"] or DeviceStatus.ACTIVE)
    if values["status"] is None:
        error("状态", _("状态应为 在用、维修中 或 已停用"))
    values["department_id"] = None
    if cell["责任部门"]:
        values["department_id"] = lk.departments.get(cell["责任部门"])
        if values["department_id"] is None:
            error("责任部门", _("找不到部门：%(d)s") % {"d": cell["责任部门"]})
    values["offline_minutes"] = max((t.offline_minutes for t in types), default=30)
    if errors:
        return None
    return _Row(line, code, types, values)
