"""Pages of the facilities module (生活圈): the map, coverage and gaps, site choice, the register, the network."""

from jiedao.facilities.views.circles import coverage, map_page, sites, type_page
from jiedao.facilities.views.register import (
    facility_new,
    facility_page,
    import_confirm,
    import_errors,
    import_page,
    import_template,
    network_page,
    register,
)

__all__ = [
    "coverage", "facility_new", "facility_page", "import_confirm", "import_errors", "import_page", "import_template",
    "map_page", "network_page", "register", "sites", "type_page",
]
