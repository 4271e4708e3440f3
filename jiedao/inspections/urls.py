from django.urls import path

from jiedao.inspections.views import desk, garbage, scan, shops

app_name = "inspections"

urlpatterns = [
    path("inspections/", desk.points, name="points"),
    path("inspections/points/<int:point_id>/", desk.point_detail, name="point"),
    path("inspections/points/<int:point_id>/revoke/", desk.revoke, name="revoke"),
    path("inspections/labels/", desk.labels, name="labels"),
    path("inspections/labels.pdf", desk.labels_pdf, name="labels-pdf"),
    path("inspections/rounds/", desk.rounds, name="rounds"),
    path("inspections/coverage/", desk.coverage, name="coverage"),
    path("inspections/mine/", scan.mine, name="mine"),
    path("inspections/q/<str:token>/", scan.scan, name="scan"),
    path("inspections/checks/<int:check_id>/", scan.check_detail, name="check"),
    path("inspections/shops/", shops.shops, name="shops"),
    path("inspections/shops/<int:shop_id>/", shops.shop_detail, name="shop"),
    path("inspections/garbage/", garbage.garbage, name="garbage"),
    path("inspections/garbage/stars/", garbage.garbage_stars, name="garbage-stars"),
]
