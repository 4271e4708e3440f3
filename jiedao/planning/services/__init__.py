"""Writes of the planning module, split by concept. Each write checks who may do it, validates
everything before it writes, writes inside one transaction and leaves an audit record."""

from jiedao.planning.services.access import (
    ensure_may_manage,
    ensure_may_report,
    may_manage,
    may_report,
    may_report_anything,
)
from jiedao.planning.services.evaluations import create_evaluation, update_narrative
from jiedao.planning.services.loading import load_plan
from jiedao.planning.services.manage import create_next_plan, set_plan_published, update_indicator
from jiedao.planning.services.reporting import (
    add_attachment,
    record_computed_values,
    submit_indicator_value,
    submit_progress_report,
)

__all__ = [
    "add_attachment", "create_evaluation", "create_next_plan", "ensure_may_manage", "ensure_may_report", "load_plan",
    "may_manage", "may_report", "may_report_anything", "record_computed_values", "set_plan_published",
    "submit_indicator_value", "submit_progress_report", "update_indicator", "update_narrative",
]
