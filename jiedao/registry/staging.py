"""批量导入 in two steps from the page: 只校验 (check) first, then 确认导入 (confirm).

``stage_import`` checks an uploaded file, writing nothing to the registry, and keeps it encrypted under
MEDIA_ROOT with the check's report; ``confirm_import`` writes exactly that file, and only if the rows it
would register are still the ones the check showed (otherwise it shows the new check and writes nothing).
A confirm is idempotent: the upload is claimed inside the write's transaction, so a second confirm (a
double click, a reloaded POST, two tabs) writes nothing and says the file was imported. Files and error
files stay for a day (``prune_staged``), for the worker who uploaded them alone.
"""

import dataclasses
import datetime as dt
import hashlib
import secrets

from cryptography.fernet import InvalidToken
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import DatabaseError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from jiedao.core import crypto
from jiedao.core.access import ensure_perm
from jiedao.core.models import User
from jiedao.core.roles import Perm
from jiedao.core.tables import Table
from jiedao.registry import importer
from jiedao.registry.importer import ImportFileError
from jiedao.registry.models import ImportUpload

KEEP_FOR = dt.timedelta(days=1)
ERRORS_KEPT = 500  # errors listed on the page; the error file has them all


def _stored(report: importer.ResidentImportReport) -> dict:
    """The report as the page shows it later: counts and the first errors (messages never hold an ID number)."""
    data = report.as_dict()
    data["errors_count"] = len(report.errors)
    data["errors"] = data["errors"][:ERRORS_KEPT]
    return data


def _masked(table: Table) -> Table:
    """The table with its ID numbers and phones masked, for the error file that leaves the platform."""
    def mask_id(value: str) -> str:  # a short, malformed number is starred whole
        return crypto.mask_id_number(value) if len(value) >= 12 else "*" * len(value)

    masks = {importer.COLUMNS[1]: mask_id, importer.COLUMNS[2]: crypto.mask_phone}
    where = {table.columns[c]: mask for c, mask in masks.items() if c in table.columns}

    def mask_row(row: list[str]) -> list[str]:
        return [where[i](v) if i in where and v else v for i, v in enumerate(row)]

    return dataclasses.replace(table, rows=[mask_row(r) for r in table.rows])


def _save(field, content: bytes) -> None:
    # The name is chosen before writing, so that a file the disk filled halfway can be removed by name.
    name = field.field.generate_filename(field.instance, f"{secrets.token_hex(16)}.bin")
    try:
        field.save(name.rsplit("/", 1)[-1], ContentFile(crypto.fernet().encrypt(content)), save=False)
    except OSError as exc:
        try:
            field.storage.delete(name)
        except OSError:
            pass  # the media folder itself is unusable: there is nothing to remove
        raise ImportFileError(
            _("服务器无法保存上传的文件（磁盘已满或目录不可写），没有写入任何数据；请稍后重试或联系系统管理员")
        ) from exc


def stage_import(*, data: bytes, filename: str, by: User) -> ImportUpload:
    """只校验: check every row of an uploaded file (nothing is written to the registry) and keep the file,
    encrypted, with the check's report and error file, for its confirmation. Raises ImportFileError for a
    file that cannot be used, or that the server cannot keep."""
    ensure_perm(by, Perm.EDIT_REGISTRY)
    if by.subdistrict_id is None:
        raise ValidationError(_("您的账号没有关联街道，不能导入"))
    table = importer.read_residents_table(data, filename)
    report = importer.import_residents(data=data, filename=filename, subdistrict=by.subdistrict, by=by,
                                       dry_run=True, table=table)
    upload = ImportUpload(token=secrets.token_urlsafe(32), uploaded_by=by, subdistrict_id=by.subdistrict_id,
                          filename=filename[:200], sha256=hashlib.sha256(data).hexdigest(), report=_stored(report))
    try:
        _save(upload.file, data)
        if report.errors:
            _save(upload.error_file, report.error_file(_masked(table)))
        upload.save()
    except Exception:
        for field in (upload.file, upload.error_file):
            if field:  # no file kept for an upload that is not recorded
                field.delete(save=False)
        raise
    return upload


def get_upload(*, user: User, token: str) -> ImportUpload:
    """A staged upload of ``user``'s; 404 for anyone else's, as for one that does not exist."""
    ensure_perm(user, Perm.EDIT_REGISTRY)
    upload = ImportUpload.objects.filter(token=token, uploaded_by=user).first()
    if upload is None:
        raise Http404
    return upload


def _read(field, *, sha256: str | None = None) -> bytes:
    try:
        with field.open("rb") as fh:
            data = crypto.fernet().decrypt(fh.read())
    except (OSError, ValueError, InvalidToken) as exc:
        raise ImportFileError(_("服务器上已没有这个文件（上传超过一天会被删除），请重新上传")) from exc
    if sha256 is not None and hashlib.sha256(data).hexdigest() != sha256:
        raise ImportFileError(_("服务器上的文件与校验时不一致，没有导入；请重新上传"))
    return data


def confirm_import(*, upload: ImportUpload, by: User) -> str:
    """确认导入: write the checked file. Returns "imported"; "already" when it had been imported (nothing
    written again); "changed" when the registry changed since the check so that other rows would be written
    (nothing written; the upload now carries the new check, to be confirmed again)."""
    ensure_perm(by, Perm.EDIT_REGISTRY)
    if upload.uploaded_by_id != by.pk:
        raise Http404
    if upload.status == ImportUpload.Status.IMPORTED:
        return "already"
    data = _read(upload.file, sha256=upload.sha256)

    def claim() -> bool:
        return bool(ImportUpload.objects.filter(pk=upload.pk, status=ImportUpload.Status.CHECKED).update(
            status=ImportUpload.Status.IMPORTED, imported_at=timezone.now()))

    try:
        report = importer.import_residents(
            data=data, filename=upload.filename, subdistrict=upload.subdistrict, by=by,
            expect_plan=upload.report.get("plan", ""), claim=claim,
        )
    except importer.AlreadyClaimed:
        return "already"
    except DatabaseError as exc:  # the import's transaction rolled back whole, the claim with it
        raise ImportFileError(
            _("数据库暂时无法写入，没有导入任何数据；请稍后再确认导入，或联系系统管理员")
        ) from exc
    except importer.PlanChanged as exc:
        upload.report = _stored(exc.report)
        upload.save(update_fields=["report"])
        return "changed"
    upload.report = _stored(report)
    upload.save(update_fields=["report"])
    return "imported"


def error_file(*, upload: ImportUpload) -> bytes | None:
    """The check's error file (ID numbers and phones masked), or None when every row passed."""
    return _read(upload.error_file) if upload.error_file else None


def prune_staged(*, now: dt.datetime | None = None) -> int:
    """Delete uploads (and their files) older than a day; returns how many."""
    cutoff = (now or timezone.now()) - KEEP_FOR
    old = list(ImportUpload.objects.filter(uploaded_at__lt=cutoff))
    for upload in old:
        for field in (upload.file, upload.error_file):
            if field:
                field.delete(save=False)
        upload.delete()
    return len(old)
