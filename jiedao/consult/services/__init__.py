"""征询与表决's writes (docs/consult.md): each owns its transaction and its audit record."""

from jiedao.consult.codes import token_for
from jiedao.consult.selectors import missing_data
from jiedao.consult.services.ballots import (
    BadCode,
    cast_online,
    confirm_ballot,
    enter_ballot,
    read_code,
    record_meeting,
)
from jiedao.consult.services.consultations import (
    close_consultation,
    correct_dwelling,
    create_consultation,
    fill_electorate,
    open_consultation,
    owner_key_for,
)

__all__ = [
    "BadCode", "cast_online", "close_consultation", "confirm_ballot", "correct_dwelling", "create_consultation",
    "enter_ballot", "fill_electorate", "missing_data", "open_consultation", "owner_key_for", "read_code",
    "record_meeting", "token_for",
]
