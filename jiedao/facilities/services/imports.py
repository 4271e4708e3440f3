"""Import facilities from CSV / XLSX (设施批量导入): every row checked first, every problem named by its row
and column, then all valid rows written in one transaction.

A row names a facility by its type and name: one already registered under that type and name is updated
(or "unchanged" when nothing differs), so importing the same file twice changes nothing. Columns:
类型 (code, name or another name of the type), 名称, 地址, 经度, 纬度 (WGS84), 容量, 开放时间, 运营方,
状态 (规划中 / 运营中 / 已关闭; empty: 运营中), 启用日期, 关闭日期, 备注.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jiedao.core import audit
from jiedao.core.models import AuditAction, Subdistrict, User
from jiedao.core.tables import ImportFileError, ImportReport, RowError, Table, read_table
from jiedao.facilities.engine import engine_for
from jiedao.facilities.models import AccessSettings, Facility, FacilityType
from jiedao.facilities.services.access import refresh_access
from jiedao.facilities.services.register import can_manage, check_position
from jiedao.geo.models import Grid
from jiedao.geo.placement import grid_index

COLUMNS = ("类型", "名称", "地址", "经度", "纬度", "容量", "开放时间", "运营方", "状态", "启用日期", "关闭日期", "备注")
REQUIRED = ("类型", "名称", "经度", "纬度")
HEADERS = {c: (c,) for c in COLUMNS} | {"经度": ("经度", "lon", "lng"), "纬度": ("纬度", "lat"),
                                       "名称": ("名称", "设施名称"), "类型": ("类型", "设施类型")}
MAX_ROWS = 20_000
STATUS_WORDS = {
    "规划中": Facility.Status.PLANNED, "规划": Facility.Status.PLANNED, "planned": Facility.Status.PLANNED,
    "运营中": Facility.Status.OPEN, "运营": Facility.Status.OPEN, "开放": Facility.Status.OPEN,
    "open": Facility.Status.OPEN,
    "已关闭": Facility.Status.CLOSED, "关闭": Facility.Status.CLOSED, "closed": Facility.Status.CLOSED,
}
FIELDS = ("address", "lon", "lat", "capacity", "opening_hours", "operator", "status", "opened_on", "closed_on", "note")


@dataclass
class FacilityImportReport(ImportReport):
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    valid: int = 0
    dry_run: bool = True
    rows_to_write: list = field(default_factory=list, repr=False)

    def as_dict(self) -> dict:
        return {"rows": self.rows, "valid": self.valid, "created": self.created, "updated": self.updated,
                "unchanged": self.unchanged, "dry_run": self.dry_run,
                "errors": [e.as_dict() for e in self.errors], "warnings": [w.as_dict() for w in self.warnings]}


def read_facilities_table(data: bytes, filename: str) -> Table:
    return read_table(data, filename, columns=HEADERS, required=REQUIRED, max_rows=MAX_ROWS, header_search_rows=5,
                      missing_message=_("缺少必填列：%(cols)s（模板见“下载模板”）"))


def _types() -> dict[str, FacilityType]:
    out = {}
    for t in FacilityType.objects.all():
        for name in (t.code, t.name, *t.aliases):
            out.setdefault(str(name).strip(), t)
    return out


def _date(text: str, column: str, fail) -> dt.date | None:
    if not text:
        return None
    text = text.replace("/", "-").replace(".", "-").replace("年", "-").replace("月", "-").removesuffix("日")
    text = text.split(" ")[0].split("T")[0]
    try:
        return dt.date.fromisoformat("-".join(p.zfill(2) for p in text.split("-")))
    except ValueError:
        fail(column, _("日期应写成 2024-05-01"))
        return None


def import_facilities(*, data: bytes, filename: str, subdistrict: Subdistrict, by: User | None,
                      dry_run: bool = False) -> FacilityImportReport:
    """Check every row; unless ``dry_run``, write every valid row (one transaction) and refresh the stored
    distances. ``by`` None is the command line. Raises ImportFileError for a file that cannot be used."""
    can_manage(by)
    table = read_facilities_table(data, filename)
    report = FacilityImportReport(dry_run=dry_run)
    types = _types()
    existing = {(f.type_id, f.name): f for f in Facility.objects.filter(subdistrict=subdistrict).select_related("type")}
    first_seen: dict[tuple[int, str], int] = {}
    max_connector = AccessSettings.for_subdistrict(subdistrict.pk).max_connector_m
    network = engine_for(subdistrict.pk).base
    placed: list[tuple[int, float, float]] = []
    for line, raw in table.numbered_rows():
        report.rows += 1
        errors_before = len(report.errors)

        def value(column: str, raw=raw) -> str:
            return table.value(raw, column)

        def fail(column: str, message: str, line=line) -> None:
            report.errors.append(RowError(line, column, message))

        def warn(column: str, message: str, line=line) -> None:
            report.warnings.append(RowError(line, column, message))

        facility_type = types.get(value("类型"))
        if facility_type is None:
            fail("类型", _("未知的设施类型“%(type)s”：请填写设施类型表中的名称，例如 社区助餐点")
                 % {"type": value("类型")} if value("类型") else _("类型不能为空"))
        name = value("名称")
        if not name or len(name) > 100:
            fail("名称", _("名称不能为空，最多 100 个字"))
        elif facility_type is not None:
            key = (facility_type.pk, name)
            if key in first_seen:
                fail("名称", _("与第 %(row)s 行是同一设施（类型和名称相同）") % {"row": first_seen[key]})
            else:
                first_seen[key] = line
        lon = lat = None
        try:
            lon, lat, outside = check_position(lon=value("经度"), lat=value("纬度"), subdistrict=subdistrict)
            if outside:
                warn("经度", _("位置在%(name)s范围外约 %(m)s 米，仍按所填坐标登记") % {
                    "name": subdistrict.name, "m": f"{outside:.0f}"})
        except ValidationError as exc:
            fail("经度" if exc.code != "swapped" else "纬度", exc.messages[0])
        capacity = None
        if value("容量"):
            try:
                capacity = int(float(value("容量")))
                if capacity < 0 or capacity != float(value("容量")):
                    raise ValueError
            except ValueError:
                fail("容量", _("容量应为不小于 0 的整数"))
        status = STATUS_WORDS.get(value("状态") or "运营中")
        if status is None:
            fail("状态", _("状态应为：规划中、运营中、已关闭"))
        opened_on = _date(value("启用日期"), "启用日期", fail)
        closed_on = _date(value("关闭日期"), "关闭日期", fail)
        if opened_on and closed_on and closed_on < opened_on:
            fail("关闭日期", _("关闭日期不能早于启用日期"))
        if closed_on and status in (Facility.Status.OPEN, Facility.Status.PLANNED):
            fail("关闭日期", _("只有已关闭的设施才填关闭日期"))
        if len(report.errors) > errors_before:
            continue
        placed.append((line, lon, lat))
        report.valid += 1
        fields = {"address": value("地址")[:200], "lon": lon, "lat": lat, "capacity": capacity,
                  "opening_hours": value("开放时间")[:100], "operator": value("运营方")[:100], "status": status,
                  "opened_on": opened_on, "closed_on": closed_on, "note": value("备注")[:200]}
        current = existing.get((facility_type.pk, name))
        if current is None:
            report.created += 1
            report.rows_to_write.append(Facility(subdistrict=subdistrict, type=facility_type, name=name, **fields))
        elif any(getattr(current, k) != v for k, v in fields.items()):
            report.updated += 1
            for k, v in fields.items():
                setattr(current, k, v)
            report.rows_to_write.append(current)
        else:
            report.unchanged += 1
    if placed:
        lines, lons, lats = zip(*placed, strict=True)
        for line, metres in zip(lines, network.distance_to(lons, lats).tolist(), strict=True):
            if metres > max_connector:
                report.warnings.append(RowError(line, "经度", _(
                    "离步行路网超过 %(m)s 米，无法接入路网：该设施不计入覆盖") % {"m": f"{max_connector:.0f}"}))
    report.sort(COLUMNS)
    if not dry_run:
        _write(report, subdistrict=subdistrict, by=by, filename=filename)
    return report


@transaction.atomic
def _write(report: FacilityImportReport, *, subdistrict: Subdistrict, by: User | None, filename: str) -> None:
    index = grid_index(subdistrict.pk)
    grids = dict(Grid.objects.filter(subdistrict=subdistrict).values_list("pk", "community_id"))
    for facility in report.rows_to_write:
        grid = index.place_one(facility.lon, facility.lat)
        facility.community_id = grids.get(grid) if grid else None
        facility.save()
    audit.record(actor=by or "jiedao", action=AuditAction.IMPORT, obj=subdistrict, object_type="facilities.facility",
                 detail={"file": filename[:100], "rows": report.rows, "created": report.created,
                         "updated": report.updated, "unchanged": report.unchanged, "errors": len(report.errors)})
    if report.rows_to_write:
        refresh_access(subdistrict_id=subdistrict.pk)


__all__ = ["COLUMNS", "REQUIRED", "FacilityImportReport", "ImportFileError", "import_facilities",
           "read_facilities_table"]
