"""Writes of 一网统管. The package's modules are split by use case in the next commit; this one only moves
the module, so that its history follows."""

from jiedao.cases.services.loop import *  # noqa: F403
from jiedao.cases.services.loop import _duplicate_candidates, _external_id_taken  # noqa: F401
