"""The 21 天 reward campaign (households, daily records, points ledger) and 大件垃圾预约 (slots, bookings)."""

__all__: list[str] = []
