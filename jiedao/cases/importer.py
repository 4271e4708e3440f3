"""Import 12345 hotline work orders (工单) from CSV or XLSX, idempotent by 工单编号.

Every row goes through ``services.intake`` (channel 12345), the same intake as the API, in its own
transaction: one bad row never stops the others, and a row is either a whole case with its first timeline
event or nothing. Importing the same file again creates nothing: a 工单编号 already received is counted as
"already present". Row numbers in the report are the spreadsheet's (the header row counts).

What a row may lack or get wrong, and what happens:

- 工单编号, 来电时间, 诉求内容 missing or unreadable, a phone number that is neither a mobile nor a
  landline, a call time in the future, the same 工单编号 twice in the file: a row **error** (the row is not
  imported; fix the file and import it again, the rows already in are not duplicated).
- an address that cannot be placed on a building or grid: the case is created and flagged 待人工定位
  (needs_placement), with a **warning**.
- a 诉求类型 that is not one of our categories: the case is created unclassified, with the classifier's
  suggestion, and a **warning** (the JSON API refuses an unknown category instead, since its caller can
  correct it at once). 12345's own demand kinds (投诉, 求助, 咨询 …) are kept as the order's appeal type.
- 办理时限 (1/5/15 working days, hours, or a date) and 紧急程度 are kept in the case's first timeline event
  (``data.hotline``) for the operator. The handling process, and so the time limit the KPIs measure, comes
  from the scenario at dispatch, as for every channel; an "紧急" order is marked urgent.
- HTML or script in the text: tags are stripped (intake does this for every channel), with a warning.
"""

import datetime as dt
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiedao.cases import services
from jiedao.cases.models import Case, Category, Channel
from jiedao.core import audit
from jiedao.core.models import AuditAction, Subdistrict, User
from jiedao.core.roles import Perm
from jiedao.core.scope import ensure_perm
from jiedao.registry.importer import ImportFileError, read_rows

__all__ = ["COLUMNS", "ImportFileError", "ImportReport", "import_hotline"]

# Our column → the headers 12345 exports (and people) use for it. The first name is the canonical one.
COLUMNS: dict[str, tuple[str, ...]] = {
    "工单编号": ("工单编号", "工单号", "工单编码", "受理编号", "热线工单号", "编号"),
    "来电时间": ("来电时间", "受理时间", "来电日期", "登记时间", "创建时间", "派单时间"),
    "诉求内容": ("诉求内容", "来电内容", "工单内容", "问题描述", "诉求描述", "内容"),
    "地址": ("地址", "诉求地址", "事发地址", "发生地址", "问题地址", "事发地点"),
    "联系人": ("联系人", "来电人", "市民姓名", "联系人姓名", "姓名"),
    "电话": ("电话", "联系电话", "来电号码", "联系方式", "手机号", "电话号码"),
    "诉求类型": ("诉求类型", "诉求分类", "问题分类", "业务分类", "分类"),
    "办理时限": ("办理时限", "处理时限", "时限"),
    "紧急程度": ("紧急程度", "缓急程度", "是否紧急", "紧急"),
    "街道": ("街道", "所属街道", "街镇", "所属街镇"),
}
REQUIRED = ("工单编号", "来电时间", "诉求内容")
MAX_ROWS = 20_000
HEADER_SEARCH_ROWS = 5  # exports often put a title line or two above the header

# 12345's own kinds of demand: not our categories, kept as the order's appeal type.
APPEAL_TYPES = ("投诉", "举报", "求助", "咨询", "建议", "意见", "表扬", "感谢", "其他")
URGENT_VALUES = {"紧急", "特急", "加急", "急", "是", "urgent", "1"}
NORMAL_VALUES = {"一般", "普通", "常规", "否", "不紧急", "0"}

_ORDER_ID = re.compile(r"[\w\-./:]+")
_DATETIME = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:[\sT]*(\d{1,2})\s*[:：时点]\s*(\d{1,2})\s*(?:[:：分]\s*(\d{1,2}(?:\.\d+)?))?\s*[秒分]?)?$"
)
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})(\d{2})?(\d{2})?(\d{2})?$")
_DAYS = re.compile(r"^(\d{1,3})\s*(?:个)?\s*(?:工作日|工作天)?$")
_HOURS = re.compile(r"^(\d{1,3})\s*(?:个)?\s*(?:小时|h|H)$")
_TAG = re.compile(r"<[^>]*>")
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)

# intake's field names → the column a user fixes
_FIELD_COLUMN = {
    "external_id": "工单编号", "reported_at": "来电时间", "description": "诉求内容", "address": "地址",
    "location": "地址", "reporter_name": "联系人", "reporter_phone": "电话", "category": "诉求类型",
}


@dataclass
class RowIssue:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0        # new cases (in a dry run: would be created)
    existing: int = 0       # 工单编号 already received: nothing written
    needs_placement: int = 0  # of the created, how many wait for manual placement
    errors: list[RowIssue] = field(default_factory=list)    # rows not imported
    warnings: list[RowIssue] = field(default_factory=list)  # rows imported, with something to check
    dry_run: bool = False

    @property
    def failed_rows(self) -> int:
        return len({e.row for e in self.errors})

    def as_dict(self) -> dict:
        return {
            "rows": self.rows, "created": self.created, "existing": self.existing,
            "failed": self.failed_rows, "needs_placement": self.needs_placement,
            "errors": [e.as_dict() for e in self.errors], "warnings": [w.as_dict() for w in self.warnings],
            "dry_run": self.dry_run,
        }


class _DryRun(Exception):
    """Raised inside a row's transaction to roll the row back after a full intake."""

    def __init__(self, result: services.IntakeResult):
        self.result = result


def parse_call_time(value) -> dt.datetime:
    """来电时间 in the forms exports use: ``2026-11-23 10:15:00``, ``2026/11/23 10:15``, ``2026年11月23日
    10时15分``, ``20261123101500``, an Excel date cell or an Excel serial number; local time."""
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime.combine(value, dt.time())
    else:
        text = str(value or "").strip()
        moment = None
        m = _DATETIME.match(text) or _COMPACT.match(text)
        if m:
            y, mo, d, h, mi, s = (m.group(i) for i in range(1, 7))
            seconds = float(s or 0)
            try:
                moment = dt.datetime(int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(seconds))
            except ValueError:
                moment = None
        elif re.fullmatch(r"\d{5}(?:\.\d+)?", text) and 20_000 <= float(text) <= 80_000:
            moment = _EXCEL_EPOCH + dt.timedelta(days=float(text))
            moment = moment.replace(microsecond=0)
        if moment is None:
            message = _("无法识别的时间“%(value)s”：请用 2026-11-23 10:15 这样的格式")
            raise ValidationError(message % {"value": text[:30]})
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, timezone.get_current_timezone())
    return moment


def parse_time_limit(text: str) -> dict | None:
    """办理时限: ``5``, ``5个工作日``, ``2小时`` or a date; None when unreadable."""
    text = text.strip()
    if m := _DAYS.match(text):
        return {"working_days": int(m.group(1))}
    if m := _HOURS.match(text):
        return {"hours": int(m.group(1))}
    try:
        return {"due": parse_call_time(text).isoformat()}
    except ValidationError:
        return None


def _header_row(table: list[list[str]]) -> int:
    """The index of the header row: the first of the top few rows naming 工单编号 (or an alias of it)."""
    names = set(COLUMNS["工单编号"])
    for i, row in enumerate(table[:HEADER_SEARCH_ROWS]):
        if names & {c.strip() for c in row}:
            return i
    return 0


def _columns(header: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    cells = [c.replace(" ", "").replace("\u3000", "").removesuffix("*") for c in header]
    for column, aliases in COLUMNS.items():
        for alias in aliases:
            if alias in cells:
                found[column] = cells.index(alias)
                break
    return found


def _read(data: bytes, filename: str) -> tuple[int, dict[str, int], list[list]]:
    """(header line number, column → index, data rows) of the file's first sheet."""
    header, rows = read_rows(data, filename)
    table = [header, *rows]
    at = _header_row(table)
    cols = _columns(table[at])
    missing = [c for c in REQUIRED if c not in cols]
    if missing:
        raise ImportFileError(_("缺少必填列：%(cols)s（12345 导出表应含 工单编号、来电时间、诉求内容）")
                              % {"cols": "、".join(missing)})
    return at + 1, cols, table[at + 1:]


def import_hotline(*, data: bytes, filename: str, subdistrict: Subdistrict, by: User | None,
                   dry_run: bool = False, max_rows: int = MAX_ROWS) -> ImportReport:
    """Import a 12345 export: one case per new 工单编号, each row in its own transaction.

    ``by`` is the operator importing (must be allowed to operate cases), or None for the command line.
    With ``dry_run`` every row goes through the whole intake and is rolled back: the report says what an
    import would do, and nothing is written.
    """
    if by is not None:
        ensure_perm(by, Perm.OPERATE_CASES)
    header_line, col, rows = _read(data, filename)
    if len(rows) > max_rows:
        raise ImportFileError(_("一次最多导入 %(n)s 行，请拆分文件") % {"n": f"{max_rows:,}"})
    report = ImportReport(dry_run=dry_run)
    categories = {c.code: c for c in Category.objects.filter(active=True)}
    categories |= {c.name: c for c in categories.values()}

    def cell(raw: list, column: str) -> str:
        i = col.get(column)
        return raw[i] if i is not None and i < len(raw) else ""

    ids = {cell(r, "工单编号") for r in rows} - {""}
    already = set()
    id_list = sorted(ids)
    for i in range(0, len(id_list), 500):
        already |= set(Case.objects.filter(subdistrict=subdistrict, channel=Channel.HOTLINE,
                                           external_id__in=id_list[i:i + 500]).values_list("external_id", flat=True))
    first_seen: dict[str, int] = {}
    names = {subdistrict.name, subdistrict.name.removesuffix("街道"), subdistrict.code}
    pending: list[tuple[int, list[RowIssue], dict]] = []  # rows that passed the file's own checks

    for offset, raw in enumerate(rows):
        line = header_line + offset + 1
        if not any(raw):
            continue
        report.rows += 1
        errors: list[RowIssue] = []
        warnings: list[RowIssue] = []

        def fail(column: str, message: str, errors=errors, line=line) -> None:
            errors.append(RowIssue(line, column, message))

        def warn(column: str, message: str, warnings=warnings, line=line) -> None:
            warnings.append(RowIssue(line, column, message))

        order_id = cell(raw, "工单编号")
        if not order_id:
            fail("工单编号", _("工单编号不能为空"))
        elif len(order_id) > 40 or not _ORDER_ID.fullmatch(order_id):
            fail("工单编号", _("工单编号只能含字母、数字和 - _ . / :，最多 40 位"))
        elif order_id in first_seen:
            fail("工单编号", _("与第 %(row)d 行的工单编号重复，本行未导入") % {"row": first_seen[order_id]})
        else:
            first_seen[order_id] = line
        if not errors and order_id in already:
            report.existing += 1
            continue

        where = cell(raw, "街道")
        if where and where not in names and subdistrict.name not in where:
            fail("街道", _("该工单属于“%(other)s”，不是%(ours)s的工单") % {"other": where[:30],
                                                                 "ours": subdistrict.name})
        reported_at = None
        try:
            if not cell(raw, "来电时间"):
                raise ValidationError(_("来电时间不能为空"))
            reported_at = parse_call_time(cell(raw, "来电时间"))
        except ValidationError as exc:
            fail("来电时间", exc.messages[0])
        description = cell(raw, "诉求内容")
        if not description:
            fail("诉求内容", _("诉求内容不能为空"))
        elif _TAG.search(description):
            warn("诉求内容", _("诉求内容中的 HTML 标记已去除"))

        hotline: dict = {"row": line}
        category = ""
        kind = cell(raw, "诉求类型")
        if kind:
            if kind in categories:
                category = categories[kind].code
            elif kind in APPEAL_TYPES:
                hotline["appeal_type"] = kind
            else:
                hotline["category"] = kind[:30]
                warn("诉求类型", _("未知的诉求类型“%(kind)s”：已按系统分类建议受理，请立案时确认分类")
                     % {"kind": kind[:30]})
        limit = cell(raw, "办理时限")
        if limit:
            parsed = parse_time_limit(limit)
            hotline["time_limit"] = {"text": limit[:30], **(parsed or {})}
            if parsed is None:
                warn("办理时限", _("无法识别的办理时限“%(value)s”：已原样保留") % {"value": limit[:30]})
        urgent = None
        level = cell(raw, "紧急程度")
        if level:
            hotline["urgency"] = level[:10]
            if level in URGENT_VALUES:
                urgent = True
            elif level not in NORMAL_VALUES:
                warn("紧急程度", _("无法识别的紧急程度“%(value)s”：应为 紧急 或 一般") % {"value": level[:10]})
        if errors:
            report.errors += errors
            continue
        pending.append((line, warnings, dict(
            external_id=order_id, description=description, address=cell(raw, "地址"),
            reporter_name=cell(raw, "联系人"), reporter_phone=cell(raw, "电话"), category=category,
            reported_at=reported_at, urgent=urgent,
            data={"hotline": hotline, **({"import": filename[:100]} if filename else {})},
        )))

    # The classifier in one batch (several times faster per text than one call per row).
    from jiedao.cases import classifier

    suggestions = classifier.classify_many([fields["description"] for _line, _w, fields in pending])
    for (line, warnings, fields), suggestion in zip(pending, suggestions, strict=True):
        _intake_row(report, line, warnings, fields, suggestion, subdistrict=subdistrict, by=by, dry_run=dry_run)

    order = list(COLUMNS)
    report.errors.sort(key=lambda e: (e.row, order.index(e.column) if e.column in order else 99))
    report.warnings.sort(key=lambda e: (e.row, order.index(e.column) if e.column in order else 99))
    if not dry_run:
        audit.record(actor=by or "system", action=AuditAction.IMPORT, subdistrict_id=subdistrict.pk,
                     object_type="cases.case", detail={
                         "file": filename[:100], "channel": Channel.HOTLINE, "rows": report.rows,
                         "created": report.created, "existing": report.existing, "failed": report.failed_rows,
                     })
    return report


def _intake_row(report: ImportReport, line: int, warnings: list[RowIssue], fields: dict, suggestion, *,
                subdistrict: Subdistrict, by: User | None, dry_run: bool) -> None:
    """One row through intake, in its own transaction (rolled back in a dry run); the outcome into the report."""
    try:
        with transaction.atomic():
            result = services.intake(subdistrict=subdistrict, channel=Channel.HOTLINE, by=by, suggestion=suggestion,
                                     **fields)
            if dry_run:
                raise _DryRun(result)
    except _DryRun as done:
        result = done.result
    except ValidationError as exc:
        for name, messages in _messages(exc):
            column = _FIELD_COLUMN.get(name, name)
            for message in messages:
                report.errors.append(RowIssue(line, column, message))
        return
    if not result.created:
        report.existing += 1  # arrived meanwhile, from the API or a concurrent import
        return
    report.created += 1
    report.warnings += warnings
    case = result.case
    if case.needs_placement:
        report.needs_placement += 1
        message = _("地址无法定位到楼栋或网格：已受理并标记为待人工定位") if case.address else \
            _("没有地址：已受理并标记为待人工定位")
        report.warnings.append(RowIssue(line, "地址", message))


def _messages(exc: ValidationError) -> list[tuple[str, list[str]]]:
    if hasattr(exc, "error_dict"):
        return [(name, ValidationError(errors).messages) for name, errors in exc.error_dict.items()]
    return [("", exc.messages)]
