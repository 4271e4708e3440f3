"""Case imports under /api/v1/case-imports/: a 12345 export file (CSV/XLSX) in, the import report out.

Single orders come through ``POST /api/v1/cases/`` (api.py); this is the batch path, with the same intake
per row (see cases.importer for what each kind of bad row does)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema
from ninja.errors import HttpError
from ninja.files import UploadedFile

from jiedao.cases import importer
from jiedao.core.api_frame import require
from jiedao.core.roles import Perm

router = Router(tags=["cases"])

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
# Each row is a whole intake, so the rows an upload may hold bound how long its answer takes (docs/cases.md,
# "measurements"); larger files go through ``jiedao import-hotline`` (up to importer.MAX_ROWS).
MAX_UPLOAD_ROWS = 5_000


class IssueOut(Schema):
    row: int
    column: str
    message: str


class ImportReportOut(Schema):
    rows: int
    created: int
    existing: int
    failed: int
    needs_placement: int
    errors: list[IssueOut]
    warnings: list[IssueOut]
    dry_run: bool


@router.post("/hotline", response=ImportReportOut, summary="导入 12345 工单文件（CSV/XLSX，按工单编号去重）")
def import_hotline(request, file: File[UploadedFile], dry_run: Form[bool] = False):
    require(request, Perm.OPERATE_CASES)
    if request.user.subdistrict_id is None:
        raise PermissionDenied(_("您的账号未设置所属街道"))
    if file.size > MAX_UPLOAD_BYTES:
        mb = MAX_UPLOAD_BYTES // 1024 // 1024
        raise ValidationError({"file": _("文件太大：最多 %(mb)s MB，请拆分后导入") % {"mb": mb}})
    try:
        report = importer.import_hotline(data=file.read(), filename=file.name or "", by=request.user,
                                         subdistrict=request.user.subdistrict, dry_run=dry_run,
                                         max_rows=MAX_UPLOAD_ROWS)
    except importer.ImportInterrupted as exc:  # the server's fault, not the file's: 507 or 503, send again
        raise HttpError(exc.status_code, str(exc)) from exc
    except importer.ImportFileError as exc:
        raise ValidationError({"file": str(exc)}) from exc
    return report.as_dict()
