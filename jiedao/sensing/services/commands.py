"""下发指令: commands back to devices, through an outbox.

A command is written in the same transaction as the alarm that calls for it (``queue_for_alarms``), as
PENDING. A listener, which holds the MQTT connection, takes pending commands (``claim``: one conditional
update per command, so two listeners never both send one), publishes each on
``jiedao/{subdistrict}/{device}/command`` at QoS 1 and marks it SENT; the device answers on ``…/ack`` with
the command's id (ingest records ACKED or FAILED). A command taken by a listener that died before sending
it, or sent and never acknowledged, goes out again after ``RESEND_AFTER``, up to ``MAX_ATTEMPTS`` times, then
is EXPIRED. A device must treat a command id it has seen as done (the same command may arrive twice).
"""

import datetime as dt
import json
import secrets

from django.db.models import F
from django.utils import timezone

from jiedao.sensing.defaults import COMMAND_PARAMS
from jiedao.sensing.models import Alarm, Command, CommandStatus

RESEND_AFTER = dt.timedelta(seconds=60)
MAX_ATTEMPTS = 3


def queue_for_alarms(alarms: list[tuple[Alarm, str]], *, now: dt.datetime) -> list[Command]:
    """PENDING commands for new alarms (alarm, command code), for the devices whose types accept them."""
    from jiedao.sensing.services import directory

    rows = []
    for alarm, code in alarms:
        sensor_type = directory.type_by_id(alarm.type_id)
        if sensor_type is None or code not in (sensor_type.commands or []):
            continue
        rows.append(Command(subdistrict_id=alarm.subdistrict_id, device_id=alarm.device_id, alarm=alarm,
                            command_id=secrets.token_hex(8), code=code, params=COMMAND_PARAMS.get(code, {}),
                            created_at=now))
    return Command.objects.bulk_create(rows) if rows else []


def claim(*, limit: int = 200, now: dt.datetime | None = None) -> list[Command]:
    """Commands to publish now: pending ones, and sent ones unacknowledged for ``RESEND_AFTER``. Each is
    marked SENT by a conditional update first, so that it goes out from one listener only."""
    now = now or timezone.now()
    stale = now - RESEND_AFTER
    expired = Command.objects.filter(status=CommandStatus.SENT, sent_at__lt=stale, attempts__gte=MAX_ATTEMPTS)
    expired.update(status=CommandStatus.EXPIRED)
    candidates = list(
        Command.objects.filter(status=CommandStatus.PENDING).order_by("created_at")
        .values_list("pk", "attempts")[:limit]
    ) + list(
        Command.objects.filter(status=CommandStatus.SENT, sent_at__lt=stale, attempts__lt=MAX_ATTEMPTS)
        .order_by("sent_at").values_list("pk", "attempts")[:limit]
    )
    taken = []
    for pk, attempts in candidates:
        if Command.objects.filter(pk=pk, attempts=attempts).exclude(
                status__in=(CommandStatus.ACKED, CommandStatus.FAILED, CommandStatus.EXPIRED)).update(
                status=CommandStatus.SENT, sent_at=now, attempts=F("attempts") + 1):
            taken.append(pk)
    return list(Command.objects.filter(pk__in=taken).select_related("device", "alarm", "subdistrict")
                .order_by("created_at"))


def release(command: Command) -> None:
    """A command claimed but not published (the connection was down): pending again, attempt not counted."""
    Command.objects.filter(pk=command.pk, status=CommandStatus.SENT).update(
        status=CommandStatus.PENDING, sent_at=None, attempts=F("attempts") - 1)


def topic(command: Command) -> str:
    return f"jiedao/{command.subdistrict.code}/{command.device.code}/command"


def payload(command: Command) -> bytes:
    """What the device receives: the command's id (to acknowledge), what to do, and why."""
    return json.dumps({
        "id": command.command_id, "command": command.code, "params": command.params,
        "alarm": command.alarm.external_id if command.alarm_id else None,
        "at": timezone.localtime(command.created_at).isoformat(timespec="seconds"),
    }, ensure_ascii=False).encode()
