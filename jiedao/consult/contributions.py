"""What the consult app (征询与表决) offers the apps above it (docs/architecture.md, "Contributions"): planning's
data element 征询通过数."""

import datetime as dt

from django.utils.translation import gettext_lazy as _

from jiedao.consult import selectors
from jiedao.core.contributions import planning_element


@planning_element("consult.consultations_passed", name=_("征询通过数"), unit="个", source=_("征询与表决"),
                  definition=_("报告期内达到法定比例通过的征询数（报告期内结束、结束时结果为通过的征询）"))
def consultations_passed(*, subdistrict_id: int, start: dt.date, end: dt.date) -> int:
    return selectors.passed_between(subdistrict_id=subdistrict_id, start=start, end=end)
