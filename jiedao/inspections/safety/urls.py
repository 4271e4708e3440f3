from django.urls import path

from jiedao.inspections.safety import views

app_name = "safety"

urlpatterns = [
    path("safety/", views.ranking, name="ranking"),
    path("safety/map.json", views.map_data, name="map-data"),
    path("safety/trend/", views.trend, name="trend"),
    path("safety/communities/<int:community_id>/", views.community, name="community"),
    path("safety/grids/<int:grid_id>/", views.grid, name="grid"),
    path("safety/weights/", views.weights, name="weights"),
]
