"""Personal data at rest: encrypted model fields and HMAC blind indexes.

``EncryptedTextField`` stores a Fernet token made with the newest key in ``settings.FIELD_KEYS``
(MultiFernet, so rows written under an older key still decrypt while it is listed). A value that no
listed key decrypts raises ``FieldDecryptionError``: the ciphertext is never handed out as if it were the
value. Encrypted columns cannot be searched; a ``BlindIndexField`` beside one holds an HMAC-SHA256 of the
normalised plain value, which answers exact lookups (``Resident.objects.filter(id_number_index=
blind_index(value))``) without revealing the value.
"""

import base64
import hashlib
import hmac
import logging
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger("jiedao.crypto")


class FieldDecryptionError(Exception):
    """A stored value could not be decrypted with any configured key."""


@lru_cache(maxsize=8)
def _fernet_for(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("JIEDAO_FIELD_KEYS 未设置：需要至少一个 Fernet 密钥")
    try:
        return MultiFernet([Fernet(k.encode()) for k in keys])
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(
            "JIEDAO_FIELD_KEYS 中有无效密钥：每个密钥应为 32 字节的 URL 安全 Base64 编码"
        ) from exc


def fernet() -> MultiFernet:
    return _fernet_for(tuple(settings.FIELD_KEYS))


def encrypt(value: str) -> str:
    return fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise FieldDecryptionError(
            "无法解密个人信息字段：现有密钥都不匹配，请检查 JIEDAO_FIELD_KEYS 是否包含写入时的密钥"
        ) from exc


def rotate(token: str) -> str:
    """Re-encrypt a stored token under the newest key."""
    try:
        return fernet().rotate(token.encode()).decode()
    except InvalidToken as exc:
        raise FieldDecryptionError("无法轮换：现有密钥都不能解密该值") from exc


@lru_cache(maxsize=4)
def _index_key(key: str) -> bytes:
    try:
        raw = base64.urlsafe_b64decode(key.encode())
    except ValueError as exc:
        raise ImproperlyConfigured("JIEDAO_INDEX_KEY 必须是 URL 安全 Base64 编码") from exc
    if len(raw) < 32:
        raise ImproperlyConfigured("JIEDAO_INDEX_KEY 太短：至少 32 字节")
    return raw


def blind_index(value: str | None, *, purpose: str = "") -> str:
    """HMAC-SHA256 of the normalised value; ``purpose`` keeps indexes of different fields apart."""
    if value is None or value == "":
        return ""
    normalised = "".join(str(value).split()).upper()
    msg = f"{purpose}\x00{normalised}".encode()
    return hmac.new(_index_key(settings.INDEX_KEY), msg, hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):
    """A text field stored encrypted. Supports no lookups except ``isnull``."""

    description = _("加密文本")

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        try:
            return decrypt(value)
        except FieldDecryptionError:
            logger.error("cannot decrypt %s.%s: no configured key matches", self.model._meta.label, self.name)
            raise

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(value)

    def get_lookup(self, lookup_name):
        if lookup_name != "isnull":
            return None  # Django then raises FieldError: comparing ciphertexts would be meaningless
        return super().get_lookup(lookup_name)


class DerivedFromEncryptedField(models.CharField):
    """A plain column computed from another (encrypted) field's value on every save and bulk_create."""

    # No db_index by default: on PostgreSQL a CharField index comes with a second, LIKE-pattern index that
    # exact lookups never use. Models index these columns in Meta.indexes.
    defaults = {"max_length": 64, "editable": False, "blank": True}

    def __init__(self, *args, source: str = "", **kwargs):
        self.source = source
        for key, value in self.defaults.items():
            kwargs.setdefault(key, value)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        return name, path, args, kwargs

    def derive(self, value: str | None) -> str:
        raise NotImplementedError

    def pre_save(self, model_instance, add):
        value = self.derive(getattr(model_instance, self.source))
        setattr(model_instance, self.attname, value)
        return value


class BlindIndexField(DerivedFromEncryptedField):
    """HMAC of another field's plain value: exact lookups without decrypting."""

    def purpose(self) -> str:
        return f"{self.model._meta.label_lower}.{self.source}"

    def derive(self, value):
        return blind_index(value, purpose=self.purpose())


class LastDigitsField(DerivedFromEncryptedField):
    """The last four characters of another field (a phone's 尾号), shown on screen anyway when masked."""

    defaults = {**DerivedFromEncryptedField.defaults, "max_length": 4}

    def derive(self, value):
        return (value or "")[-4:]


class EncryptedQuerySetMixin:
    """Keeps blind indexes (and other derived columns) true for writes that skip ``pre_save``.

    ``bulk_update`` of an encrypted field recomputes its index; ``update()`` of one without its index
    is refused, since the index would go on answering for the old value.
    """

    def _blind_indexes(self) -> list[DerivedFromEncryptedField]:
        return [f for f in self.model._meta.concrete_fields if isinstance(f, DerivedFromEncryptedField)]

    def bulk_update(self, objs, fields, batch_size=None):
        objs, fields = list(objs), list(fields)
        for index in self._blind_indexes():
            if index.source in fields:
                for obj in objs:
                    index.pre_save(obj, add=False)
                if index.name not in fields:
                    fields.append(index.name)
        return super().bulk_update(objs, fields, batch_size=batch_size)

    def update(self, **kwargs):
        stale = sorted(f.source for f in self._blind_indexes() if f.source in kwargs and f.name not in kwargs)
        if stale:
            raise ValueError(
                f"加密字段 {', '.join(stale)} 不能单独用 update() 修改（盲索引会过期）：请逐条保存或用 bulk_update()"
            )
        return super().update(**kwargs)


def lookup_value(model: type[models.Model], source: str, value: str) -> dict[str, str]:
    """The filter kwargs that find rows whose encrypted ``source`` equals ``value`` exactly."""
    for field in model._meta.get_fields():
        if isinstance(field, BlindIndexField) and field.source == source:
            return {field.name: blind_index(value, purpose=field.purpose())}
    raise ImproperlyConfigured(f"{model.__name__}.{source} 没有盲索引，不能按值精确查找")


def mask_id_number(value: str | None) -> str:
    """3101**********1234: the region's first four and the last four digits stay visible."""
    if not value:
        return ""
    return value[:4] + "*" * max(len(value) - 8, 0) + value[-4:]


def mask_phone(value: str | None) -> str:
    """138****5678."""
    if not value:
        return ""
    if len(value) < 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]
