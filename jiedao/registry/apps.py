from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "jiedao.registry"
    label = "registry"
