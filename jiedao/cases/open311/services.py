"""Writes behind GeoReport v2: API keys for client applications, and POST requests into the one intake.

A key belongs to one subdistrict and is stored as its SHA-256 digest; the key itself is shown once, by
``jiedao open311-key``. A posted request becomes a case through ``cases.services.intake`` on the resident
channel, with the posted service as its category and ``open311:<key name>`` as the actor in its timeline
and the audit log. The case is created at once, so the answer carries its number as well as a token.
"""

import hashlib
import logging
import re
import secrets
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiedao.cases import services as case_services
from jiedao.cases.models import Category, Channel, Open311Key, Open311Token
from jiedao.core import audit, throttle
from jiedao.core.models import AuditAction, Subdistrict

logger = logging.getLogger("jiedao.open311")

# intake's field names → the GeoReport parameter a client must fix.
PARAMETER_OF = {
    "description": "description", "address": "address_string", "location": "lat/long", "category": "service_code",
    "reporter_name": "first_name/last_name", "reporter_phone": "phone",
}


def digest_of(api_key: str) -> str:
    return hashlib.sha256(api_key.encode()).hexdigest()


def actor_of(*, key: Open311Key) -> str:
    """How an Open311 client appears in timelines and the audit log."""
    return f"open311:{key.name}"


# --------------------------------------------------------------------------------------------- keys


def issue_key(*, subdistrict: Subdistrict, name: str, by=None) -> tuple[str, Open311Key]:
    """签发 Open311 api_key for a client application; returns the key (shown once) and its record."""
    name = re.sub(r"\s+", " ", str(name or "")).strip()
    if not name or len(name) > 60:
        raise ValidationError({"name": _("应用名称不能为空，最多 60 个字")})
    api_key = secrets.token_urlsafe(32)
    key = Open311Key.objects.create(subdistrict=subdistrict, name=name, digest=digest_of(api_key))
    audit.record(actor=by or "jiedao open311-key", action=AuditAction.TOKEN_ISSUED, obj=key,
                 detail={"open311_key": key.pk, "name": name})
    return api_key, key


@transaction.atomic
def revoke_key(*, key: Open311Key, by=None) -> Open311Key:
    """吊销: the key stops working at once; the record stays for the audit trail."""
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
        audit.record(actor=by or "jiedao open311-key", action=AuditAction.TOKEN_REVOKED, obj=key,
                     detail={"open311_key": key.pk, "name": key.name})
    return key


def authenticate(*, api_key: str | None) -> Open311Key:
    """The active key for ``api_key``; PermissionDenied for a missing, unknown or revoked one. Unknown keys
    count against the request's address (core.throttle, django-axes): once it is locked, the refusal says so."""
    if not api_key:
        raise PermissionDenied(_("缺少 api_key"))
    key = Open311Key.objects.select_related("subdistrict").filter(digest=digest_of(str(api_key))).first()
    if key is None:
        logger.info("open311: unknown api_key")
        try:
            throttle.count_failed_credential(throttle.OPEN311_KEY)
        except throttle.TooManyFailures as exc:
            raise PermissionDenied(str(exc)) from None
        raise PermissionDenied(_("api_key 无效或已吊销"))
    if key.revoked_at is not None:
        audit.record_denied(actor=actor_of(key=key), obj=key, detail={"open311_key": key.pk, "reason": "revoked"})
        raise PermissionDenied(_("api_key 无效或已吊销"))
    return key


# --------------------------------------------------------------------------------------------- requests


@dataclass
class Submission:
    """The POST parameters of a service request, as strings (attribute[...] values are not used)."""

    service_code: str = ""
    lat: str = ""
    long: str = ""
    address_string: str = ""
    address_id: str = ""
    description: str = ""
    first_name: str = ""
    last_name: str = ""
    phone: str = ""
    media_url: str = ""


def _reporter_name(first: str, last: str) -> str:
    first, last = first.strip(), last.strip()
    if first.isascii() and last.isascii():
        return f"{first} {last}".strip()
    return f"{last}{first}"  # Chinese names: family name first


def submit_request(*, key: Open311Key, submission: Submission) -> Open311Token:
    """POST requests: one case through the intake, and the token that resolves to it.

    Errors come back as one ValidationError keyed by GeoReport parameter names, and nothing is written.
    The email, device_id and account_id a client may send are not kept: a case has no place for them, and
    they are personal data the city-operations centre does not need."""
    s = submission
    errors: dict[str, list[str]] = {}
    category = Category.objects.filter(code=s.service_code.strip(), active=True).first() if s.service_code else None
    if category is None:
        errors["service_code"] = [_("未知的 service_code：%(code)s") % {"code": s.service_code[:20]}
                                  if s.service_code else _("缺少 service_code")]
    lat = lon = None
    if s.lat.strip() or s.long.strip():
        try:
            lat, lon = float(s.lat), float(s.long)
        except ValueError:
            errors["lat/long"] = [_("lat 与 long 须同时提供，且为数字")]
    address = s.address_string
    if s.address_id.strip():
        from jiedao.geo.models import Building

        building = Building.objects.select_related("road").filter(
            subdistrict=key.subdistrict, code=s.address_id.strip()).first()
        if building is None:
            errors["address_id"] = [_("未知的 address_id：%(id)s") % {"id": s.address_id[:30]}]
        else:
            address = address or building.address
            if lat is None:
                lat, lon = building.lat, building.lon
    elif lat is None and not s.address_string.strip() and "lat/long" not in errors:
        errors["lat/long"] = [_("请提供位置：lat 与 long、address_string 或 address_id 之一")]
    media_url = s.media_url.strip() or None
    if media_url:
        try:
            if len(media_url) > 500:
                raise ValidationError("too long")
            URLValidator(schemes=["http", "https"])(media_url)
        except ValidationError:
            errors["media_url"] = [_("media_url 须是 http(s) 网址，最长 500 个字符")]
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            case = case_services.intake(
                subdistrict=key.subdistrict, channel=Channel.RESIDENT, description=s.description, by=actor_of(key=key),
                address=address, lat=lat, lon=lon, category=category.code,
                reporter_name=_reporter_name(s.first_name, s.last_name), reporter_phone=s.phone,
                data={"open311": {"key": key.pk, "media_url": media_url}},
            ).case
            return Open311Token.objects.create(token=secrets.token_urlsafe(18), case=case)
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        raise ValidationError({PARAMETER_OF.get(field, field): messages
                               for field, messages in exc.message_dict.items()}) from None
