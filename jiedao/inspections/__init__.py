"""二维码巡检, 门责任制 (沿街商铺五星), 垃圾分类 (三查, 五星, 21 天, 大件垃圾预约) and 平安建设动态评估 (the
safety index). See docs/inspections.md."""
