from django.urls import path

from jiedao.elevators import views

app_name = "elevators"

urlpatterns = [
    path("elevators/", views.candidates, name="candidates"),
    path("elevators/buildings/<int:building_id>/", views.building, name="building"),
    path("elevators/buildings/<int:building_id>/survey/", views.survey, name="survey"),
    path("elevators/buildings/<int:building_id>/project/", views.project_new, name="project-new"),
    path("elevators/buildings/<int:building_id>/schematic.svg", views.schematic_svg, name="schematic"),
    path("elevators/projects/", views.projects, name="projects"),
    path("elevators/projects/<int:project_id>/", views.project, name="project"),
    path("elevators/projects/<int:project_id>/advance/", views.advance, name="advance"),
    path("elevators/projects/<int:project_id>/quote/", views.quote, name="quote"),
    path("elevators/projects/<int:project_id>/quote/sheet/", views.quote_sheet, name="quote-sheet"),
    path("elevators/projects/<int:project_id>/quote/sheet.xlsx", views.quote_xlsx, name="quote-xlsx"),
    path("elevators/projects/<int:project_id>/blockers/", views.blocker, name="blocker"),
    path("elevators/projects/<int:project_id>/blockers/<int:blocker_id>/resolve/", views.resolve, name="resolve"),
    path("elevators/projects/<int:project_id>/documents/", views.document, name="document"),
    path("elevators/projects/<int:project_id>/documents/<int:document_id>/", views.document_file,
         name="document-file"),
    path("elevators/projects/<int:project_id>/review/", views.review, name="review"),
    path("elevators/projects/<int:project_id>/vote/", views.vote, name="vote"),
    path("elevators/projects/<int:project_id>/vote/open/", views.vote_open, name="vote-open"),
]
