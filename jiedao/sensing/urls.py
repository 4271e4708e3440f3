from django.urls import path

from jiedao.sensing import views

app_name = "sensing"

urlpatterns = [
    path("sensing/", views.alarm_queue, name="alarms"),
    path("sensing/alarms/<str:number>/", views.alarm_detail, name="alarm"),
    path("sensing/alarms/<str:number>/false/", views.mark_false, name="alarm-false"),
    path("sensing/figures/", views.figures, name="figures"),
    path("sensing/images/<str:token>", views.image, name="image"),
    path("sensing/devices/", views.device_list, name="devices"),
    path("sensing/devices/map/", views.device_map, name="map"),
    path("sensing/devices/points/", views.device_points, name="points"),
    path("sensing/devices/import/", views.import_page, name="import"),
    path("sensing/devices/import/template.xlsx", views.import_template, name="import-template"),
    path("sensing/devices/<str:code>/", views.device_detail, name="device"),
    path("sensing/devices/<str:code>/secret/", views.reveal_secret, name="device-secret"),
    path("sensing/maintenance/", views.maintenance, name="maintenance"),
    path("sensing/maintenance/<int:pk>/done/", views.close_task, name="maintenance-done"),
    path("sensing/rules/", views.rules, name="rules"),
    path("sensing/dead-letters/", views.dead_letter_list, name="dead-letters"),
    path("sensing/dead-letters/<int:pk>/<str:action>/", views.dead_letter_action, name="dead-letter-action"),
    path("sensing/passes/issue/", views.issue, name="pass-issue"),
    path("sensing/passes/<str:pass_id>/", views.pass_page, name="pass"),
    path("sensing/passes/<str:pass_id>/revoke/", views.revoke, name="pass-revoke"),
    path("sensing/pass/<str:key>/", views.holder, name="holder"),
]
