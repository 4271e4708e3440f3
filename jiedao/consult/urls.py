from django.urls import path

from jiedao.consult import views

app_name = "consult"

urlpatterns = [
    path("consult/", views.consultation_list, name="list"),
    path("consult/<int:pk>/", views.detail, name="detail"),
    path("consult/<int:pk>/board/", views.detail, name="board"),
    path("consult/<int:pk>/electorate/", views.electorate, name="electorate"),
    path("consult/<int:pk>/letters/", views.letters, name="letters"),
    path("consult/<int:pk>/ballots/", views.ballots, name="ballots"),
    path("consult/<int:pk>/visit-next/", views.visit_next, name="visit-next"),
    path("consult/<int:pk>/<str:name>/", views.action, name="action"),
    path("consult/v/<str:token>", views.vote, name="vote"),
    path("consult/notice/<int:pk>/", views.notice, name="notice"),
]
