"""Writes of the inspections app, one module per use case: points, their labels and rounds (``points``,
``labels``), scanning (``scanning``), shops (``shops``), garbage rooms and rosters (``garbage``) and the
subdistrict's 五星 rules (``rules``). Callers use the names below."""

from jiedao.inspections.services.garbage import add_duty, create_room
from jiedao.inspections.services.labels import LabelRefused, label_token, point_for_token
from jiedao.inspections.services.points import create_point, create_round, revoke_label
from jiedao.inspections.services.rules import rules_for
from jiedao.inspections.services.scanning import ScanForm, Submitted, open_scan, rounds_for, rounds_of, submit_check
from jiedao.inspections.services.shops import register_shop

__all__ = [
    "LabelRefused", "ScanForm", "Submitted", "add_duty", "create_point", "create_room", "create_round",
    "label_token", "open_scan", "point_for_token", "register_shop", "revoke_label", "rounds_for", "rounds_of",
    "rules_for",
    "submit_check",
]
