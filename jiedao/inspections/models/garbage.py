"""垃圾分类: garbage rooms (垃圾厢房), their rosters, 三查 inspections and the monthly 五星 of 小区 and 居委."""

__all__: list[str] = []
