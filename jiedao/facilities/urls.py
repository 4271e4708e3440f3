from django.urls import path

from jiedao.facilities import views

app_name = "facilities"

urlpatterns = [
    path("facilities/", views.map_page, name="map"),
    path("facilities/coverage/", views.coverage, name="coverage"),
    path("facilities/coverage/<slug:code>/", views.type_page, name="type"),
    path("facilities/sites/", views.sites, name="sites"),
    path("facilities/register/", views.register, name="register"),
    path("facilities/register/new/", views.facility_new, name="facility-new"),
    path("facilities/register/<int:facility_id>/", views.facility_page, name="facility"),
    path("facilities/import/", views.import_page, name="import"),
    path("facilities/import/template.xlsx", views.import_template, name="import-template"),
    path("facilities/import/<str:token>/confirm/", views.import_confirm, name="import-confirm"),
    path("facilities/import/<str:token>/errors.xlsx", views.import_errors, name="import-errors"),
    path("facilities/network/", views.network_page, name="network"),
]
