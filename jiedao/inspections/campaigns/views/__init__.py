"""Pages of the 21 天 campaign and 大件垃圾预约."""

from jiedao.inspections.campaigns.views.bulky import (
    close_booking,
    portal,
    portal_book,
    portal_cancel,
    slot_detail,
    slots,
)
from jiedao.inspections.campaigns.views.campaign import (
    campaign_detail,
    campaign_list,
    correct_day,
    household_ledger,
    record_page,
)

__all__ = ["campaign_detail", "campaign_list", "close_booking", "correct_day", "household_ledger", "portal",
           "portal_book", "portal_cancel", "record_page", "slot_detail", "slots"]
