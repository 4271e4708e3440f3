"""垃圾分类's residents' side: the 21 天 reward campaign and 大件垃圾预约 (bulky-waste collection slots)."""
