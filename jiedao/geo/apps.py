from django.apps import AppConfig


class GeoConfig(AppConfig):
    name = "jiedao.geo"
    label = "geo"
