from django.urls import path

from jiedao.planning import views

app_name = "planning"

urlpatterns = [
    path("planning/", views.home, name="home"),
]
