"""电子出入证: signed, time-limited passes that a gate checks offline.

A pass is a token, shown as a QR code::

    JDP1.<payload, base64url JSON>.<Ed25519 signature of "JDP1." + payload, base64url>

with the payload ``{"id": pass id, "k": "r" (resident) | "v" (visitor), "sub": subdistrict code,
"est": estate code, "nbf": valid from, "exp": valid until}`` (Unix seconds). No name, ID number or room is
in it: a gate needs to know the pass is genuine, current and for its estate, not who holds it.

A gate verifies with the platform's public key alone (``verify``, the reference a gate's firmware follows),
so it goes on working when the network does not; it pulls the list of revoked passes that have not
expired yet (``revocation_list``, GET /api/v1/sensing/passes/revoked) whenever it can. Its decisions
come back as events of the same ingest: ``pass_granted``, ``pass_refused``, ``door_held_open``.

The signing key is Ed25519: ``JIEDAO_PASS_KEY`` (base64 of the 32-byte private key) in production, else a
key generated once into ``DATA_DIR/sensing-pass-key`` (mode 600), as core's other local secrets.

Who may do what: a worker who may edit the registry (社工, 网格员) issues and revokes resident passes for
the households in their scope; a resident holding a pass reaches their own pass page by the random key
handed to them when it was issued, and gives visitors day passes from it.
"""

import base64
import datetime as dt
import hashlib
import json
import os
import secrets
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiedao.core import audit
from jiedao.core.access import ensure_in_scope, ensure_perm
from jiedao.core.models import AuditAction, User
from jiedao.core.roles import Perm
from jiedao.sensing.models import AccessPass

PREFIX = "JDP1"
RESIDENT_DAYS = 365
VISITOR_DAYS_AHEAD = 7      # a visitor pass may be for today or a day of the coming week
VISITOR_PASSES_PER_DAY = 10  # per resident pass and day: a pass page is not a ticket office


# ------------------------------------------------------------------------------------------------- keys

def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@cache
def _private_key() -> Ed25519PrivateKey:
    configured = getattr(settings, "SENSING_PASS_KEY", "") or os.environ.get("JIEDAO_PASS_KEY", "")
    if configured:
        return Ed25519PrivateKey.from_private_bytes(base64.b64decode(configured))
    path = Path(settings.DATA_DIR) / "sensing-pass-key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        raw = Ed25519PrivateKey.generate().private_bytes_raw()
        try:  # O_EXCL: two processes starting at once must not each write a different key
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as fh:
                fh.write(base64.b64encode(raw))
        except FileExistsError:
            pass
    return Ed25519PrivateKey.from_private_bytes(base64.b64decode(path.read_bytes()))


def public_key() -> str:
    """The platform's public key, base64url of the 32 raw bytes: what a gate is configured with."""
    return _b64(_private_key().public_key().public_bytes_raw())


# ----------------------------------------------------------------------------------------------- tokens

def token(access_pass: AccessPass) -> str:
    """The pass's token (Ed25519 signatures are deterministic: the same pass always gives the same token,
    so tokens are not stored)."""
    payload = {"id": access_pass.pass_id, "k": "r" if access_pass.kind == AccessPass.Kind.RESIDENT else "v",
               "sub": access_pass.subdistrict.code, "est": access_pass.estate_code,
               "nbf": int(access_pass.valid_from.timestamp()), "exp": int(access_pass.valid_until.timestamp())}
    body = _b64(json.dumps(payload, separators=(",", ":")).encode())
    signature = _private_key().sign(f"{PREFIX}.{body}".encode())
    return f"{PREFIX}.{body}.{_b64(signature)}"


@dataclass
class Verdict:
    granted: bool
    reason: str  # "", or why not: bad_token, bad_signature, not_yet, expired, other_estate, revoked
    pass_id: str = ""
    kind: str = ""


def verify(text: str, *, key: str, estate_code: str, revoked: set[str] | frozenset = frozenset(),
           now: dt.datetime | None = None) -> Verdict:
    """What a gate decides, offline: the token is well formed, signed by ``key`` (the platform's public key,
    base64url), current, for this gate's estate, and not in the revocation list it last pulled."""
    parts = (text or "").strip().split(".")
    if len(parts) != 3 or parts[0] != PREFIX:
        return Verdict(False, "bad_token")
    try:
        Ed25519PublicKey.from_public_bytes(_unb64(key)).verify(_unb64(parts[2]), f"{PREFIX}.{parts[1]}".encode())
        payload = json.loads(_unb64(parts[1]))
    except (InvalidSignature, ValueError):
        return Verdict(False, "bad_signature")
    when = (now or timezone.now()).timestamp()
    pass_id, kind = str(payload.get("id", "")), str(payload.get("k", ""))
    if when < payload.get("nbf", 0):
        return Verdict(False, "not_yet", pass_id, kind)
    if when >= payload.get("exp", 0):
        return Verdict(False, "expired", pass_id, kind)
    if payload.get("est") != estate_code:
        return Verdict(False, "other_estate", pass_id, kind)
    if pass_id in revoked:
        return Verdict(False, "revoked", pass_id, kind)
    return Verdict(True, "", pass_id, kind)


# ------------------------------------------------------------------------------------------------ writes

def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def issue_resident_pass(*, household, resident, by: User, days: int = RESIDENT_DAYS) -> tuple[AccessPass, str]:
    """Issue a pass to a current resident of the household; returns the pass and the holder's key (shown
    once: it opens the holder's pass page). The resident's earlier pass, if any, is revoked (a new phone,
    a lost pass)."""
    ensure_perm(by, Perm.EDIT_REGISTRY)
    ensure_in_scope(household, user=by)
    if resident.household_id != household.pk or not resident.lives_here:
        raise ValidationError(_("只能为本户现住居民签发出入证"))
    if not 1 <= days <= RESIDENT_DAYS:
        raise ValidationError({"days": _("有效期应为 1–%(n)s 天") % {"n": RESIDENT_DAYS}})
    now = timezone.now()
    key = secrets.token_urlsafe(24)
    with transaction.atomic():
        for old in AccessPass.objects.valid(now).filter(resident=resident, kind=AccessPass.Kind.RESIDENT):
            _revoke(old, by=by, reason=_("已补发新证"), now=now)
        access_pass = AccessPass.objects.create(
            subdistrict_id=household.subdistrict_id, household=household, resident=resident,
            kind=AccessPass.Kind.RESIDENT, pass_id=secrets.token_hex(8), estate_code=household.building.estate.code,
            valid_from=now, valid_until=now + dt.timedelta(days=days), issued_at=now, issued_by=by,
            holder_key_digest=_digest(key))
        audit.record(actor=by, action=AuditAction.CREATE, obj=access_pass, detail={"household": household.code})
    return access_pass, key


def revoke_pass(*, access_pass: AccessPass, by: User, reason: str = "") -> AccessPass:
    """注销: the pass and the visitor passes given from it stop opening gates once the gates have pulled
    the revocation list."""
    ensure_perm(by, Perm.EDIT_REGISTRY)
    ensure_in_scope(access_pass, user=by)
    with transaction.atomic():
        _revoke(access_pass, by=by, reason=reason or _("注销"), now=timezone.now())
        audit.record(actor=by, action=AuditAction.UPDATE, obj=access_pass, detail={"revoked": True})
    access_pass.refresh_from_db()
    return access_pass


def _revoke(access_pass: AccessPass, *, by: User | None, reason: str, now: dt.datetime) -> None:
    ids = [access_pass.pk, *AccessPass.objects.filter(parent=access_pass, revoked_at=None).values_list("pk", flat=True)]
    AccessPass.objects.filter(pk__in=ids, revoked_at=None).update(revoked_at=now, revoked_by=by,
                                                                  revoke_reason=reason[:60])


def holder_pass(key: str) -> AccessPass | None:
    """The resident pass whose holder's key is ``key`` (None for an unknown key)."""
    if not key or len(key) > 64:
        return None
    return (AccessPass.objects.filter(holder_key_digest=_digest(key), kind=AccessPass.Kind.RESIDENT)
            .select_related("subdistrict", "household__building__estate").first())


def issue_visitor_pass(*, key: str, day: dt.date, label: str = "") -> AccessPass:
    """A day pass for a visitor, given by a resident from their own pass page: valid from the start of
    ``day`` (or now, today) to its end, for the resident's estate, while the resident's pass is."""
    holder = holder_pass(key)
    if holder is None or not holder.is_valid():
        raise PermissionDenied(_("出入证无效、已过期或已注销，不能邀请访客"))
    today = timezone.localdate()
    if not today <= day <= today + dt.timedelta(days=VISITOR_DAYS_AHEAD):
        raise ValidationError({"day": _("访客日期应在今天起 %(n)s 天内") % {"n": VISITOR_DAYS_AHEAD}})
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    end = start + dt.timedelta(days=1)
    if AccessPass.objects.filter(parent=holder, valid_from__gte=start - dt.timedelta(hours=1),
                                 valid_until__lte=end).count() >= VISITOR_PASSES_PER_DAY:
        raise ValidationError({"day": _("同一天最多邀请 %(n)s 位访客") % {"n": VISITOR_PASSES_PER_DAY}})
    label = (label or "").strip()[:30]
    now = timezone.now()
    with transaction.atomic():
        visitor = AccessPass.objects.create(
            subdistrict=holder.subdistrict, household=holder.household, parent=holder, kind=AccessPass.Kind.VISITOR,
            label=label, pass_id=secrets.token_hex(8), estate_code=holder.estate_code, valid_from=max(start, now),
            valid_until=min(end, holder.valid_until), issued_at=now)
        audit.record(actor=f"出入证 {holder.pass_id}", action=AuditAction.CREATE, obj=visitor,
                     detail={"visitor_for": day.isoformat()})
    return visitor


def revoke_for_moved_out(*, today: dt.date | None = None) -> int:
    """Residents who moved out (迁出) keep no pass: revoke theirs (periodic)."""
    from jiedao.registry.models import Resident

    today = today or timezone.localdate()
    gone = Resident.objects.filter(moved_out_on__lte=today).values("pk")
    now = timezone.now()
    count = 0
    for access_pass in AccessPass.objects.valid(now).filter(resident__in=gone):
        _revoke(access_pass, by=None, reason=_("居民已迁出"), now=now)
        count += 1
    return count


def revocation_list(*, subdistrict_id: int, since: dt.datetime | None = None) -> list[tuple[str, dt.datetime]]:
    """(pass id, revoked at) of the subdistrict's revoked passes that have not expired yet (an expired pass
    is refused anyway, so the list stays short), revoked after ``since`` when given."""
    qs = AccessPass.objects.filter(subdistrict_id=subdistrict_id, revoked_at__isnull=False,
                                   valid_until__gt=timezone.now())
    if since is not None:
        qs = qs.filter(revoked_at__gt=since)
    return list(qs.order_by("revoked_at").values_list("pass_id", "revoked_at"))


def note_uses(uses: list[tuple[str, dt.datetime]]) -> None:
    """Gate events that name a pass it let through (``pass_granted``): the pass's last use. One read for
    the batch's passes, and a write only for those whose last use moves (a busy gate sends hundreds)."""
    latest: dict[str, dt.datetime] = {}
    for pass_id, at in uses:
        if pass_id not in latest or at > latest[pass_id]:
            latest[pass_id] = at
    found = AccessPass.objects.filter(pass_id__in=list(latest)).only("pk", "pass_id", "last_used_at")
    moved = [p for p in found if p.last_used_at is None or p.last_used_at < latest[p.pass_id]]
    for p in moved:
        p.last_used_at = latest[p.pass_id]
    if moved:
        AccessPass.objects.bulk_update(moved, ["last_used_at"])
