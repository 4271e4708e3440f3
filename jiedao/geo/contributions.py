"""What geo offers the apps above it: planning's data elements (places as they stand now)."""

import datetime as dt

from django.utils.translation import gettext_lazy as _

from jiedao.core.contributions import planning_element
from jiedao.geo import selectors

SOURCE = _("地理库")


@planning_element("geo.buildings", name=_("楼栋数"), unit="幢", source=SOURCE, definition=_("地理库中登记的楼栋数"))
def buildings(*, subdistrict_id: int, start: dt.date, end: dt.date) -> int:
    return selectors.place_counts(subdistrict_id=subdistrict_id)["buildings"]


@planning_element("geo.grids", name=_("网格数"), unit="个", source=SOURCE, definition=_("单元网格数"))
def grids(*, subdistrict_id: int, start: dt.date, end: dt.date) -> int:
    return selectors.place_counts(subdistrict_id=subdistrict_id)["grids"]


@planning_element("geo.communities", name=_("居委会数"), unit="个", source=SOURCE, definition=_("居民委员会数"))
def communities(*, subdistrict_id: int, start: dt.date, end: dt.date) -> int:
    return selectors.place_counts(subdistrict_id=subdistrict_id)["communities"]
