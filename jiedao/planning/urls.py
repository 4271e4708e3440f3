from django.urls import path

from jiedao.planning import views

app_name = "planning"

urlpatterns = [
    path("planning/", views.home, name="home"),
    path("planning/<int:plan_id>/", views.overview, name="overview"),
    path("planning/<int:plan_id>/text/", views.plan_text, name="text"),
    path("planning/<int:plan_id>/next/", views.plan_next, name="next"),
    path("planning/<int:plan_id>/indicators/", views.indicators, name="indicators"),
    path("planning/<int:plan_id>/projects/", views.projects, name="projects"),
    path("planning/<int:plan_id>/reporting/", views.reporting, name="reporting"),
    path("planning/<int:plan_id>/evaluations/", views.evaluations, name="evaluations"),
    path("planning/<int:plan_id>/publish/", views.publish, name="publish"),
    path("planning/indicators/<int:indicator_id>/", views.indicator_detail, name="indicator"),
    path("planning/indicators/<int:indicator_id>/edit/", views.indicator_edit, name="indicator-edit"),
    path("planning/projects/<int:project_id>/", views.project_detail, name="project"),
    path("planning/evaluations/<int:evaluation_id>/", views.evaluation_report, name="evaluation"),
    path("planning/evaluations/<int:evaluation_id>/edit/", views.evaluation_edit, name="evaluation-edit"),
    path("planning/evaluations/<int:evaluation_id>/report.xlsx", views.evaluation_xlsx, name="evaluation-xlsx"),
    path("planning/evaluations/<int:evaluation_id>/report.pdf", views.evaluation_pdf, name="evaluation-pdf"),
    path("planning/attachments/<int:attachment_id>/", views.attachment, name="attachment"),
    path("planning/public/", views.public_index, name="public-index"),
    path("planning/public/<int:plan_id>/", views.public_plan, name="public-plan"),
]
