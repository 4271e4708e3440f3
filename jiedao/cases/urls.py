from django.urls import path

from jiedao.cases import views

app_name = "cases"

urlpatterns = [
    path("cases/", views.queue, name="queue"),
    path("cases/bulk-dispatch/", views.bulk_dispatch, name="bulk-dispatch"),
    path("cases/hotline/", views.hotline, name="hotline"),
    path("cases/hotline/preview/", views.hotline_preview, name="hotline-preview"),
    path("cases/kpis/", views.kpi_page, name="kpis"),
    path("cases/kpis/cases/", views.kpi_cases, name="kpi-cases"),
    path("cases/photos/<str:token>", views.photo, name="photo"),
    path("cases/<str:number>/", views.case_detail, name="detail"),
    path("cases/<str:number>/actions/<str:action>/", views.act, name="act"),
    path("cases/<str:number>/reveal-phone/", views.reveal_phone, name="reveal-phone"),
    path("cases/<str:number>/duplicate/", views.decide_duplicate, name="decide-duplicate"),
    path("m/cases/", views.mobile_queue, name="mobile"),
    path("m/cases/report/", views.mobile_report, name="mobile-report"),
    path("portal/report/", views.portal_report, name="portal-report"),
    path("portal/cases/", views.portal_cases, name="portal-cases"),
    path("portal/cases/<str:number>/rate/", views.portal_rate, name="portal-rate"),
]
