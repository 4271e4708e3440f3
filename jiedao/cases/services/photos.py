"""Photos attached to a case: checked whole before anything is written, stored under a random token.

A request that stores photos either keeps its rows and its files or neither: the writes run in
``photos.atomic()``, a transaction that also removes the files stored in it when it rolls back, and a
file the storage cannot take (a full disk, a broken media folder) fails the request with
``PhotoNotStored`` before anything is committed, so the user can simply send it again.
"""

import contextlib
import errno
import secrets
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from ninja.errors import HttpError

from jiedao.cases.models import Attachment, Case, CaseEvent
from jiedao.core.models import User

# The names of the files stored inside the innermost ``atomic()`` block of this request or task.
_stored: ContextVar[list[str] | None] = ContextVar("stored_photos", default=None)


class PhotoNotStored(HttpError, ValidationError):
    """The server could not store a photo, so the whole request was undone.

    Not the user's mistake, but answered like one so that every caller shows it without code of its own:
    pages that catch ``ValidationError`` show it on the form's photo field, and the JSON API answers with
    its status (HttpError): 507 when the disk is full, 503 when the storage is otherwise unavailable."""

    def __init__(self, exc: OSError):
        full = exc.errno in (errno.ENOSPC, errno.EDQUOT)
        message = (_("照片未能保存：服务器存储空间已满。本次提交未生效，请稍后重试或联系系统管理员。") if full
                   else _("照片未能保存：服务器存储暂不可用。本次提交未生效，请稍后重试或联系系统管理员。"))
        ValidationError.__init__(self, {"photos": [message]})
        self.status_code = 507 if full else 503
        self.message = message


@contextlib.contextmanager
def atomic():
    """``transaction.atomic()`` for writes that store photos: if it rolls back, the photo files stored in
    it are removed as well. Nested in another ``atomic()``, its files go to the outer block on success."""
    outer = _stored.get()
    stored: list[str] = []
    token = _stored.set(stored)
    try:
        with transaction.atomic():
            yield
    except BaseException:
        _remove(stored)
        raise
    finally:
        _stored.reset(token)
    if outer is not None:
        outer.extend(stored)


def _remove(names: list[str]) -> None:
    from django.core.files.storage import default_storage

    for name in names:
        with contextlib.suppress(OSError):  # the storage is failing already; the row is gone either way
            default_storage.delete(name)

PHOTO_FORMATS = {"JPEG": ("jpg", "image/jpeg"), "PNG": ("png", "image/png"), "WEBP": ("webp", "image/webp")}


@dataclass
class CheckedPhoto:
    content: bytes
    extension: str
    content_type: str
    width: int
    height: int


def validate_photo(upload) -> CheckedPhoto:
    """A real JPEG, PNG or WebP picture within the size limit; anything else is refused whole."""
    from io import BytesIO

    from PIL import Image, UnidentifiedImageError

    limit = settings.CASES_MAX_PHOTO_BYTES
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise ValidationError({"photos": _("照片太大：每张最多 %(mb)s MB") % {"mb": limit // 1_000_000}})
    content = upload.read(limit + 1) if hasattr(upload, "read") else bytes(upload)
    if len(content) > limit:
        raise ValidationError({"photos": _("照片太大：每张最多 %(mb)s MB") % {"mb": limit // 1_000_000}})
    try:
        with Image.open(BytesIO(content)) as image:
            image.verify()
            fmt, (width, height) = image.format, image.size
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError({"photos": _("只能上传 JPEG、PNG 或 WebP 格式的照片")}) from None
    if fmt not in PHOTO_FORMATS:
        raise ValidationError({"photos": _("只能上传 JPEG、PNG 或 WebP 格式的照片")})
    extension, content_type = PHOTO_FORMATS[fmt]
    return CheckedPhoto(content, extension, content_type, width, height)


def store_photo(*, case: Case, photo: CheckedPhoto, by: User | None, event: CaseEvent | None) -> Attachment:
    """Keep a checked photo as the case's attachment, tied to the timeline event it came with. Call it
    inside ``atomic()``, so that the file goes if the transaction is undone; raises ``PhotoNotStored``
    when the storage refuses the file."""
    from django.core.files.base import ContentFile

    attachment = Attachment(case=case, event=event, token=secrets.token_hex(16), extension=photo.extension,
                            content_type=photo.content_type, size=len(photo.content), width=photo.width,
                            height=photo.height, uploaded_by=by if getattr(by, "is_authenticated", False) else None)
    name = attachment.file.field.generate_filename(attachment, "photo")
    try:
        attachment.file.save("photo", ContentFile(photo.content), save=False)
    except OSError as exc:
        _remove([name])  # what a disk that filled up halfway through the file left of it
        raise PhotoNotStored(exc) from exc
    stored = _stored.get()
    if stored is not None:
        stored.append(attachment.file.name)
    try:
        attachment.save()
    except BaseException:
        if stored is None:
            _remove([attachment.file.name])
        raise
    return attachment
