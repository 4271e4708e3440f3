from django.urls import path

from jiedao.registry import views

app_name = "registry"

urlpatterns = [
    path("registry/", views.search, name="search"),
    path("registry/export.xlsx", views.export, name="export"),
    path("registry/exports/", views.export_start, name="export-start"),
    path("registry/exports/<int:export_id>/", views.export_detail, name="export-detail"),
    path("registry/exports/<int:export_id>/status.json", views.export_status, name="export-status"),
    path("registry/exports/<int:export_id>/residents.xlsx", views.export_file, name="export-file"),
    path("registry/stats/", views.stats, name="stats"),
    path("registry/import/", views.import_page, name="import"),
    path("registry/import/template.xlsx", views.import_template, name="import-template"),
    path("registry/import/<str:token>/", views.import_upload, name="import-upload"),
    path("registry/import/<str:token>/confirm/", views.import_confirm, name="import-confirm"),
    path("registry/import/<str:token>/errors.xlsx", views.import_errors, name="import-errors"),
    path("registry/households/new/", views.household_new, name="household-new"),
    path("registry/households/<int:household_id>/", views.household, name="household"),
    path("registry/households/<int:household_id>/residents/", views.resident_add, name="resident-add"),
    path("registry/households/<int:household_id>/code/", views.household_code, name="household-code"),
    path("registry/households/<int:household_id>/code.<str:kind>", views.household_code_file,
         name="household-code-file"),
    path("registry/residents/<int:resident_id>/edit/", views.resident_edit, name="resident-edit"),
    path("registry/residents/<int:resident_id>/head/", views.resident_set_head, name="resident-head"),
    path("registry/residents/<int:resident_id>/move-out/", views.resident_move_out, name="resident-move-out"),
    path("registry/residents/<int:resident_id>/tags/", views.tag_add, name="tag-add"),
    path("registry/residents/<int:resident_id>/tags/remove/", views.tag_remove, name="tag-remove"),
    path("registry/residents/<int:resident_id>/reveal/", views.reveal, name="reveal"),
    path("registry/buildings/<int:building_id>/codes/", views.code_sheet, name="code-sheet"),
    path("h/<str:token>", views.scan, name="scan"),
]
