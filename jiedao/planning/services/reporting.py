"""Quarterly reporting by lead units (项目进展, 填报类指标值), their attachments, and the values the
platform computes for computed indicators."""

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiedao.core import audit
from jiedao.core.models import AuditAction
from jiedao.planning import periods, units
from jiedao.planning.computation import evaluate_indicator
from jiedao.planning.models import (
    ATTACHMENT_EXTENSIONS,
    Attachment,
    Indicator,
    IndicatorValue,
    Plan,
    ProgressReport,
    Project,
    ProjectStatus,
)
from jiedao.planning.services.access import ensure_may_report

# Leading bytes of each accepted type: a renamed executable is not a PDF.
_SIGNATURES = {
    "pdf": (b"%PDF",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "xlsx": (b"PK\x03\x04",),
    "docx": (b"PK\x03\x04",),
}


def max_attachment_bytes() -> int:
    return getattr(settings, "PLANNING_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)


def validate_upload(upload) -> str:
    """Check an uploaded file's type (extension and content) and size; return its extension."""
    name = PurePath(upload.name or "").name
    ext = PurePath(name).suffix.lower().lstrip(".")
    if ext not in ATTACHMENT_EXTENSIONS:
        raise ValidationError(
            _("附件「%(name)s」类型不支持：只接受 %(types)s") % {
                "name": name, "types": "、".join(e.upper() for e in ATTACHMENT_EXTENSIONS)},
            code="attachment",
        )
    limit = max_attachment_bytes()
    if upload.size == 0:
        raise ValidationError(_("附件「%(name)s」是空文件") % {"name": name}, code="attachment")
    if upload.size > limit:
        raise ValidationError(
            _("附件「%(name)s」太大（%(size).1f MB），上限 %(limit).0f MB") % {
                "name": name, "size": upload.size / 1048576, "limit": limit / 1048576},
            code="attachment",
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not head.startswith(_SIGNATURES[ext]):
        raise ValidationError(
            _("附件「%(name)s」的内容与扩展名 .%(ext)s 不符") % {"name": name, "ext": ext}, code="attachment"
        )
    return ext


def _store_attachments(uploads: Iterable, *, by, report=None, value=None) -> list[Attachment]:
    owner = report or value
    stored = []
    for upload in uploads:
        attachment = Attachment(
            subdistrict_id=owner.subdistrict_id, report=report, value=value, name=PurePath(upload.name).name[:200],
            content_type=getattr(upload, "content_type", "") or "", size=upload.size, uploaded_by=by,
        )
        attachment.file.save(upload.name, upload, save=False)
        attachment.save()
        stored.append(attachment)
    return stored


def _period_of_report(plan: Plan, year, quarter) -> periods.Period:
    try:
        year, quarter = int(year), int(quarter)
    except (TypeError, ValueError) as exc:
        raise ValidationError({"year": _("请填写报告期的年份和季度")}) from exc
    period = periods.validate_shape(year, quarter)
    return periods.validate_in_plan(period, start_year=plan.start_year, end_year=plan.end_year)


def submit_progress_report(*, project: Project, by, year: int, quarter: int, progress: int, status: str,
                           note: str = "", public_note: str = "", attachments: Iterable = ()) -> ProgressReport:
    """季度进展填报 by the project's lead unit. One report per quarter; submitting again corrects it.

    The project's progress and status follow its latest quarter's report. Everything is checked before
    anything is written, so a refused or invalid report changes nothing.
    """
    ensure_may_report(user=by, obj=project)
    plan = project.plan
    if int(quarter or 0) == 0:
        raise ValidationError({"quarter": _("项目进展按季度填报：季度应为 1–4")})
    period = _period_of_report(plan, year, quarter)
    try:
        progress = int(progress)
    except (TypeError, ValueError) as exc:
        raise ValidationError({"progress": _("进度应为 0–100 的整数")}) from exc
    if not 0 <= progress <= 100:
        raise ValidationError({"progress": _("进度应在 0–100 之间，收到 %(p)s") % {"p": progress}})
    if status not in ProjectStatus.values:
        labels = "、".join(str(label) for label in ProjectStatus.labels)
        raise ValidationError({"status": _("状态只能是：%(s)s") % {"s": labels}})
    if status == ProjectStatus.COMPLETED and progress != 100:
        raise ValidationError({"progress": _("状态为“已完成”时进度应为 100%")})
    if progress == 100 and status != ProjectStatus.COMPLETED:
        raise ValidationError({"status": _("进度为 100% 时状态应为“已完成”")})
    if status == ProjectStatus.NOT_STARTED and progress > 0:
        raise ValidationError({"status": _("项目已有进度，状态不能是“未启动”")})
    earlier = project.reports.filter(year__lte=period.year).exclude(year=period.year, quarter__gte=period.quarter)
    previous = earlier.order_by("-year", "-quarter").first()
    if previous and progress < previous.progress and not note.strip():
        raise ValidationError(
            {"note": _("进度低于上一次填报的 %(p)s%%，请在进展说明中写明原因") % {"p": previous.progress}}
        )
    uploads = list(attachments)
    for upload in uploads:
        validate_upload(upload)

    now = timezone.now()
    with transaction.atomic():
        report = ProgressReport.objects.filter(project=project, year=period.year, quarter=period.quarter).first()
        before = None if report is None else {"progress": report.progress, "status": report.status}
        if report is None:
            report = ProgressReport(subdistrict_id=project.subdistrict_id, project=project, year=period.year,
                                    quarter=period.quarter, created_at=now)
        report.progress, report.status, report.note, report.public_note = progress, status, note.strip(), \
            public_note.strip()
        report.reported_by, report.reporter_name, report.unit_id = by, by.display_name, by.department_id
        report.updated_at = now
        report.save()
        latest = project.reports.order_by("-year", "-quarter").first()
        if latest.pk == report.pk:
            project.progress, project.status = progress, status
            project.completed_on = period.end if status == ProjectStatus.COMPLETED else None
        project.last_reported_at = now
        project.save(update_fields=["progress", "status", "completed_on", "last_reported_at"])
        _store_attachments(uploads, by=by, report=report)
        audit.record(
            actor=by, action=AuditAction.CREATE if before is None else AuditAction.UPDATE, obj=report,
            detail={"period": period.code, "progress": progress, "status": status, "before": before,
                    "attachments": len(uploads)},
        )
    return report


def _decimal(value, field: str = "value") -> Decimal:
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError({field: _("「%(v)s」不是有效的数值") % {"v": value}}) from exc
    if not number.is_finite():
        raise ValidationError({field: _("「%(v)s」不是有效的数值") % {"v": value}})
    return number


def submit_indicator_value(*, indicator: Indicator, by, year: int, quarter: int = 0, value=None,
                           unit: str | None = None, achieved: bool | None = None, evidence: str = "",
                           note: str = "", attachments: Iterable = ()) -> IndicatorValue:
    """指标填报 by the indicator's lead unit, for a quarter or a whole year (quarter 0).

    A value given in another unit of the same kind is converted (万户 → 户); a unit of another kind,
    a period outside the plan or not yet begun, a number for a yes/no milestone, or no evidence is refused.
    """
    ensure_may_report(user=by, obj=indicator)
    if indicator.is_computed:
        raise ValidationError(_("「%(name)s」由平台数据自动计算，不能手工填报") % {"name": indicator.name})
    period = _period_of_report(indicator.plan, year, quarter)
    uploads = list(attachments)
    if not evidence.strip() and not uploads:
        raise ValidationError({"evidence": _("请填写佐证材料说明或上传佐证附件")})
    if indicator.is_milestone:
        if value not in (None, ""):
            raise ValidationError({"value": _("「%(name)s」是是否类里程碑，请选择“已实现”或“未实现”，不填数值") % {
                "name": indicator.name}})
        if achieved is None:
            raise ValidationError({"achieved": _("请选择“已实现”或“未实现”")})
        number = None
    else:
        if achieved is not None:
            raise ValidationError({"achieved": _("「%(name)s」是数值指标，请填写数值") % {"name": indicator.name}})
        if value in (None, ""):
            raise ValidationError({"value": _("请填写数值")})
        given_unit = indicator.unit if unit in (None, "") else unit.strip()
        number = units.convert(_decimal(value), from_unit=given_unit, to_unit=indicator.unit, indicator=indicator.name)
        if number < 0:
            raise ValidationError({"value": _("数值不能为负")})
        if indicator.unit == "%" and number > 100:
            raise ValidationError({"value": _("百分比应在 0 到 100 之间，收到 %(v)s") % {"v": number}})
        if abs(number) >= Decimal("1e12"):
            raise ValidationError({"value": _("数值过大")})
    for upload in uploads:
        validate_upload(upload)

    now = timezone.now()
    with transaction.atomic():
        row = IndicatorValue.objects.filter(indicator=indicator, year=period.year, quarter=period.quarter).first()
        before = None if row is None else {"value": _plain(row.value), "achieved": row.achieved}
        if row is None:
            row = IndicatorValue(subdistrict_id=indicator.subdistrict_id, indicator=indicator, year=period.year,
                                 quarter=period.quarter, created_at=now)
        row.value, row.achieved, row.origin = number, achieved, IndicatorValue.Origin.ENTERED
        row.evidence, row.note = evidence.strip(), note.strip()
        row.reported_by, row.reporter_name, row.unit_id = by, by.display_name, by.department_id
        row.updated_at = now
        row.save()
        _store_attachments(uploads, by=by, value=row)
        audit.record(
            actor=by, action=AuditAction.CREATE if before is None else AuditAction.UPDATE, obj=row,
            detail={"period": period.code, "value": _plain(number), "achieved": achieved, "before": before,
                    "unit_given": unit or indicator.unit},
        )
    return row


def _plain(value):
    return None if value is None else str(value)


def add_attachment(*, report: ProgressReport | None = None, value: IndicatorValue | None = None, upload,
                   by) -> Attachment:
    """Attach one more file to a report or an entered value, by the lead unit that made it."""
    owner = report or value
    if owner is None or (report is not None and value is not None):
        raise ValidationError(_("附件必须属于一份进展报告或一个指标值"))
    ensure_may_report(user=by, obj=report.project if report else value.indicator)
    validate_upload(upload)
    with transaction.atomic():
        (attachment,) = _store_attachments([upload], by=by, report=report, value=value)
        audit.record(actor=by, action=AuditAction.CREATE, obj=attachment,
                     detail={"owner": owner._meta.label_lower, "owner_id": owner.pk, "size": attachment.size})
    return attachment


def record_computed_values(*, plan: Plan, period: periods.Period, by=None) -> dict[str, str]:
    """Store this period's value of every computed indicator of ``plan`` (recomputing replaces it).

    Returns, per indicator code, the value stored or why there is none (source not connected, zero
    denominator); nothing is stored for those.
    """
    outcome: dict[str, str] = {}
    cache: dict = {}
    results = []
    for indicator in plan.indicators.filter(source=Indicator.Source.COMPUTED):
        computed = evaluate_indicator(indicator, period, cache=cache)
        outcome[indicator.code] = str(computed.value) if computed.ok else computed.problem
        if computed.ok:
            results.append((indicator, computed.value))
    now = timezone.now()
    with transaction.atomic():
        for indicator, value in results:
            IndicatorValue.objects.update_or_create(
                indicator=indicator, year=period.year, quarter=period.quarter,
                defaults={"subdistrict_id": indicator.subdistrict_id, "value": value, "achieved": None,
                          "origin": IndicatorValue.Origin.COMPUTED, "updated_at": now, "reported_by": None,
                          "reporter_name": "", "unit": None},
            )
        audit.record(actor=by, action=AuditAction.UPDATE, obj=plan, field="computed_values",
                     detail={"period": period.code, "stored": len(results), "outcome": outcome})
    return outcome
