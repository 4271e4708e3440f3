"""Planning endpoints (/api/v1/planning/…): plans, indicators with values, projects, reporting.

Reads need the planning view permission and start from the user's scope; writes go through the same
services as the pages, so a lead unit's checks, validation and audit are identical here.
"""

from ninja import Router

from jiedao.planning.api import indicators, plans, projects

router = Router(tags=["planning"])
router.add_router("", plans.router)
router.add_router("", indicators.router)
router.add_router("", projects.router)
