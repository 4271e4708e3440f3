"""Photos attached to a case: checked whole before anything is written, stored under a random token."""

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from jiedao.cases.models import Attachment, Case, CaseEvent
from jiedao.core.models import User

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
    """Keep a checked photo as the case's attachment, tied to the timeline event it came with."""
    from django.core.files.base import ContentFile

    attachment = Attachment(case=case, event=event, token=secrets.token_hex(16), extension=photo.extension,
                            content_type=photo.content_type, size=len(photo.content), width=photo.width,
                            height=photo.height, uploaded_by=by if getattr(by, "is_authenticated", False) else None)
    attachment.file.save("photo", ContentFile(photo.content), save=False)
    attachment.save()
    return attachment
