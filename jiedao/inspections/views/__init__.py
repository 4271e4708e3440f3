"""Pages of the inspections app: scanning on a phone (``scan``), the desk pages of points, rounds and
coverage (``desk``), 门责任制 (``shops``) and 垃圾分类 (``garbage``)."""
