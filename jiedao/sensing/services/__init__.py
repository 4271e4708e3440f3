"""Writes of 物联感知, one module per use case: ingest from MQTT and the webhook (``ingest``), what the rules
make of events (``evaluation``, ``rules``), alarms and their cases (``alarms``), commands back to devices
(``commands``), device health (``health``), devices and their import (``devices``), dead letters
(``deadletters``) and 电子出入证 (``passes``). Callers use ``from jiedao.sensing import services``."""

from jiedao.sensing.services.alarms import mark_false, open_cases, open_pending_cases, sync_outcomes
from jiedao.sensing.services.health import check as check_health
from jiedao.sensing.services.health import close_task
from jiedao.sensing.services.receive import MAX_PAYLOAD, Message, Outcome, Status, ingest
from jiedao.sensing.services.rules import rules_for, update_rule

__all__ = [
    "MAX_PAYLOAD", "Message", "Outcome", "Status", "check_health", "close_task", "ingest", "mark_false",
    "open_cases", "open_pending_cases", "rules_for", "sync_outcomes", "update_rule",
]
