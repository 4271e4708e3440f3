"""死信: an admin reads what could not be taken and, once the cause is fixed (the device registered, the type
added to it, the vendor's secret corrected), replays it through the same ingest as a fresh message."""

import base64

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiedao.core import audit
from jiedao.core.access import ensure_in_scope, ensure_perm
from jiedao.core.models import AuditAction, User
from jiedao.core.roles import Perm
from jiedao.sensing.models import DeadLetter
from jiedao.sensing.services import signing
from jiedao.sensing.services.receive import Message, Status, ingest


def replay(*, letter: DeadLetter, by: User) -> DeadLetter:
    """重放: ingest the letter's message again. Taken (or found already stored), it is resolved; refused
    again, it stays open with the new reason. A webhook's signature is checked again, its age is not (the
    admin knows when it came)."""
    ensure_perm(by, Perm.MANAGE_SENSING)
    ensure_in_scope(letter, user=by)
    if letter.truncated:
        raise ValidationError(_("该消息超过大小上限，只保存了开头部分，不能重放"))
    payload = base64.b64decode(letter.payload) if letter.payload_base64 else letter.payload.encode("utf-8")
    message = Message(payload=payload, topic=letter.topic, source=letter.source, received_at=letter.received_at,
                      timestamp=letter.headers.get(signing.TIMESTAMP_HEADER, ""),
                      signature=letter.headers.get(signing.SIGNATURE_HEADER, ""), check_freshness=False)
    [outcome] = ingest([message], record_dead=False)
    labels = {Status.STORED: _("已入库"), Status.DUPLICATE: _("已入库（此前已收到）"),
              Status.HEARTBEAT: _("心跳已接收"), Status.ACK: _("确认已记录")}
    with transaction.atomic():
        letter.replayed_at = timezone.now()
        letter.replayed_by = by
        letter.resolved = outcome.status != Status.DEAD
        letter.replay_result = (labels.get(outcome.status, "") if letter.resolved
                                else _("仍未能接收：%(d)s") % {"d": outcome.detail})[:200]
        if not letter.resolved:
            letter.reason = outcome.reason
        letter.save()
        audit.record(actor=by, action=AuditAction.UPDATE, obj=letter,
                     detail={"replay": outcome.status, "reason": outcome.reason})
    return letter


def dismiss(*, letter: DeadLetter, by: User) -> DeadLetter:
    """忽略: an admin closes a letter that will never be taken (a test message, a device long gone)."""
    ensure_perm(by, Perm.MANAGE_SENSING)
    ensure_in_scope(letter, user=by)
    with transaction.atomic():
        DeadLetter.objects.filter(pk=letter.pk).update(resolved=True, replay_result=_("已忽略"), replayed_by=by,
                                                       replayed_at=timezone.now())
        audit.record(actor=by, action=AuditAction.UPDATE, obj=letter, detail={"dismissed": True})
    letter.refresh_from_db()
    return letter


