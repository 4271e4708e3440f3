from django.urls import path

from jiedao.inspections.views import desk, garbage, scan, shops

app_name = "inspections"

urlpatterns = [
    path("inspections/", desk.points, name="points"),
    path("inspections/points/new/", desk.point_new, name="point-new"),
    path("inspections/points/<int:point_id>/", desk.point_detail, name="point"),
    path("inspections/points/<int:point_id>/edit/", desk.point_edit, name="point-edit"),
    path("inspections/points/<int:point_id>/revoke/", desk.revoke, name="revoke"),
    path("inspections/labels/", desk.labels, name="labels"),
    path("inspections/labels.pdf", desk.labels_pdf, name="labels-pdf"),
    path("inspections/rounds/", desk.rounds, name="rounds"),
    path("inspections/rounds/new/", desk.round_new, name="round-new"),
    path("inspections/rounds/<int:round_id>/edit/", desk.round_edit, name="round-edit"),
    path("inspections/coverage/", desk.coverage, name="coverage"),
    path("inspections/mine/", scan.mine, name="mine"),
    path("inspections/q/<str:token>/", scan.scan, name="scan"),
    path("inspections/checks/<int:check_id>/", scan.check_detail, name="check"),
    path("inspections/shops/", shops.shops, name="shops"),
    path("inspections/shops/new/", shops.shop_new, name="shop-new"),
    path("inspections/shops/<int:shop_id>/", shops.shop_detail, name="shop"),
    path("inspections/shops/<int:shop_id>/edit/", shops.shop_edit, name="shop-edit"),
    path("inspections/garbage/", garbage.garbage, name="garbage"),
    path("inspections/garbage/stars/", garbage.garbage_stars, name="garbage-stars"),
    path("inspections/garbage/rooms/new/", garbage.room_new, name="room-new"),
    path("inspections/garbage/rooms/<int:room_id>/", garbage.room_edit, name="room-edit"),
    path("inspections/garbage/rooms/<int:room_id>/duties/", garbage.duty_add, name="duty-add"),
    path("inspections/garbage/rooms/<int:room_id>/duties/<int:duty_id>/remove/", garbage.duty_remove,
         name="duty-remove"),
]
