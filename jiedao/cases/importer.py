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

When the database stops taking writes midway (a full disk, a lost connection), the import stops at that
row and raises ``ImportInterrupted``, which says how many cases went in and that importing the same file
again takes in the rest: each row already in is a whole case, and none is created twice.
"""

import datetime as dt
import errno
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiedao.cases import services
from jiedao.cases.models import Case, Category, Channel
from jiedao.core import audit
from jiedao.core.access import ensure_perm
from jiedao.core.models import AuditAction, Subdistrict, User
from jiedao.core.roles import Perm
from jiedao.core.tables import ImportFileError, ImportReport, RowError, Table, read_table

__all__ = ["COLUMNS", "HotlineImportReport", "ImportFileError", "ImportInterrupted", "import_hotline"]

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
class HotlineImportReport(ImportReport):
    created: int = 0          # new cases (in a dry run: would be created)
    existing: int = 0         # 工单编号 already received: nothing written
    needs_placement: int = 0  # of the created, how many wait for manual placement

    def as_dict(self) -> dict:
        return {
            "rows": self.rows, "created": self.created, "existing": self.existing,
            "failed": self.failed_rows, "needs_placement": self.needs_placement,
            "errors": [e.as_dict() for e in self.errors], "warnings": [w.as_dict() for w in self.warnings],
            "dry_run": self.dry_run,
        }


@dataclass
class _Row:
    """One row of the file while it is checked: its problems, then the fields intake takes."""

    line: int
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)
    fields: dict = field(default_factory=dict)

    def fail(self, column: str, message: str) -> None:
        self.errors.append(RowError(self.line, column, message))

    def warn(self, column: str, message: str) -> None:
        self.warnings.append(RowError(self.line, column, message))


@dataclass
class _Context:
    """What every row is checked against, loaded once per file."""

    subdistrict: Subdistrict
    categories: dict[str, Category]  # code or name → category
    already: set[str]  # the file's 工单编号 already received
    names: set[str] = field(default_factory=set)  # what a 街道 cell may say for ours
    first_seen: dict[str, int] = field(default_factory=dict)  # 工单编号 → the first row with it


class ImportInterrupted(ImportFileError):
    """The database stopped taking writes midway: the rows before ``line`` are in (``report``), the rest not.

    An ``ImportFileError`` so that every caller shows its message as it shows a bad file's; unlike a bad
    file, the cause is the server's (``status_code`` 507 when the disk is full, else 503)."""

    def __init__(self, report: HotlineImportReport, line: int, exc: BaseException):
        self.report, self.line = report, line
        self.disk_full = _disk_full(exc)
        self.status_code = 507 if self.disk_full else 503
        cause = _("服务器存储空间已满") if self.disk_full else _("数据库暂时无法写入")
        super().__init__(_(
            "导入在第 %(line)s 行中断：%(cause)s。此前的 %(created)s 件已导入，其余未导入；"
            "故障排除后重新导入同一文件即可，已导入的工单不会重复。") % {
                "line": line, "cause": cause, "created": report.created})


def _disk_full(exc: BaseException) -> bool:
    """Whether a database error says the disk is full (SQLite: SQLITE_FULL; PostgreSQL: 53100 disk_full)."""
    while exc is not None:
        if getattr(exc, "errno", None) in (errno.ENOSPC, errno.EDQUOT) or getattr(exc, "sqlstate", None) == "53100" \
                or "disk is full" in str(exc) or getattr(exc, "sqlite_errorcode", None) == 13:
            return True
        exc = exc.__cause__ or exc.__context__
    return False


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
        moment = _parse_text_time(text)
        if moment is None:
            message = _("无法识别的时间“%(value)s”：请用 2026-11-23 10:15 这样的格式")
            raise ValidationError(message % {"value": text[:30]})
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, timezone.get_current_timezone())
    return moment


def _parse_text_time(text: str) -> dt.datetime | None:
    m = _DATETIME.match(text) or _COMPACT.match(text)
    if m:
        y, mo, d, h, mi, s = (m.group(i) for i in range(1, 7))
        seconds = float(s or 0)
        try:
            return dt.datetime(int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(seconds))
        except ValueError:
            return None
    if re.fullmatch(r"\d{5}(?:\.\d+)?", text) and 20_000 <= float(text) <= 80_000:
        return (_EXCEL_EPOCH + dt.timedelta(days=float(text))).replace(microsecond=0)
    return None


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


def import_hotline(*, data: bytes, filename: str, subdistrict: Subdistrict, by: User | None,
                   dry_run: bool = False, max_rows: int = MAX_ROWS) -> HotlineImportReport:
    """Import a 12345 export: one case per new 工单编号, each row in its own transaction.

    ``by`` is the operator importing (must be allowed to operate cases), or None for the command line.
    With ``dry_run`` every row goes through the whole intake and is rolled back: the report says what an
    import would do, and nothing is written.
    """
    if by is not None:
        ensure_perm(by, Perm.OPERATE_CASES)
    table = read_table(
        data, filename, columns=COLUMNS, required=REQUIRED, max_rows=max_rows, header_search_rows=HEADER_SEARCH_ROWS,
        missing_message=_("缺少必填列：%(cols)s（12345 导出表应含 工单编号、来电时间、诉求内容）"),
    )
    report = HotlineImportReport(dry_run=dry_run)
    pending = _check_rows(table, report, subdistrict=subdistrict, filename=filename)
    _intake_rows(report, pending, subdistrict=subdistrict, by=by, dry_run=dry_run)
    report.sort(list(COLUMNS))
    if not dry_run:
        audit.record(actor=by or "system", action=AuditAction.IMPORT, subdistrict_id=subdistrict.pk,
                     object_type="cases.case", detail={
                         "file": filename[:100], "channel": Channel.HOTLINE, "rows": report.rows,
                         "created": report.created, "existing": report.existing, "failed": report.failed_rows,
                     })
    return report


def _check_rows(table: Table, report: HotlineImportReport, *, subdistrict: Subdistrict, filename: str) -> list[_Row]:
    """The file's own checks, row by row: the rows to take in (with intake's fields); errors and orders
    already received go into the report."""
    categories = {c.code: c for c in Category.objects.filter(active=True)}
    categories |= {c.name: c for c in categories.values()}
    context = _Context(subdistrict=subdistrict, categories=categories, already=_already_received(table, subdistrict),
                       names={subdistrict.name, subdistrict.name.removesuffix("街道"), subdistrict.code})
    pending: list[_Row] = []
    for line, raw in table.numbered_rows():
        report.rows += 1
        row = _Row(line)
        order_id = _order_id(table.value(raw, "工单编号"), row, context)
        if not row.errors and order_id in context.already:
            report.existing += 1
            continue
        _check_subdistrict(table.value(raw, "街道"), row, context)
        reported_at = _call_time(table.value(raw, "来电时间"), row)
        description = _description(table.value(raw, "诉求内容"), row)
        hotline: dict = {"row": line}
        category = _kind(table.value(raw, "诉求类型"), row, hotline, context)
        _time_limit(table.value(raw, "办理时限"), row, hotline)
        urgent = _urgency(table.value(raw, "紧急程度"), row, hotline)
        if row.errors:
            report.errors += row.errors
            continue
        row.fields = dict(
            external_id=order_id, description=description, address=table.value(raw, "地址"),
            reporter_name=table.value(raw, "联系人"), reporter_phone=table.value(raw, "电话"), category=category,
            reported_at=reported_at, urgent=urgent,
            data={"hotline": hotline, **({"import": filename[:100]} if filename else {})},
        )
        pending.append(row)
    return pending


def _already_received(table: Table, subdistrict: Subdistrict) -> set[str]:
    """The file's 工单编号 already received from 12345 in this subdistrict."""
    ids = sorted({table.value(r, "工单编号") for r in table.rows} - {""})
    already: set[str] = set()
    for i in range(0, len(ids), 500):
        already |= set(Case.objects.filter(subdistrict=subdistrict, channel=Channel.HOTLINE,
                                           external_id__in=ids[i:i + 500]).values_list("external_id", flat=True))
    return already


def _order_id(order_id: str, row: _Row, context: _Context) -> str:
    if not order_id:
        row.fail("工单编号", _("工单编号不能为空"))
    elif len(order_id) > 40 or not _ORDER_ID.fullmatch(order_id):
        row.fail("工单编号", _("工单编号只能含字母、数字和 - _ . / :，最多 40 位"))
    elif order_id in context.first_seen:
        row.fail("工单编号", _("与第 %(row)d 行的工单编号重复，本行未导入") % {"row": context.first_seen[order_id]})
    else:
        context.first_seen[order_id] = row.line
    return order_id


def _check_subdistrict(where: str, row: _Row, context: _Context) -> None:
    """A 街道 cell, when there is one, must name ours (by name, name without 街道, or code)."""
    ours = context.subdistrict.name
    if where and where not in context.names and ours not in where:
        row.fail("街道", _("该工单属于“%(other)s”，不是%(ours)s的工单") % {"other": where[:30], "ours": ours})


def _call_time(text: str, row: _Row) -> dt.datetime | None:
    try:
        if not text:
            raise ValidationError(_("来电时间不能为空"))
        return parse_call_time(text)
    except ValidationError as exc:
        row.fail("来电时间", exc.messages[0])
        return None


def _description(text: str, row: _Row) -> str:
    if not text:
        row.fail("诉求内容", _("诉求内容不能为空"))
    elif _TAG.search(text):
        row.warn("诉求内容", _("诉求内容中的 HTML 标记已去除"))
    return text


def _kind(kind: str, row: _Row, hotline: dict, context: _Context) -> str:
    """诉求类型: our category's code, or "" (12345's appeal types and unknown kinds are kept in ``hotline``)."""
    if not kind:
        return ""
    if kind in context.categories:
        return context.categories[kind].code
    if kind in APPEAL_TYPES:
        hotline["appeal_type"] = kind
    else:
        hotline["category"] = kind[:30]
        message = _("未知的诉求类型“%(kind)s”：已按系统分类建议受理，请立案时确认分类")
        row.warn("诉求类型", message % {"kind": kind[:30]})
    return ""


def _time_limit(limit: str, row: _Row, hotline: dict) -> None:
    if limit:
        parsed = parse_time_limit(limit)
        hotline["time_limit"] = {"text": limit[:30], **(parsed or {})}
        if parsed is None:
            row.warn("办理时限", _("无法识别的办理时限“%(value)s”：已原样保留") % {"value": limit[:30]})


def _urgency(level: str, row: _Row, hotline: dict) -> bool | None:
    """紧急程度: True for an urgent order, None otherwise (intake's default)."""
    if not level:
        return None
    hotline["urgency"] = level[:10]
    if level in URGENT_VALUES:
        return True
    if level not in NORMAL_VALUES:
        row.warn("紧急程度", _("无法识别的紧急程度“%(value)s”：应为 紧急 或 一般") % {"value": level[:10]})
    return None


def _intake_rows(report: HotlineImportReport, pending: list[_Row], *, subdistrict: Subdistrict, by: User | None,
                 dry_run: bool) -> None:
    # The classifier in one batch (several times faster per text than one call per row).
    from jiedao.cases import classifier

    suggestions = classifier.classify_many([row.fields["description"] for row in pending])
    for row, suggestion in zip(pending, suggestions, strict=True):
        try:
            _intake_row(report, row, suggestion, subdistrict=subdistrict, by=by, dry_run=dry_run)
        except IntegrityError:
            raise  # a constraint intake does not expect: a bug to see, not a full disk
        except DatabaseError as exc:
            # The row's transaction is rolled back whole; stop here rather than fail every row after it.
            interrupted = ImportInterrupted(report, row.line, exc)
            _record_interruption(report, interrupted, subdistrict=subdistrict, by=by)
            raise interrupted from exc


def _intake_row(report: HotlineImportReport, row: _Row, suggestion, *, subdistrict: Subdistrict, by: User | None,
                dry_run: bool) -> None:
    """One row through intake, in its own transaction (rolled back in a dry run); the outcome into the report."""
    try:
        with transaction.atomic():
            result = services.intake(subdistrict=subdistrict, channel=Channel.HOTLINE, by=by, suggestion=suggestion,
                                     **row.fields)
            if dry_run:
                raise _DryRun(result)
    except _DryRun as done:
        result = done.result
    except ValidationError as exc:
        for name, messages in _messages(exc):
            column = _FIELD_COLUMN.get(name, name)
            for message in messages:
                row.fail(column, message)
        report.errors += row.errors
        return
    if not result.created:
        report.existing += 1  # arrived meanwhile, from the API or a concurrent import
        return
    report.created += 1
    report.warnings += row.warnings
    case = result.case
    if case.needs_placement:
        report.needs_placement += 1
        message = _("地址无法定位到楼栋或网格：已受理并标记为待人工定位") if case.address else \
            _("没有地址：已受理并标记为待人工定位")
        report.warnings.append(RowError(row.line, "地址", message))


def _record_interruption(report: HotlineImportReport, interrupted: ImportInterrupted, *, subdistrict: Subdistrict,
                         by: User | None) -> None:
    """The import's audit record, with where it stopped, if the database takes it (it may not, yet)."""
    if report.dry_run:
        return
    try:
        with transaction.atomic():
            audit.record(actor=by or "system", action=AuditAction.IMPORT, subdistrict_id=subdistrict.pk,
                         object_type="cases.case", detail={
                             "channel": Channel.HOTLINE, "rows": report.rows, "created": report.created,
                             "existing": report.existing, "failed": report.failed_rows,
                             "interrupted_at": interrupted.line, "disk_full": interrupted.disk_full})
    except DatabaseError:
        pass  # the database still refuses: the cases it took are the record


def _messages(exc: ValidationError) -> list[tuple[str, list[str]]]:
    if hasattr(exc, "error_dict"):
        return [(name, ValidationError(errors).messages) for name, errors in exc.error_dict.items()]
    return [("", exc.messages)]
