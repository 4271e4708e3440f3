"""Writes of the core module: tokens, key rotation."""

import secrets

from django.apps import apps
from django.db import connection, transaction
from django.utils import timezone

from jiedao.core import audit, crypto
from jiedao.core.models import ApiToken, AuditAction, User


@transaction.atomic
def issue_token(*, user: User, name: str = "", by: User | None = None) -> tuple[str, ApiToken]:
    """签发接口令牌: return the new token (shown once) and its stored record (digest only)."""
    token = "jd_" + secrets.token_urlsafe(32)
    api_token = ApiToken.objects.create(
        user=user, name=name[:60], prefix=token[:8], digest=ApiToken.digest_of(token)
    )
    audit.record(
        actor=by or user, action=AuditAction.TOKEN_ISSUED, obj=api_token,
        subdistrict_id=user.subdistrict_id, detail={"user": user.get_username(), "name": name},
    )
    return token, api_token


@transaction.atomic
def revoke_token(*, api_token: ApiToken, by: User | None = None) -> ApiToken:
    """吊销令牌: the token stops working at once; the record stays for the audit trail."""
    if api_token.revoked_at is None:
        api_token.revoked_at = timezone.now()
        api_token.save(update_fields=["revoked_at"])
        audit.record(
            actor=by or api_token.user, action=AuditAction.TOKEN_REVOKED, obj=api_token,
            subdistrict_id=api_token.user.subdistrict_id,
        )
    return api_token


def encrypted_fields() -> list[tuple[type, list[str]]]:
    """Every model with encrypted fields, and those fields' names."""
    found = []
    for model in apps.get_models():
        names = [f.attname for f in model._meta.concrete_fields if isinstance(f, crypto.EncryptedTextField)]
        if names:
            found.append((model, names))
    return found


def rotate_field_keys(*, batch_size: int = 2000) -> dict[str, int]:
    """Re-encrypt every encrypted value under the newest key of ``FIELD_KEYS``.

    Works on the stored tokens with SQL (reading through the model would decrypt them), one transaction
    per batch so that a long rotation does not hold the database; it can be re-run safely.
    """
    qn = connection.ops.quote_name
    counts: dict[str, int] = {}
    for model, names in encrypted_fields():
        table, pk = qn(model._meta.db_table), qn(model._meta.pk.column)
        columns = ", ".join(qn(n) for n in names)
        assignments = ", ".join(f"{qn(n)} = %s" for n in names)
        total, last = 0, None
        while True:
            with transaction.atomic(), connection.cursor() as cur:
                where, params = (f"WHERE {pk} > %s", [last]) if last is not None else ("", [])
                cur.execute(f"SELECT {pk}, {columns} FROM {table} {where} ORDER BY {pk} LIMIT {int(batch_size)}",
                            params)
                rows = cur.fetchall()
                if not rows:
                    break
                for row in rows:
                    values = [crypto.rotate(v) if v else v for v in row[1:]]
                    cur.execute(f"UPDATE {table} SET {assignments} WHERE {pk} = %s", [*values, row[0]])
                total += len(rows)
                last = rows[-1][0]
        counts[model._meta.label] = total
    audit.record(actor="system", action=AuditAction.KEY_ROTATED, detail={"rows": counts})
    return counts
