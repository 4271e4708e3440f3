"""Pages of 一网统管: the case queue, the 12345 desk form, a case with its timeline, actions and likely
duplicates, the grid worker's phone pages, the KPI page, and the residents' portal pages.

Views parse, call one selector or service, and render. Role and scope checks live in the selectors and
services; a refusal (PermissionDenied, already audited there) is shown as a 403 page.
"""

from jiedao.cases.views.detail import act, case_detail, decide_duplicate, photo, reveal_phone
from jiedao.cases.views.field import mobile_queue, mobile_report
from jiedao.cases.views.intake import hotline, hotline_preview
from jiedao.cases.views.kpis import kpi_cases, kpi_page
from jiedao.cases.views.portal import portal_cases, portal_rate, portal_report
from jiedao.cases.views.queue import bulk_dispatch, queue

__all__ = [
    "act", "bulk_dispatch", "case_detail", "decide_duplicate", "hotline", "hotline_preview", "kpi_cases", "kpi_page",
    "mobile_queue", "mobile_report", "photo", "portal_cases", "portal_rate", "portal_report", "queue", "reveal_phone",
]
